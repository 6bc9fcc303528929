/**
 * serf query filters (gossip-wire.md §7.2): each is one type byte followed
 * by msgpack. `00` + array of node names; `01` + `{Expr, Tag}`.
 *
 * @module
 */
import { MsgpackReader, MsgpackWriter } from "./msgpack.ts";
import { readFields } from "./wire_fields.ts";
import { WireError } from "./wire_error.ts";

/** Filter type byte: only the listed nodes respond. */
export const FILTER_NODE = 0;
/** Filter type byte: a tag must match a regular expression. */
export const FILTER_TAG = 1;

/** A decoded query filter; an unknown type byte means "do not process". */
export type SerfQueryFilter =
  | { readonly type: "nodes"; readonly nodes: readonly string[] }
  | { readonly type: "tag"; readonly tag: string; readonly expr: string }
  | { readonly type: "unknown" };

/**
 * Encodes a node-name filter.
 *
 * @param nodes The names that may respond.
 * @returns `00` + msgpack array of strings.
 * @example
 * ```ts
 * import { encodeNodeFilter } from "./serf_filters.ts";
 * encodeNodeFilter(["a"]); // 00 91 a1 61
 * ```
 */
export function encodeNodeFilter(nodes: readonly string[]): Uint8Array {
  const w = new MsgpackWriter(16 + nodes.length * 16).byte(FILTER_NODE).arrayHeader(nodes.length);
  for (const n of nodes) w.str(n);
  return w.finish();
}

/**
 * Encodes a tag filter.
 *
 * @param tag The tag name.
 * @param expr A Go RE2 regular expression (unanchored).
 * @returns `01` + msgpack `{Expr, Tag}`.
 */
export function encodeTagFilter(tag: string, expr: string): Uint8Array {
  return new MsgpackWriter(32).byte(FILTER_TAG).mapHeader(2).str("Expr").str(expr).str("Tag")
    .str(tag).finish();
}

/**
 * Decodes one filter.
 *
 * @param raw The filter bytes (type byte first).
 * @returns The filter; `{type: "unknown"}` for an unknown type byte.
 * @throws {WireError} `truncated` or `bad_msgpack` for a known type with a broken body.
 */
export function decodeFilter(raw: Uint8Array): SerfQueryFilter {
  if (raw.length === 0) throw new WireError("truncated", "Cannot decode filter: it is empty");
  const r = new MsgpackReader(raw, 1);
  if (raw[0] === FILTER_NODE) {
    const n = r.readArrayHeader();
    const nodes: string[] = [];
    for (let i = 0; i < n; i++) nodes.push(r.readString());
    return { type: "nodes", nodes };
  }
  if (raw[0] !== FILTER_TAG) return { type: "unknown" };
  let tag = "", expr = "";
  readFields(r, (key) => {
    if (key === "Tag") tag = r.readString();
    else if (key === "Expr") expr = r.readString();
    else return false;
    return true;
  });
  return { type: "tag", tag, expr };
}
