/**
 * The failures of the msgpack reader: the {@link WireError}s it throws for
 * short or malformed input, including integers too large for a number.
 *
 * @module
 */
import { WireError } from "./wire_error.ts";

/**
 * The error for input that ends inside a value.
 *
 * @returns A `truncated` {@link WireError}.
 * @example
 * ```ts
 * import { truncated } from "./msgpack_read_errors.ts";
 * truncated().message; // "Cannot decode msgpack: input ended early"
 * ```
 */
export function truncated(): WireError {
  return new WireError("truncated", "Cannot decode msgpack: input ended early");
}

/**
 * The error for a type byte that does not start the expected value.
 *
 * @param b The type byte found.
 * @param want What was expected, e.g. `"map"`.
 * @returns A `bad_msgpack` {@link WireError}.
 * @example
 * ```ts
 * import { badType } from "./msgpack_read_errors.ts";
 * badType(0xc3, "map").message; // 'Cannot decode msgpack: byte "0xc3" is not a map'
 * ```
 */
export function badType(b: number, want: string): WireError {
  return new WireError(
    "bad_msgpack",
    `Cannot decode msgpack: byte "0x${b.toString(16)}" is not a ${want}`,
  );
}

/**
 * Converts a decoded 64-bit integer to a number, refusing values beyond 2^53.
 *
 * @param v The integer.
 * @returns The same value as a safe integer.
 * @throws {WireError} `bad_msgpack` when `v` is not a safe integer.
 * @example
 * ```ts
 * import { safe } from "./msgpack_read_errors.ts";
 * safe(42n); // 42
 * ```
 */
export function safe(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new WireError("bad_msgpack", `Cannot decode msgpack: integer "${v}" is too large`);
  }
  return Number(v);
}
