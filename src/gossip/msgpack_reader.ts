/**
 * A go-msgpack compatible msgpack decoder: a typed pull reader for
 * schema-driven decoding and a generic {@link decodeMsgpack}.
 *
 * Accepts everything in gossip-wire.md §3.3: `D9`, bin `C4`–`C6`, every
 * integer width, f32/f64, `C0` for any value (read as the zero value).
 * Declared lengths are checked against the remaining input before anything
 * is allocated; bad input throws {@link WireError}, never anything else.
 *
 * @module
 */
import { decodeUtf8 } from "./decode_utf8.ts";
import { msgpackLength } from "./msgpack_length.ts";
import { badType, safe, truncated } from "./msgpack_read_errors.ts";
import { readMsgValue } from "./read_msg_value.ts";
import { WireError } from "./wire_error.ts";

/**
 * A cursor over msgpack bytes with typed reads. Every read throws
 * {@link WireError} (`truncated` or `bad_msgpack`) on bad input.
 *
 * @example
 * ```ts
 * import { MsgpackReader } from "./msgpack_reader.ts";
 * const r = new MsgpackReader(new Uint8Array([0x81, 0xa1, 0x41, 0x05]));
 * r.readMapHeader(); // 1
 * r.readString(); // "A"
 * r.readUint(); // 5
 * ```
 */
export class MsgpackReader {
  #buf: Uint8Array;
  #view: DataView;
  #pos: number;

  /**
   * Creates a reader.
   *
   * @param bytes The input; never copied.
   * @param offset Where to start.
   */
  constructor(bytes: Uint8Array, offset = 0) {
    this.#buf = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#pos = offset;
  }

  /** The current position in the input. */
  get offset(): number {
    return this.#pos;
  }

  /** Bytes left after the current position. */
  get remaining(): number {
    return this.#buf.length - this.#pos;
  }

  #need(n: number): void {
    if (n > this.#buf.length - this.#pos) throw truncated();
  }

  #u8(): number {
    this.#need(1);
    return this.#buf[this.#pos++];
  }

  /**
   * Returns the next byte without consuming it.
   *
   * @returns The byte.
   * @throws {WireError} `truncated` at the end of input.
   */
  peekByte(): number {
    this.#need(1);
    return this.#buf[this.#pos];
  }

  /**
   * Consumes a nil if one is next.
   *
   * @returns `true` if a nil was consumed.
   * @throws {WireError} `truncated` at the end of input.
   */
  tryNil(): boolean {
    if (this.peekByte() !== 0xc0) return false;
    this.#pos++;
    return true;
  }

  /**
   * Reads a map header; nil counts as an empty map.
   *
   * @returns The pair count.
   * @throws {WireError} `bad_msgpack` if the next value is not a map.
   */
  readMapHeader(): number {
    return this.#container(0x80, 0xde, "map", 2);
  }

  /**
   * Reads an array header; nil counts as an empty array.
   *
   * @returns The element count.
   * @throws {WireError} `bad_msgpack` if the next value is not an array.
   */
  readArrayHeader(): number {
    return this.#container(0x90, 0xdc, "array", 1);
  }

  #container(fix: number, c16: number, what: string, perItem: number): number {
    const b = this.#u8();
    let n: number;
    if ((b & 0xf0) === fix) n = b & 0x0f;
    else if (b === 0xc0) return 0;
    else if (b === c16) n = this.#uintN(2);
    else if (b === c16 + 1) n = this.#uintN(4);
    else throw badType(b, what);
    // Every element takes at least one byte: refuse impossible counts early.
    if (n * perItem > this.remaining) throw truncated();
    return n;
  }

  #uintN(n: number): number {
    this.#need(n);
    const p = this.#pos;
    this.#pos += n;
    if (n === 1) return this.#buf[p];
    if (n === 2) return this.#view.getUint16(p);
    return this.#view.getUint32(p);
  }

  /**
   * Reads any integer (any width, sign checked), or nil as 0.
   *
   * @returns The value as a safe integer.
   * @throws {WireError} `bad_msgpack` for non-integers or values beyond 2^53.
   */
  readInt(): number {
    const b = this.#u8();
    if (b < 0x80) return b;
    if (b >= 0xe0) return b - 0x100;
    const v = this.#view;
    const p = this.#pos;
    switch (b) {
      case 0xc0:
        return 0;
      case 0xcc:
        return this.#uintN(1);
      case 0xcd:
        return this.#uintN(2);
      case 0xce:
        return this.#uintN(4);
      case 0xd0:
        return this.#need(1), this.#pos += 1, v.getInt8(p);
      case 0xd1:
        return this.#need(2), this.#pos += 2, v.getInt16(p);
      case 0xd2:
        return this.#need(4), this.#pos += 4, v.getInt32(p);
      case 0xcf:
        return this.#need(8), this.#pos += 8, safe(v.getBigUint64(p));
      case 0xd3:
        return this.#need(8), this.#pos += 8, safe(v.getBigInt64(p));
    }
    this.#pos--;
    throw badType(b, "integer");
  }

  /**
   * Reads a non-negative integer (a Go unsigned field), or nil as 0.
   *
   * @returns The value.
   * @throws {WireError} `bad_msgpack` for negatives, non-integers or values beyond 2^53.
   */
  readUint(): number {
    const v = this.readInt();
    if (v < 0) throw new WireError("bad_msgpack", `Cannot decode msgpack: "${v}" is negative`);
    return v;
  }

  /**
   * Reads an unsigned integer that may exceed 2^53 (a Go uint64).
   *
   * @returns A number when safe, else a bigint.
   * @throws {WireError} `bad_msgpack` for non-integers or negatives.
   */
  readBigUint(): number | bigint {
    if (this.peekByte() !== 0xcf) return this.readUint();
    this.#need(9);
    const big = this.#view.getBigUint64(this.#pos + 1);
    this.#pos += 9;
    return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }

  /**
   * Reads a bool (`C2`/`C3`, or the integers 0/1 as Go accepts), or nil as false.
   *
   * @returns The value.
   * @throws {WireError} `bad_msgpack` for other types.
   */
  readBool(): boolean {
    const b = this.peekByte();
    if (b === 0xc3 || b === 0xc2) return this.#pos++, b === 0xc3;
    return this.readInt() !== 0;
  }

  /**
   * Reads a float (f32 or f64), an integer, or nil as 0.
   *
   * @returns The value.
   * @throws {WireError} `bad_msgpack` for other types.
   */
  readFloat(): number {
    const b = this.peekByte();
    if (b === 0xcb) return this.#need(9), this.#pos += 9, this.#view.getFloat64(this.#pos - 8);
    if (b === 0xca) return this.#need(5), this.#pos += 5, this.#view.getFloat32(this.#pos - 4);
    return this.readInt();
  }

  #rawLength(allowBin: boolean): number {
    const b = this.#u8();
    if ((b & 0xe0) === 0xa0) return b & 0x1f;
    if (b === 0xd9 || (allowBin && b === 0xc4)) return this.#uintN(1);
    if (b === 0xda || (allowBin && b === 0xc5)) return this.#uintN(2);
    if (b === 0xdb || (allowBin && b === 0xc6)) return this.#uintN(4);
    if (b === 0xc0) return -1;
    this.#pos--;
    throw badType(b, allowBin ? "byte string" : "string");
  }

  /**
   * Reads a string (raw/str forms only, like Go; bin is refused), or nil as "".
   *
   * @returns The string (invalid UTF-8 becomes U+FFFD).
   * @throws {WireError} `bad_msgpack` for other types, `truncated` if too short.
   */
  readString(): string {
    const n = this.#rawLength(false);
    if (n <= 0) return "";
    this.#need(n);
    this.#pos += n;
    return decodeUtf8(this.#buf.subarray(this.#pos - n, this.#pos));
  }

  /**
   * Reads a byte slice (str or bin forms), or nil as `undefined`.
   *
   * @returns A view into the input (not a copy), or `undefined` for nil.
   * @throws {WireError} `bad_msgpack` for other types, `truncated` if too short.
   */
  readBytesOrNil(): Uint8Array | undefined {
    const n = this.#rawLength(true);
    if (n < 0) return undefined;
    this.#need(n);
    this.#pos += n;
    return this.#buf.subarray(this.#pos - n, this.#pos);
  }

  /**
   * Reads a byte slice (str or bin forms), or nil as an empty array.
   *
   * @returns A view into the input (not a copy).
   * @throws {WireError} `bad_msgpack` for other types, `truncated` if too short.
   */
  readBytes(): Uint8Array {
    return this.readBytesOrNil() ?? new Uint8Array(0);
  }

  /**
   * Skips one complete value of any type.
   *
   * @throws {WireError} `truncated` or `bad_msgpack`.
   */
  skip(): void {
    const len = msgpackLength(this.#buf, { offset: this.#pos });
    if (len < 0) throw truncated();
    this.#pos += len;
  }

  /**
   * Reads one value of any type (see {@link decodeMsgpack} for the mapping).
   *
   * @returns The value.
   * @throws {WireError} `truncated`, `bad_msgpack`, or `too_deep` past the nesting limit.
   */
  readValue(): unknown {
    return readMsgValue(this, 0);
  }
}

/** The result of {@link decodeMsgpack}. */
export interface DecodedMsgpack {
  /** The decoded value. */
  readonly value: unknown;
  /** How many bytes the value took. */
  readonly bytesUsed: number;
}

/**
 * Decodes one msgpack value of any type. Maps become `Map`s, raw strings
 * (fixstr, `D9`–`DB`) become strings, bin becomes `Uint8Array`, integers
 * become numbers (uint64 beyond 2^53: bigint), nil becomes `null`. Trailing
 * bytes are left alone (see `bytesUsed`).
 *
 * @param bytes The input.
 * @param offset Where the value starts.
 * @returns The value and the bytes it used.
 * @throws {WireError} `truncated` (need more input), `bad_msgpack` or `too_deep`.
 * @example
 * ```ts
 * import { decodeMsgpack } from "./msgpack_reader.ts";
 * decodeMsgpack(new Uint8Array([0x0f, 0xff])); // { value: 15, bytesUsed: 1 }
 * ```
 */
export function decodeMsgpack(bytes: Uint8Array, offset = 0): DecodedMsgpack {
  const r = new MsgpackReader(bytes, offset);
  const value = r.readValue();
  return { value, bytesUsed: r.offset - offset };
}

export { msgpackLength, type MsgpackLengthOptions } from "./msgpack_length.ts";
