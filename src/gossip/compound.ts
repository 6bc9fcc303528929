/**
 * memberlist's compound container (gossip-wire.md §2.7):
 * `07 | count | u16 lengths | parts`, UDP only.
 *
 * @module
 */
import { COMPOUND_MAX_PART_SIZE, COMPOUND_MAX_PARTS, MessageType } from "./wire_constants.ts";
import { WireError } from "./wire_error.ts";

/**
 * Builds a compound message: `07 | count | u16 lengths | parts`.
 *
 * @param parts Complete messages, each starting with its type byte.
 * @returns The compound bytes.
 * @throws {RangeError} For more than 255 parts or a part of 64 KiB or more.
 * @example
 * ```ts
 * import { encodeCompound } from "./compound.ts";
 * encodeCompound([new Uint8Array([0x0b]), new Uint8Array([0x0c])]);
 * // 07 02 0001 0001 0b 0c
 * ```
 */
export function encodeCompound(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length > COMPOUND_MAX_PARTS) {
    throw new RangeError(`Cannot build compound: "${parts.length}" parts exceed 255`);
  }
  let size = 2 + 2 * parts.length;
  for (const p of parts) {
    if (p.length > COMPOUND_MAX_PART_SIZE) {
      throw new RangeError(`Cannot build compound: part of "${p.length}" bytes exceeds 65535`);
    }
    size += p.length;
  }
  const out = new Uint8Array(size);
  out[0] = MessageType.COMPOUND;
  out[1] = parts.length;
  let pos = 2 + 2 * parts.length;
  parts.forEach((p, i) => {
    out[2 + 2 * i] = p.length >> 8;
    out[3 + 2 * i] = p.length & 0xff;
    out.set(p, pos);
    pos += p.length;
  });
  return out;
}

/** The parts of a compound message. */
export interface CompoundParts {
  /** The parts that fit in the buffer, as views into it. */
  readonly parts: Uint8Array[];
  /** How many declared parts did not fit (Go counts these as truncated). */
  readonly truncated: number;
}

/**
 * Splits a compound message (starting at its `07` type byte).
 *
 * @param bytes The compound bytes.
 * @returns The parts that fit and how many were cut off.
 * @throws {WireError} `truncated` if the header itself is cut off, `unknown_type` if not a compound.
 */
export function splitCompound(bytes: Uint8Array): CompoundParts {
  if (bytes.length === 0 || bytes[0] !== MessageType.COMPOUND) {
    throw new WireError("unknown_type", "Cannot split compound: type byte is not 7");
  }
  if (bytes.length < 2) throw new WireError("truncated", "Cannot split compound: no part count");
  const n = bytes[1];
  if (bytes.length < 2 + 2 * n) {
    throw new WireError("truncated", `Cannot split compound: header of "${n}" parts is cut off`);
  }
  const parts: Uint8Array[] = [];
  let pos = 2 + 2 * n;
  for (let i = 0; i < n; i++) {
    const len = (bytes[2 + 2 * i] << 8) | bytes[3 + 2 * i];
    if (pos + len > bytes.length) return { parts, truncated: n - i };
    parts.push(bytes.subarray(pos, pos + len));
    pos += len;
  }
  return { parts, truncated: 0 };
}
