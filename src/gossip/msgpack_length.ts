/**
 * Measures one msgpack value without decoding it, so a stream reader knows
 * whether a complete value is buffered.
 *
 * @module
 */
import { WireError } from "./wire_error.ts";

function badType(b: number): WireError {
  return new WireError(
    "bad_msgpack",
    `Cannot decode msgpack: byte "0x${b.toString(16)}" is not a msgpack value`,
  );
}

/** Options of {@link msgpackLength}. */
export interface MsgpackLengthOptions {
  /** Where the value starts. @default 0 */
  readonly offset?: number;
  /** Refuse a value longer than this many bytes. @default unlimited */
  readonly maxBytes?: number;
}

const FIXED_SIZES: Record<number, number> = {
  0xc0: 1,
  0xc2: 1,
  0xc3: 1,
  0xcc: 2,
  0xcd: 3,
  0xce: 5,
  0xcf: 9,
  0xd0: 2,
  0xd1: 3,
  0xd2: 5,
  0xd3: 9,
  0xca: 5,
  0xcb: 9,
  0xd4: 3,
  0xd5: 4,
  0xd6: 6,
  0xd7: 10,
  0xd8: 18,
};

/**
 * Measures one complete msgpack value without decoding it, iteratively (no
 * recursion, so nesting depth does not matter). For streams: `-1` means
 * "read more and call again".
 *
 * @param bytes The buffered input.
 * @param options Start offset and size limit.
 * @returns The value's length in bytes, or `-1` if the input ends first.
 * @throws {WireError} `bad_msgpack` for the reserved byte `C1`, `too_large` past `maxBytes`.
 * @example
 * ```ts
 * import { msgpackLength } from "./msgpack_length.ts";
 * msgpackLength(new Uint8Array([0x92, 0x01])); // -1: one element missing
 * ```
 */
export function msgpackLength(bytes: Uint8Array, options: MsgpackLengthOptions = {}): number {
  const start = options.offset ?? 0;
  const max = options.maxBytes ?? Infinity;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = start;
  let pending = 1;
  while (pending > 0) {
    if (pos - start + pending > max) {
      throw new WireError("too_large", `Cannot decode msgpack: value exceeds "${max}" bytes`);
    }
    if (pos >= bytes.length) return -1;
    const step = headerStep(bytes, view, pos);
    if (step === null) return -1;
    pos += step.size;
    pending += step.children - 1;
  }
  if (pos > bytes.length) return -1;
  return pos - start;
}

/** The header at `pos`: its size including any payload, and its child count. */
function headerStep(
  bytes: Uint8Array,
  view: DataView,
  pos: number,
): { size: number; children: number } | null {
  const b = bytes[pos];
  if (b < 0x80 || b >= 0xe0) return { size: 1, children: 0 };
  if (b < 0x90) return { size: 1, children: (b & 0x0f) * 2 };
  if (b < 0xa0) return { size: 1, children: b & 0x0f };
  if (b < 0xc0) return { size: 1 + (b & 0x1f), children: 0 };
  const fixed = FIXED_SIZES[b];
  if (fixed !== undefined) return { size: fixed, children: 0 };
  const width = lengthWidth(b);
  if (width === 0) throw badType(b);
  if (pos + 1 + width > bytes.length) return null;
  const n = width === 1
    ? bytes[pos + 1]
    : width === 2
    ? view.getUint16(pos + 1)
    : view.getUint32(pos + 1);
  if (b === 0xdc || b === 0xdd) return { size: 1 + width, children: n };
  if (b === 0xde || b === 0xdf) return { size: 1 + width, children: n * 2 };
  // Extension types (C7–C9) carry a type byte after the length.
  const extra = b >= 0xc7 && b <= 0xc9 ? 1 : 0;
  return { size: 1 + width + extra + n, children: 0 };
}

function lengthWidth(b: number): number {
  switch (b) {
    case 0xc4:
    case 0xc7:
    case 0xd9:
      return 1;
    case 0xc5:
    case 0xc8:
    case 0xda:
    case 0xdc:
    case 0xde:
      return 2;
    case 0xc6:
    case 0xc9:
    case 0xdb:
    case 0xdd:
    case 0xdf:
      return 4;
  }
  return 0;
}
