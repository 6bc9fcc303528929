/**
 * The one error type of the gossip wire layer.
 *
 * Every decoder in `src/gossip/` (msgpack, LZW, message, packet and stream
 * codecs, keyring) throws {@link WireError} for bad input, never a bare
 * `Error`, so the node can count dropped packets by {@link WireErrorReason}.
 *
 * @module
 */

/**
 * Why a packet or stream was rejected. Stable strings, append only.
 *
 * - `truncated`: the input ended before the structure it declares.
 * - `bad_msgpack`: the msgpack is invalid or has the wrong type for a field.
 * - `unknown_type`: an unknown or misplaced message type byte.
 * - `bad_crc`: the outer CRC32 does not match.
 * - `bad_compression`: the LZW data or the compress wrapper is invalid.
 * - `too_large`: a declared or decompressed size exceeds a limit.
 * - `too_deep`: wrappers or msgpack nesting are deeper than allowed.
 * - `label_mismatch`: the packet or stream label differs from ours.
 * - `bad_label`: a malformed label header.
 * - `decrypt_failed`: no key decrypts the payload, or it is too short.
 * - `bad_encryption_version`: the encryption version byte is above 1.
 * - `not_encrypted`: plaintext arrived where encryption is required.
 * - `unexpected_encryption`: an encrypted stream arrived with no keyring.
 * - `bad_message`: a well-formed message with impossible field values.
 */
export type WireErrorReason =
  | "truncated"
  | "bad_msgpack"
  | "unknown_type"
  | "bad_crc"
  | "bad_compression"
  | "too_large"
  | "too_deep"
  | "label_mismatch"
  | "bad_label"
  | "decrypt_failed"
  | "bad_encryption_version"
  | "not_encrypted"
  | "unexpected_encryption"
  | "bad_message";

/**
 * A rejected packet or stream, with a stable {@link WireErrorReason}.
 *
 * @example
 * ```ts
 * import { WireError } from "./wire_error.ts";
 * const err = new WireError("bad_crc", 'Cannot accept packet: CRC "1" differs from "2"');
 * err.reason; // "bad_crc"
 * ```
 */
export class WireError extends Error {
  /** The stable reason callers count drops by. */
  readonly reason: WireErrorReason;

  /**
   * Creates a wire error.
   *
   * @param reason One of the {@link WireErrorReason} strings.
   * @param message Sentence case, action first, no trailing period.
   * @param options Standard error options; pass the lower-level error as `cause`.
   */
  constructor(reason: WireErrorReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "WireError";
    this.reason = reason;
  }
}
