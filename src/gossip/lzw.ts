/**
 * LZW as Go's `compress/lzw` does it with `LSB` order and 8-bit literals,
 * the only algorithm of memberlist's compress wrapper (gossip-wire.md §2.6).
 *
 * Codes 0–255 are literals, 256 CLEAR, 257 EOF, new entries from 258; codes
 * start 9 bits wide, grow to 12, and are packed least-significant bit first.
 * The encoder matches Go ≥ 1.17 byte for byte: a leading CLEAR, and a CLEAR
 * plus reset whenever the next free slot would be 4095.
 *
 * @module
 */
import { WireError } from "./wire_error.ts";

const CLEAR = 256;
const EOF = 257;
const MAX_WIDTH = 12;
const MAX_CODE = (1 << MAX_WIDTH) - 1;
const TABLE_SIZE = 1 << MAX_WIDTH;

function bad(message: string): WireError {
  return new WireError("bad_compression", `Cannot decompress LZW: ${message}`);
}

/** A growable output buffer that refuses to pass `max` bytes. */
class Output {
  buf: Uint8Array;
  len = 0;
  readonly max: number;
  constructor(initial: number, max: number) {
    this.buf = new Uint8Array(Math.max(64, Math.min(initial, max)));
    this.max = max;
  }
  reserve(n: number): void {
    const need = this.len + n;
    if (need > this.max) {
      throw new WireError("too_large", `Cannot decompress LZW: output exceeds "${this.max}" bytes`);
    }
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.min(this.max, Math.max(need, this.buf.length * 2)));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}

/**
 * Decompresses Go `compress/lzw` (LSB, literal width 8) data. Accepts
 * streams with or without a leading CLEAR; the stream must end with EOF.
 *
 * @param bytes The compressed bytes.
 * @param maxOutput The decompression-bomb guard: most bytes to produce.
 * @returns The decompressed bytes.
 * @throws {WireError} `bad_compression` for invalid codes or a missing EOF,
 *   `too_large` past `maxOutput`.
 * @example
 * ```ts
 * import { lzwCompress, lzwDecompress } from "./lzw.ts";
 * lzwDecompress(lzwCompress(new Uint8Array([1, 2, 3])), 1024); // 1 2 3
 * ```
 */
export function lzwDecompress(bytes: Uint8Array, maxOutput: number): Uint8Array {
  return new LzwDecoder(bytes, maxOutput).run();
}

/** Go's LZW reader state: the dictionary, the code width and the bit buffer. */
class LzwDecoder {
  readonly #prefix = new Uint16Array(TABLE_SIZE);
  readonly #suffix = new Uint8Array(TABLE_SIZE);
  readonly #lengths = new Uint16Array(TABLE_SIZE);
  readonly #input: Uint8Array;
  readonly #out: Output;
  #width = 9;
  #hi = EOF;
  #overflow = 512;
  #last = -1;
  #bits = 0;
  #nBits = 0;
  #pos = 0;

  constructor(input: Uint8Array, maxOutput: number) {
    this.#input = input;
    this.#out = new Output(input.length * 3, maxOutput);
    for (let i = 0; i < 256; i++) this.#suffix[i] = i, this.#lengths[i] = 1;
  }

  run(): Uint8Array {
    for (;;) {
      const code = this.#nextCode();
      if (code === EOF) return this.#out.buf.slice(0, this.#out.len);
      if (code === CLEAR) {
        this.#width = 9, this.#hi = EOF, this.#overflow = 1 << 9, this.#last = -1;
        continue;
      }
      if (code > this.#hi || (code === this.#hi && this.#last < 0)) {
        throw bad(`invalid code "${code}"`);
      }
      this.#emit(code);
    }
  }

  #nextCode(): number {
    while (this.#nBits < this.#width) {
      if (this.#pos >= this.#input.length) throw bad("input ended before EOF");
      this.#bits |= this.#input[this.#pos++] << this.#nBits;
      this.#nBits += 8;
    }
    const code = this.#bits & ((1 << this.#width) - 1);
    this.#bits >>>= this.#width;
    this.#nBits -= this.#width;
    return code;
  }

  /** Outputs the string of `code`, then records `last + first byte` as a new entry. */
  #emit(code: number): void {
    const out = this.#out;
    // A code equal to the next free slot is the previous string plus its own first byte.
    const kwkwk = code === this.#hi;
    const c = kwkwk ? this.#last : code;
    const len = this.#lengths[c];
    out.reserve(len + (kwkwk ? 1 : 0));
    let p = out.len + len - 1;
    for (let k = c; p >= out.len; p--) out.buf[p] = this.#suffix[k], k = this.#prefix[k];
    const first = out.buf[out.len];
    out.len += len;
    if (kwkwk) out.buf[out.len++] = first;
    if (this.#last >= 0) {
      const hi = this.#hi;
      this.#suffix[hi] = first, this.#prefix[hi] = this.#last;
      this.#lengths[hi] = this.#lengths[this.#last] + 1;
    }
    this.#last = code, this.#hi++;
    if (this.#hi < this.#overflow) return;
    if (this.#width === MAX_WIDTH) {
      // Table full: add nothing more until the encoder sends CLEAR.
      this.#last = -1, this.#hi--;
    } else {
      this.#width++, this.#overflow <<= 1;
    }
  }
}

/** LSB-first code packer. */
class BitWriter {
  out: Uint8Array;
  len = 0;
  bits = 0;
  nBits = 0;
  constructor(capacity: number) {
    this.out = new Uint8Array(capacity);
  }
  write(code: number, width: number): void {
    this.bits |= code << this.nBits;
    this.nBits += width;
    while (this.nBits >= 8) {
      if (this.len === this.out.length) {
        const next = new Uint8Array(this.out.length * 2);
        next.set(this.out);
        this.out = next;
      }
      this.out[this.len++] = this.bits & 0xff;
      this.bits >>>= 8;
      this.nBits -= 8;
    }
  }
  finish(): Uint8Array {
    if (this.nBits > 0) this.write(0, 8 - this.nBits);
    return this.out.slice(0, this.len);
  }
}

/**
 * Compresses like Go's `lzw.NewWriter(w, lzw.LSB, 8)` with one `Write` and a
 * `Close` (Go ≥ 1.17 output, byte for byte).
 *
 * @param bytes The data.
 * @returns The compressed bytes (CLEAR first, EOF last, zero-padded).
 * @example
 * ```ts
 * import { lzwCompress } from "./lzw.ts";
 * lzwCompress(new Uint8Array(0)); // CLEAR then EOF: 00 03 02
 * ```
 */
export function lzwCompress(bytes: Uint8Array): Uint8Array {
  const w = new BitWriter(Math.max(16, bytes.length + 8));
  // key = (code << 8 | byte) → code + 1 (0 = empty).
  const table = new Map<number, number>();
  let width = 9, hi = EOF, overflow = 1 << width;
  w.write(CLEAR, width);
  if (bytes.length === 0) {
    w.write(EOF, width);
    return w.finish();
  }
  const incHi = (): boolean => {
    hi++;
    if (hi === overflow) width++, overflow <<= 1;
    if (hi !== MAX_CODE) return false;
    w.write(CLEAR, width);
    width = 9, hi = EOF, overflow = 1 << width;
    table.clear();
    return true;
  };
  let code = bytes[0];
  for (let i = 1; i < bytes.length; i++) {
    const key = (code << 8) | bytes[i];
    const hit = table.get(key);
    if (hit !== undefined) {
      code = hit;
      continue;
    }
    w.write(code, width);
    code = bytes[i];
    if (!incHi()) table.set(key, hi);
  }
  w.write(code, width);
  incHi();
  w.write(EOF, width);
  return w.finish();
}
