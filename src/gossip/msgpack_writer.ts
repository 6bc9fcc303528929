/**
 * The msgpack byte builder: every primitive in the smallest form go-msgpack's
 * `codec` `MsgpackHandle` (zero value, old spec) would choose.
 *
 * @module
 */
import { type MsgValue, writeMsgValue } from "./msgpack_value.ts";

const utf8 = new TextEncoder();

/**
 * An append-only msgpack byte builder with Go's encoding choices.
 *
 * @example
 * ```ts
 * import { MsgpackWriter } from "./msgpack_writer.ts";
 * const w = new MsgpackWriter();
 * w.mapHeader(1).str("SeqNo").uint(15);
 * w.finish(); // 81 a5 53 65 71 4e 6f 0f
 * ```
 */
export class MsgpackWriter {
  #buf: Uint8Array;
  #view: DataView;
  #len = 0;

  /**
   * Creates an empty writer.
   *
   * @param initialCapacity The starting buffer size in bytes.
   */
  constructor(initialCapacity = 256) {
    this.#buf = new Uint8Array(Math.max(16, initialCapacity));
    this.#view = new DataView(this.#buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#len;
  }

  #ensure(n: number): void {
    const need = this.#len + n;
    if (need <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  /**
   * Appends one raw byte (not a msgpack value; e.g. a type byte).
   *
   * @param b A byte 0–255.
   * @returns This writer.
   */
  byte(b: number): this {
    this.#ensure(1);
    this.#buf[this.#len++] = b;
    return this;
  }

  /**
   * Appends bytes verbatim (already encoded data, or a payload after a header).
   *
   * @param bytes The bytes to copy.
   * @returns This writer.
   */
  raw(bytes: Uint8Array): this {
    this.#ensure(bytes.length);
    this.#buf.set(bytes, this.#len);
    this.#len += bytes.length;
    return this;
  }

  /**
   * Appends nil (`C0`).
   *
   * @returns This writer.
   */
  nil(): this {
    return this.byte(0xc0);
  }

  /**
   * Appends a bool (`C2`/`C3`).
   *
   * @param v The value.
   * @returns This writer.
   */
  bool(v: boolean): this {
    return this.byte(v ? 0xc3 : 0xc2);
  }

  /**
   * Appends a non-negative integer in its smallest form.
   *
   * @param v An integer 0 … 2^64−1 (a `bigint` above 2^53).
   * @returns This writer.
   * @throws {RangeError} If `v` is negative, fractional or above 2^64−1.
   */
  uint(v: number | bigint): this {
    if (typeof v === "bigint") return this.#bigUint(v);
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`Cannot encode "${v}" as uint`);
    if (v < 0x80) return this.byte(v);
    this.#ensure(9);
    const p = this.#len;
    if (v < 0x100) {
      this.#buf[p] = 0xcc, this.#buf[p + 1] = v, this.#len += 2;
    } else if (v < 0x10000) {
      this.#buf[p] = 0xcd, this.#view.setUint16(p + 1, v), this.#len += 3;
    } else if (v < 0x100000000) {
      this.#buf[p] = 0xce, this.#view.setUint32(p + 1, v), this.#len += 5;
    } else {
      return this.#bigUint(BigInt(v));
    }
    return this;
  }

  #bigUint(v: bigint): this {
    if (v < 0n || v > 0xffffffffffffffffn) throw new RangeError(`Cannot encode "${v}" as uint`);
    if (v < 0x100000000n) return this.uint(Number(v));
    this.#ensure(9);
    this.#buf[this.#len] = 0xcf;
    this.#view.setBigUint64(this.#len + 1, v);
    this.#len += 9;
    return this;
  }

  /**
   * Appends a signed integer in its smallest form (positive values as uint).
   *
   * @param v A safe integer.
   * @returns This writer.
   * @throws {RangeError} If `v` is not a safe integer.
   */
  int(v: number): this {
    if (!Number.isSafeInteger(v)) throw new RangeError(`Cannot encode "${v}" as int`);
    if (v >= 0) return this.uint(v);
    this.#ensure(9);
    const p = this.#len;
    if (v >= -32) {
      this.#buf[p] = v & 0xff, this.#len += 1;
    } else if (v >= -0x80) {
      this.#buf[p] = 0xd0, this.#view.setInt8(p + 1, v), this.#len += 2;
    } else if (v >= -0x8000) {
      this.#buf[p] = 0xd1, this.#view.setInt16(p + 1, v), this.#len += 3;
    } else if (v >= -0x80000000) {
      this.#buf[p] = 0xd2, this.#view.setInt32(p + 1, v), this.#len += 5;
    } else {
      this.#buf[p] = 0xd3, this.#view.setBigInt64(p + 1, BigInt(v)), this.#len += 9;
    }
    return this;
  }

  /**
   * Appends a float64 (`CB`).
   *
   * @param v The value.
   * @returns This writer.
   */
  float64(v: number): this {
    this.#ensure(9);
    this.#buf[this.#len] = 0xcb;
    this.#view.setFloat64(this.#len + 1, v);
    this.#len += 9;
    return this;
  }

  #rawHeader(n: number): void {
    this.#ensure(5 + n);
    const p = this.#len;
    if (n < 32) {
      this.#buf[p] = 0xa0 | n, this.#len += 1;
    } else if (n < 0x10000) {
      this.#buf[p] = 0xda, this.#view.setUint16(p + 1, n), this.#len += 3;
    } else {
      this.#buf[p] = 0xdb, this.#view.setUint32(p + 1, n), this.#len += 5;
    }
  }

  /**
   * Appends a string as a raw string (UTF-8 bytes; fixstr, `DA` or `DB`).
   *
   * @param s The string.
   * @returns This writer.
   */
  str(s: string): this {
    // Reserve the largest header the worst-case UTF-8 size needs, encode in
    // place, then shift left if the real size takes a smaller header.
    const max = s.length * 3;
    const hdr = max < 32 ? 1 : max < 0x10000 ? 3 : 5;
    this.#ensure(hdr + max);
    const start = this.#len;
    const { written } = utf8.encodeInto(s, this.#buf.subarray(start + hdr));
    const need = written < 32 ? 1 : written < 0x10000 ? 3 : 5;
    if (need !== hdr) this.#buf.copyWithin(start + need, start + hdr, start + hdr + written);
    this.#rawHeader(written);
    this.#len = start + need + written;
    return this;
  }

  /**
   * Appends a byte slice as a raw string, like Go's `[]byte`; `undefined`
   * or `null` is a nil slice (`C0`).
   *
   * @param b The bytes.
   * @returns This writer.
   */
  bytes(b: Uint8Array | undefined | null): this {
    if (b === undefined || b === null) return this.nil();
    this.#rawHeader(b.length);
    return this.raw(b);
  }

  /**
   * Appends an array header (fixarray, `DC` or `DD`).
   *
   * @param n The element count.
   * @returns This writer.
   */
  arrayHeader(n: number): this {
    return this.#header(n, 0x90, 0xdc);
  }

  /**
   * Appends a map header (fixmap, `DE` or `DF`).
   *
   * @param n The pair count.
   * @returns This writer.
   */
  mapHeader(n: number): this {
    return this.#header(n, 0x80, 0xde);
  }

  #header(n: number, fix: number, c16: number): this {
    this.#ensure(5);
    const p = this.#len;
    if (n < 16) {
      this.#buf[p] = fix | n, this.#len += 1;
    } else if (n < 0x10000) {
      this.#buf[p] = c16, this.#view.setUint16(p + 1, n), this.#len += 3;
    } else {
      this.#buf[p] = c16 + 1, this.#view.setUint32(p + 1, n), this.#len += 5;
    }
    return this;
  }

  /**
   * Appends any {@link MsgValue}.
   *
   * @param v The value.
   * @returns This writer.
   * @throws {TypeError} For values msgpack cannot express (undefined, functions).
   */
  value(v: MsgValue): this {
    return writeMsgValue(this, v);
  }

  /**
   * Copies out everything written.
   *
   * @returns A new array with the encoded bytes.
   */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}
