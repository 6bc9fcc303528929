/**
 * UTF-8 encoding into one reused scratch buffer, for hashing keys that are
 * not plain ASCII without allocating per key. Private to `lib/`.
 *
 * @module
 */

const ENCODER = new TextEncoder();
let scratch = new Uint8Array(256);

/**
 * Encodes `text` as UTF-8 (lone surrogates become U+FFFD) into a shared
 * scratch buffer.
 *
 * @param text Any string.
 * @returns A view of the scratch buffer holding the bytes; valid only until
 * the next call.
 */
export function utf8Scratch(text: string): Uint8Array {
  // Each UTF-16 code unit encodes to at most 3 bytes.
  const needed = text.length * 3;
  if (needed > scratch.length) scratch = new Uint8Array(Math.max(needed, scratch.length * 2));
  const { written } = ENCODER.encodeInto(text, scratch);
  return scratch.subarray(0, written);
}

/**
 * Encodes `text` as UTF-8 into a new array.
 *
 * @param text Any string.
 * @returns The bytes, owned by the caller.
 */
export function utf8Bytes(text: string): Uint8Array {
  return ENCODER.encode(text);
}
