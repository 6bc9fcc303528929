/**
 * MurmurHash3 x86 32-bit over the UTF-8 bytes of a string, and its 32-bit
 * finaliser used as an integer mixer. Private to `lib/`.
 *
 * @module
 */
import { utf8Scratch } from "./_utf8.ts";

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * The MurmurHash3 finaliser: a bijective avalanche mixer on 32-bit integers.
 *
 * @param value Any 32-bit integer.
 * @returns The mixed value as an unsigned 32-bit integer.
 */
export function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mixBlock(h: number, block: number): number {
  let k = Math.imul(block, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  const x = h ^ k;
  return (Math.imul((x << 13) | (x >>> 19), 5) + 0xe6546b64) | 0;
}

function mixTail(h: number, tail: number): number {
  let k = Math.imul(tail, C1);
  k = (k << 15) | (k >>> 17);
  return h ^ Math.imul(k, C2);
}

/**
 * MurmurHash3 x86 32-bit of a byte array.
 *
 * @param bytes The input.
 * @param seed A 32-bit seed.
 * @returns The unsigned 32-bit hash.
 */
export function murmur3Bytes(bytes: Uint8Array, seed: number): number {
  const length = bytes.length;
  const blocks = length & ~3;
  let h = seed | 0;
  for (let i = 0; i < blocks; i += 4) {
    h = mixBlock(h, bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
  }
  const rest = length - blocks;
  if (rest > 0) {
    let tail = bytes[blocks];
    if (rest > 1) tail |= bytes[blocks + 1] << 8;
    if (rest > 2) tail |= bytes[blocks + 2] << 16;
    h = mixTail(h, tail);
  }
  return fmix32(h ^ length);
}

/**
 * MurmurHash3 x86 32-bit of the UTF-8 encoding of `text`. ASCII text is
 * hashed straight from its char codes; anything else is encoded into a
 * reused buffer first, so no per-call allocation on the common path.
 *
 * @param text Any string.
 * @param seed A 32-bit seed.
 * @returns The unsigned 32-bit hash, equal to `murmur3Bytes(utf8(text), seed)`.
 */
export function murmur3String(text: string, seed: number): number {
  const length = text.length;
  const blocks = length & ~3;
  let h = seed | 0;
  for (let i = 0; i < blocks; i += 4) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    const c3 = text.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) > 0x7f) return murmur3Bytes(utf8Scratch(text), seed);
    h = mixBlock(h, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24));
  }
  const rest = length - blocks;
  if (rest > 0) {
    const c0 = text.charCodeAt(blocks);
    const c1 = rest > 1 ? text.charCodeAt(blocks + 1) : 0;
    const c2 = rest > 2 ? text.charCodeAt(blocks + 2) : 0;
    if ((c0 | c1 | c2) > 0x7f) return murmur3Bytes(utf8Scratch(text), seed);
    h = mixTail(h, c0 | (c1 << 8) | (c2 << 16));
  }
  return fmix32(h ^ length);
}
