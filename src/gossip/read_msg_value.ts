/**
 * Generic msgpack decoding: maps one value of any type, nested values
 * included, to plain JavaScript values (the mapping `decodeMsgpack` documents).
 *
 * @module
 */
import { MAX_MSGPACK_DEPTH } from "./wire_constants.ts";
import { WireError } from "./wire_error.ts";

/** The typed reads {@link readMsgValue} needs (`MsgpackReader` has them all). */
export interface MsgValueSource {
  /** Returns the next byte without consuming it. */
  peekByte(): number;
  /** Consumes a nil if one is next. */
  tryNil(): boolean;
  /** Reads a bool. */
  readBool(): boolean;
  /** Reads a float or an integer. */
  readFloat(): number;
  /** Reads a raw string. */
  readString(): string;
  /** Reads a byte slice as a view into the input. */
  readBytes(): Uint8Array;
  /** Reads an array header. */
  readArrayHeader(): number;
  /** Reads a map header. */
  readMapHeader(): number;
  /** Reads an unsigned integer, as a bigint beyond 2^53. */
  readBigUint(): number | bigint;
  /** Reads any integer as a safe integer. */
  readInt(): number;
}

/**
 * Reads one value of any type: maps become `Map`s, raw strings strings, bin
 * a copied `Uint8Array`, integers numbers (uint64 beyond 2^53: bigint), nil `null`.
 *
 * @param r Where to read.
 * @param depth How deeply the value is nested (0 at the top).
 * @returns The value.
 * @throws {WireError} `truncated`, `bad_msgpack`, or `too_deep` past {@link MAX_MSGPACK_DEPTH}.
 * @example
 * ```ts
 * import { readMsgValue } from "./read_msg_value.ts";
 * import { MsgpackReader } from "./msgpack_reader.ts";
 * readMsgValue(new MsgpackReader(new Uint8Array([0x91, 0x05])), 0); // [5]
 * ```
 */
export function readMsgValue(r: MsgValueSource, depth: number): unknown {
  if (depth > MAX_MSGPACK_DEPTH) {
    throw new WireError(
      "too_deep",
      `Cannot decode msgpack: nesting exceeds "${MAX_MSGPACK_DEPTH}"`,
    );
  }
  const b = r.peekByte();
  if (b === 0xc0) return r.tryNil(), null;
  if (b === 0xc2 || b === 0xc3) return r.readBool();
  if (b === 0xca || b === 0xcb) return r.readFloat();
  if ((b & 0xe0) === 0xa0 || (b >= 0xd9 && b <= 0xdb)) return r.readString();
  if (b >= 0xc4 && b <= 0xc6) return r.readBytes().slice();
  if ((b & 0xf0) === 0x90 || b === 0xdc || b === 0xdd) {
    const n = r.readArrayHeader();
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(readMsgValue(r, depth + 1));
    return out;
  }
  if ((b & 0xf0) === 0x80 || b === 0xde || b === 0xdf) {
    const n = r.readMapHeader();
    const out = new Map<unknown, unknown>();
    for (let i = 0; i < n; i++) out.set(readMsgValue(r, depth + 1), readMsgValue(r, depth + 1));
    return out;
  }
  if (b === 0xcf) return r.readBigUint();
  return r.readInt();
}
