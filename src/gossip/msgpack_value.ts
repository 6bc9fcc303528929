/**
 * The values the msgpack encoder understands, and how each maps to
 * go-msgpack's encoding choices (gossip-wire.md §3.1).
 *
 * @module
 */

/** A float64 to encode as `CB` even when its value is integral. */
export class MsgFloat64 {
  /** The number to encode. */
  readonly value: number;
  /**
   * Wraps a number.
   *
   * @param value The float value.
   */
  constructor(value: number) {
    this.value = value;
  }
}

/**
 * A value `encodeMsgpack` understands. A plain object is a Go struct
 * (keys sorted by byte order, `undefined` fields left out, like omitempty);
 * a `Map` is a Go map (insertion order); a `Uint8Array` is a raw byte string;
 * integral numbers are integers, others float64; `null` is nil.
 */
export type MsgValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | MsgFloat64
  | readonly MsgValue[]
  | ReadonlyMap<string, MsgValue>
  | { readonly [key: string]: MsgValue | undefined };

/** The primitive appends {@link writeMsgValue} needs (`MsgpackWriter` has them all). */
export interface MsgValueSink {
  /** Appends nil. */
  nil(): this;
  /** Appends a bool. */
  bool(v: boolean): this;
  /** Appends a non-negative integer in its smallest form. */
  uint(v: number | bigint): this;
  /** Appends a signed integer in its smallest form. */
  int(v: number): this;
  /** Appends a float64. */
  float64(v: number): this;
  /** Appends a raw string. */
  str(s: string): this;
  /** Appends a byte slice as a raw string. */
  bytes(b: Uint8Array): this;
  /** Appends an array header. */
  arrayHeader(n: number): this;
  /** Appends a map header. */
  mapHeader(n: number): this;
}

/**
 * Appends any {@link MsgValue} with Go's encoding choices.
 *
 * @param w Where to append.
 * @param v The value.
 * @returns `w`.
 * @throws {TypeError} For values msgpack cannot express (undefined, functions).
 * @example
 * ```ts
 * import { writeMsgValue } from "./msgpack_value.ts";
 * import { MsgpackWriter } from "./msgpack_writer.ts";
 * writeMsgValue(new MsgpackWriter(), { SeqNo: 15 }).finish(); // 81 a5 53 65 71 4e 6f 0f
 * ```
 */
export function writeMsgValue<W extends MsgValueSink>(w: W, v: MsgValue): W {
  if (v === null) return w.nil();
  if (typeof v === "boolean") return w.bool(v);
  if (typeof v === "bigint") return w.uint(v);
  if (typeof v === "string") return w.str(v);
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) return w.float64(v);
    return v >= 0 ? w.uint(v) : w.int(v);
  }
  if (v instanceof Uint8Array) return w.bytes(v);
  if (v instanceof MsgFloat64) return w.float64(v.value);
  if (Array.isArray(v)) {
    w.arrayHeader(v.length);
    for (const item of v as readonly MsgValue[]) writeMsgValue(w, item);
    return w;
  }
  if (v instanceof Map) {
    w.mapHeader(v.size);
    for (const [key, item] of v as ReadonlyMap<string, MsgValue>) writeMsgValue(w.str(key), item);
    return w;
  }
  if (typeof v === "object") return writeStruct(w, v as Record<string, MsgValue | undefined>);
  throw new TypeError(`Cannot encode a "${typeof v}" as msgpack`);
}

function writeStruct<W extends MsgValueSink>(w: W, obj: Record<string, MsgValue | undefined>): W {
  // Go sorts struct field names by byte order; these are ASCII identifiers,
  // for which UTF-16 code unit order is the same.
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  w.mapHeader(keys.length);
  for (const key of keys) writeMsgValue(w.str(key), obj[key] as MsgValue);
  return w;
}
