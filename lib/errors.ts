/**
 * The error type callers are expected to handle, and its closed list of codes.
 *
 * Argument misuse throws `TypeError` or `RangeError`; everything a caller can
 * reasonably recover from throws {@link RegistryError} with a stable
 * {@link ErrorCode}. Codes are never renamed or reused.
 *
 * @module
 */

/**
 * Every error code, in the order they were introduced. Append only.
 *
 * - `INVALID_ARGUMENT`: a request or option was malformed.
 * - `NO_SERVICE`: the group is unknown or has no live member.
 * - `NOT_READY`: the registry node has not finished its first state exchange.
 * - `METHOD_NOT_FOUND`: the RPC method does not exist.
 * - `MALFORMED_FRAME`: a frame was not a JSON object of the expected shape.
 * - `FRAME_TOO_LARGE`: a frame's declared length exceeds the limit.
 * - `RPC_TIMEOUT`: a call got no answer in time.
 * - `UNREACHABLE`: no registry address could be connected to.
 * - `CONNECTION_CLOSED`: the connection closed while a call was in flight.
 * - `CLOSED`: the object was used after `close()`.
 * - `JOIN_FAILED`: no gossip seed could be joined.
 * - `LEAVE_TIMEOUT`: a graceful leave did not finish in time.
 * - `TAGS_TOO_LARGE`: the encoded tags exceed serf's 512-byte meta limit.
 * - `DECRYPT_FAILED`: a gossip message could not be decrypted with any key.
 * - `PROTOCOL_ERROR`: a peer violated the gossip or RPC protocol.
 * - `INTERNAL`: anything else, including an unknown code from a server.
 * - `UNSUPPORTED_RUNTIME`: the Deno runtime lacks an API this needs (gossip's
 *   UDP sockets need `--unstable-net`).
 * - `ADDR_IN_USE`: a listen address (gossip or RPC; the message says which)
 *   is taken by another process.
 */
export const ERROR_CODES = [
  "INVALID_ARGUMENT",
  "NO_SERVICE",
  "NOT_READY",
  "METHOD_NOT_FOUND",
  "MALFORMED_FRAME",
  "FRAME_TOO_LARGE",
  "RPC_TIMEOUT",
  "UNREACHABLE",
  "CONNECTION_CLOSED",
  "CLOSED",
  "JOIN_FAILED",
  "LEAVE_TIMEOUT",
  "TAGS_TOO_LARGE",
  "DECRYPT_FAILED",
  "PROTOCOL_ERROR",
  "INTERNAL",
  "UNSUPPORTED_RUNTIME",
  "ADDR_IN_USE",
] as const;

/** A stable error code; see {@link ERROR_CODES} for what each one means. */
export type ErrorCode = typeof ERROR_CODES[number];

/**
 * Tells whether a value is one of the known {@link ErrorCode}s.
 *
 * @param value Any value, typically a `code` field read from the wire.
 * @returns `true` when `value` is a known code.
 * @example
 * ```ts
 * import { isErrorCode } from "./errors.ts";
 * isErrorCode("NO_SERVICE"); // true
 * isErrorCode("nope"); // false
 * ```
 */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * An error a caller is expected to handle, identified by a stable `code`.
 *
 * @example
 * ```ts
 * import { RegistryError } from "./errors.ts";
 * const err = new RegistryError("NO_SERVICE", 'Cannot match key "k": group "web" has no service');
 * err.code; // "NO_SERVICE"
 * ```
 */
export class RegistryError extends Error {
  /** The stable code callers branch on. */
  readonly code: ErrorCode;

  /**
   * Creates an error with a code and a message.
   *
   * @param code One of {@link ERROR_CODES}.
   * @param message Sentence case, no trailing period, the action first.
   * @param options Standard error options; pass the lower-level error as `cause`.
   */
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RegistryError";
    this.code = code;
  }

  /**
   * Rebuilds an error from its wire form `{ code, message }`; an unknown
   * code becomes `INTERNAL`.
   *
   * @param wire The `error` object of an RPC response.
   * @returns A `RegistryError` with the same message.
   * @example
   * ```ts
   * import { RegistryError } from "./errors.ts";
   * RegistryError.fromWire({ code: "BOGUS", message: "x" }).code; // "INTERNAL"
   * ```
   */
  static fromWire(wire: { code?: unknown; message?: unknown }): RegistryError {
    const code = isErrorCode(wire.code) ? wire.code : "INTERNAL";
    const message = typeof wire.message === "string" ? wire.message : "Unknown error";
    return new RegistryError(code, message);
  }

  /**
   * The wire form of this error, for an RPC error response.
   *
   * @returns `{ code, message }`.
   */
  toWire(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}
