/**
 * Typed field readers shared by the memberlist and serf codecs: the map
 * walk, bounded unsigned integers and the Vsn vector.
 *
 * @module
 */
import type { Vsn } from "./messages.ts";
import type { MsgpackReader } from "./msgpack.ts";
import { WireError } from "./wire_error.ts";

/**
 * Calls `onField(key)` for every key of a msgpack map; the callback must
 * consume the value and return `true`, or return `false` to have it skipped.
 *
 * @param r The reader, positioned at the map.
 * @param onField The field handler.
 * @throws {WireError} On malformed input.
 */
export function readFields(r: MsgpackReader, onField: (key: string) => boolean): void {
  const n = r.readMapHeader();
  for (let i = 0; i < n; i++) {
    if (!onField(r.readString())) r.skip();
  }
}

/**
 * The raw 6-byte form of a version vector (Go `[]uint8`).
 *
 * @param vsn The vector.
 * @returns Six bytes.
 * @throws {RangeError} If a value is outside 0–255.
 */
export function vsnBytes(vsn: Vsn): Uint8Array {
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) {
    const v = vsn[i];
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new RangeError(`Invalid Vsn "${vsn}"`);
    out[i] = v;
  }
  return out;
}

/**
 * Reads a Vsn field: a raw/bin byte string, or an array of integers. Missing
 * bytes are 0 (which the core's version check then refuses), extras ignored.
 *
 * @param r The reader, positioned at the value.
 * @returns A 6-tuple.
 * @throws {WireError} `bad_msgpack` for other types or out-of-range values.
 */
export function readVsn(r: MsgpackReader): Vsn {
  const b = r.peekByte();
  const out = [0, 0, 0, 0, 0, 0];
  if ((b & 0xf0) === 0x90 || b === 0xdc || b === 0xdd) {
    const n = r.readArrayHeader();
    for (let i = 0; i < n; i++) {
      const v = r.readUint();
      if (v > 255) throw new WireError("bad_msgpack", `Cannot decode Vsn: "${v}" exceeds a byte`);
      if (i < 6) out[i] = v;
    }
  } else {
    const bytes = r.readBytes();
    for (let i = 0; i < 6 && i < bytes.length; i++) out[i] = bytes[i];
  }
  return out as unknown as Vsn;
}

/**
 * Reads a uint32 field, refusing larger values (Go would overflow-check too).
 *
 * @param r The reader.
 * @returns The value.
 * @throws {WireError} `bad_msgpack` above 2^32−1.
 */
export function readU32(r: MsgpackReader): number {
  return readMax(r, 0xffffffff);
}

/**
 * Reads a uint16 field (ports).
 *
 * @param r The reader.
 * @returns The value.
 * @throws {WireError} `bad_msgpack` above 65535.
 */
export function readU16(r: MsgpackReader): number {
  return readMax(r, 0xffff);
}

function readMax(r: MsgpackReader, max: number): number {
  const v = r.readUint();
  if (v > max) throw new WireError("bad_msgpack", `Cannot decode field: "${v}" exceeds "${max}"`);
  return v;
}
