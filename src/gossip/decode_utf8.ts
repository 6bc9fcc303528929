/**
 * UTF-8 decoding for msgpack strings, with a fast path for the short ASCII
 * keys of Go structs (most strings on the gossip wire).
 *
 * @module
 */

const utf8 = new TextDecoder();

/**
 * Decodes UTF-8; short pure-ASCII input skips `TextDecoder`.
 *
 * @param bytes The bytes.
 * @returns The string (invalid UTF-8 becomes U+FFFD).
 * @example
 * ```ts
 * import { decodeUtf8 } from "./decode_utf8.ts";
 * decodeUtf8(new Uint8Array([0x53, 0x65, 0x71])); // "Seq"
 * ```
 */
export function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.length <= 24) {
    let s = "";
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      if (c >= 0x80) return utf8.decode(bytes);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8.decode(bytes);
}
