/**
 * Serf's network coordinate in ack payloads (gossip-wire.md §7.10):
 * `01` + msgpack `{Adjustment, Error, Height, Vec}` of float64s.
 *
 * @module
 */
import { MsgpackReader, MsgpackWriter } from "./msgpack.ts";
import { readFields } from "./wire_fields.ts";
import { WireError } from "./wire_error.ts";

/** The ack-payload version byte of a coordinate. */
export const COORDINATE_VERSION = 1;

/** A Vivaldi network coordinate. */
export interface Coordinate {
  /** Vivaldi adjustment term (seconds). */
  readonly adjustment: number;
  /** Vivaldi error estimate. */
  readonly error: number;
  /** Vivaldi height (seconds). */
  readonly height: number;
  /** Euclidean part; serf uses 8 dimensions. */
  readonly vec: readonly number[];
}

/** A fresh coordinate as serf creates it. */
export const FRESH_COORDINATE: Coordinate = {
  adjustment: 0,
  error: 1.5,
  height: 1e-5,
  vec: [0, 0, 0, 0, 0, 0, 0, 0],
};

/**
 * Encodes an ack payload carrying a coordinate.
 *
 * @param c The coordinate.
 * @returns `01` + msgpack, every number as float64 like Go.
 * @example
 * ```ts
 * import { encodeCoordinate, FRESH_COORDINATE } from "./serf_coordinate.ts";
 * encodeCoordinate(FRESH_COORDINATE).length; // 130
 * ```
 */
export function encodeCoordinate(c: Coordinate): Uint8Array {
  const w = new MsgpackWriter(160).byte(COORDINATE_VERSION).mapHeader(4);
  w.str("Adjustment").float64(c.adjustment).str("Error").float64(c.error);
  w.str("Height").float64(c.height).str("Vec").arrayHeader(c.vec.length);
  for (const v of c.vec) w.float64(v);
  return w.finish();
}

/**
 * Decodes an ack payload carrying a coordinate.
 *
 * @param payload The ack payload.
 * @returns The coordinate.
 * @throws {WireError} `unknown_type` for an empty payload or another version, `bad_msgpack`, `truncated`.
 */
export function decodeCoordinate(payload: Uint8Array): Coordinate {
  if (payload.length === 0 || payload[0] !== COORDINATE_VERSION) {
    throw new WireError(
      "unknown_type",
      `Cannot decode coordinate: version "${payload[0]}" is unknown`,
    );
  }
  const r = new MsgpackReader(payload, 1);
  let adjustment = 0, error = 0, height = 0;
  const vec: number[] = [];
  readFields(r, (key) => {
    if (key === "Adjustment") adjustment = r.readFloat();
    else if (key === "Error") error = r.readFloat();
    else if (key === "Height") height = r.readFloat();
    else if (key === "Vec") {
      const n = r.readArrayHeader();
      for (let i = 0; i < n; i++) vec.push(r.readFloat());
    } else return false;
    return true;
  });
  return { adjustment, error, height, vec };
}
