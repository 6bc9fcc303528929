/**
 * Wire constants of the discovery RPC. Append only: never renumber, rename
 * or reuse a value, since clients in other languages depend on them.
 *
 * @module
 */

/** Bytes of the frame header: a 4-byte unsigned big-endian payload length. */
export const FRAME_HEADER_BYTES = 4;

/** Default largest accepted frame payload, in bytes (1 MiB). */
export const DEFAULT_MAX_FRAME_BYTES: number = 1024 * 1024;

/** The hard upper bound of a frame payload: what 4 header bytes can express. */
export const MAX_FRAME_BYTES_LIMIT = 0xffff_ffff;

/** The RPC methods a registry node answers. */
export const RPC_METHODS = {
  /** `{group, key}` → the owning service. */
  MATCH: "match",
  /** `{group, key, n}` → up to `n` distinct services, owner first. */
  MATCH_N: "matchN",
  /** `{group}` → every live service of the group. */
  MEMBERS: "members",
  /** `{}` → the names of the groups with at least one live service. */
  GROUPS: "groups",
  /** `{group}` → a stream of watch events on the request's id. */
  WATCH: "watch",
  /** `{id}` → stops the watch started by the request with that id. */
  UNWATCH: "unwatch",
  /** `{}` → facts about the answering node. */
  INFO: "info",
} as const;

/** The largest `n` a `matchN` request may ask for. */
export const MAX_MATCH_N = 100;

/** The port registry nodes listen on for RPC unless told otherwise. */
export const DEFAULT_RPC_PORT = 9800;
