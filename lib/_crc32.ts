/**
 * CRC-32 (IEEE 802.3, the polynomial of Go's `crc32.ChecksumIEEE`) over the
 * UTF-8 bytes of a string. Private to `lib/`.
 *
 * @module
 */
import { utf8Scratch } from "./_utf8.ts";

const TABLE: Uint32Array = makeTable();

function makeTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/**
 * Feeds bytes into a running (pre-inverted) CRC-32 state.
 *
 * @param state The running state; start from `0xffffffff`.
 * @param bytes The bytes to feed.
 * @returns The new running state; the checksum is `~state >>> 0`.
 */
export function crc32Update(state: number, bytes: Uint8Array): number {
  let c = state;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return c;
}

/**
 * Feeds the decimal digits of a non-negative integer (as Go's
 * `strconv.Itoa` writes them) into a running CRC-32 state.
 *
 * @param state The running state; start from `0xffffffff`.
 * @param value A non-negative safe integer.
 * @returns The new running state.
 */
export function crc32UpdateDecimal(state: number, value: number): number {
  let divisor = 1;
  while (divisor * 10 <= value) divisor *= 10;
  let c = state;
  for (; divisor >= 1; divisor /= 10) {
    const digit = Math.floor(value / divisor) % 10;
    c = TABLE[(c ^ (0x30 + digit)) & 0xff] ^ (c >>> 8);
  }
  return c;
}

/**
 * CRC-32 IEEE of a byte array.
 *
 * @param bytes The input.
 * @returns The unsigned 32-bit checksum.
 */
export function crc32Bytes(bytes: Uint8Array): number {
  return ~crc32Update(0xffffffff, bytes) >>> 0;
}

/**
 * CRC-32 IEEE of the UTF-8 encoding of `text`; ASCII is read straight from
 * char codes, anything else is encoded into a reused buffer first.
 *
 * @param text Any string.
 * @returns The unsigned 32-bit checksum.
 */
export function crc32String(text: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return crc32Bytes(utf8Scratch(text));
    c = TABLE[(c ^ code) & 0xff] ^ (c >>> 8);
  }
  return ~c >>> 0;
}
