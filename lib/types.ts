/**
 * Plain data types shared by the ring, the RPC client and the register API.
 *
 * @module
 */

/** The group that registry nodes themselves join; reserved for them. */
export const REGISTRY_GROUP = "registry-group";

/** A registered endpoint: what `match` and `members` return. */
export interface ServiceInfo {
  /** The service id (its gossip member name). */
  readonly id: string;
  /** The group it registered into. */
  readonly group: string;
  /** The address clients should use, from the `addr` tag. */
  readonly addr: string;
  /** All of the member's tags, `group` and `addr` included. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Gossip status of a member, as serf reports it. */
export type MemberStatus = "alive" | "leaving" | "left" | "failed";

/** A change to a group, as delivered by `watch`. */
export interface WatchEvent {
  /** `snapshot` first, then one event per change. */
  readonly type: "snapshot" | "join" | "leave" | "update";
  /** The group watched. */
  readonly group: string;
  /** Grows with every change on the answering node; never reused there. */
  readonly version: number;
  /** For `snapshot`, every live service; otherwise the one that changed. */
  readonly services: readonly ServiceInfo[];
}

/** What `info` says about a registry node. */
export interface NodeInfo {
  /** The node's id (gossip member name). */
  readonly id: string;
  /** The registry version it runs. */
  readonly version: string;
  /** Members it sees alive, itself included. */
  readonly clusterSize: number;
  /** The ring algorithm it answers with (`default-1` or `chash`). */
  readonly ring: string;
  /** Whether it answers queries (false until its first state exchange). */
  readonly ready: boolean;
  /** Warnings an operator should see, e.g. a peer with another ring. */
  readonly warnings: readonly string[];
}
