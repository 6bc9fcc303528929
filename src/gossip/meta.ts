/**
 * serf tags ⇄ memberlist node Meta: `FF` + msgpack `map[string]string`
 * (gossip-wire.md §7.4).
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import { MsgpackReader, MsgpackWriter } from "./msgpack.ts";
import { META_MAX_SIZE } from "./wire_constants.ts";

/** The first byte of a serf ≥ 3 tag Meta. */
export const TAG_MAGIC_BYTE = 0xff;

/**
 * Encodes tags as serf does (`FF` + map). Keys are written sorted so the
 * bytes are reproducible (Go's order is random, and any order decodes).
 *
 * @param tags The tags; an empty object gives `FF 80`.
 * @returns The Meta bytes.
 * @throws {RegistryError} `TAGS_TOO_LARGE` past 512 bytes.
 * @example
 * ```ts
 * import { encodeTags } from "./meta.ts";
 * encodeTags({ role: "web" }); // ff 81 a4 "role" a3 "web"
 * ```
 */
export function encodeTags(tags: Readonly<Record<string, string>>): Uint8Array {
  const keys = Object.keys(tags).sort();
  const w = new MsgpackWriter(64).byte(TAG_MAGIC_BYTE).mapHeader(keys.length);
  for (const key of keys) w.str(key).str(tags[key]);
  if (w.length > META_MAX_SIZE) {
    throw new RegistryError(
      "TAGS_TOO_LARGE",
      `Cannot encode tags: "${w.length}" bytes exceed the ${META_MAX_SIZE}-byte meta limit`,
    );
  }
  return w.finish();
}

/**
 * Decodes a Meta into tags. An empty Meta, or one not starting with `FF`,
 * is the pre-tags form `{ role: <Meta as UTF-8> }`, as serf reads it.
 *
 * @param meta The Meta bytes.
 * @returns The tags (a fresh object).
 * @throws {WireError} (`./wire_error.ts`) `bad_msgpack` or `truncated` for an `FF` Meta that is not a string map.
 * @example
 * ```ts
 * import { decodeTags } from "./meta.ts";
 * decodeTags(new Uint8Array([0xff, 0x80])); // {}
 * decodeTags(new Uint8Array(0)); // { role: "" }
 * ```
 */
export function decodeTags(meta: Uint8Array): Record<string, string> {
  if (meta.length === 0 || meta[0] !== TAG_MAGIC_BYTE) {
    return { role: new TextDecoder().decode(meta) };
  }
  return readStringMap(new MsgpackReader(meta, 1));
}

/**
 * Reads a msgpack `map[string]string` (nil reads as empty).
 *
 * @param r The reader, at the map.
 * @returns A fresh object with the pairs.
 * @throws {WireError} `bad_msgpack` for non-string keys or values, `truncated`.
 */
export function readStringMap(r: MsgpackReader): Record<string, string> {
  const n = r.readMapHeader();
  const out: Record<string, string> = Object.create(null);
  for (let i = 0; i < n; i++) {
    const key = r.readString();
    out[key] = r.readString();
  }
  // Plain prototype for callers, but keys like "__proto__" stayed data.
  return Object.assign({}, out);
}

/**
 * Encodes a `map[string]string` value (keys sorted).
 *
 * @param w The writer.
 * @param map The map.
 */
export function writeStringMap(w: MsgpackWriter, map: Readonly<Record<string, string>>): void {
  const keys = Object.keys(map).sort();
  w.mapHeader(keys.length);
  for (const key of keys) w.str(key).str(map[key]);
}
