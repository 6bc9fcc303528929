/**
 * The gossip layer's public view of members and the events it delivers.
 * This is what the registry server and the register agent consume.
 *
 * @module
 */
import type { MemberStatus } from "../../lib/types.ts";

/** A protocol version range as serf reports it. */
export interface VersionRange {
  readonly min: number;
  readonly max: number;
  readonly cur: number;
}

/** One cluster member, as serf reports it. */
export interface GossipMember {
  /** Unique member name (for registry members: the service or node id). */
  readonly name: string;
  /** Gossip address `ip:port` (IPv6 in brackets). */
  readonly addr: string;
  /** Serf tags from the member's meta. */
  readonly tags: Readonly<Record<string, string>>;
  /** Serf status. */
  readonly status: MemberStatus;
  /** memberlist protocol versions. */
  readonly protocol: VersionRange;
  /** Serf (delegate) protocol versions. */
  readonly delegate: VersionRange;
}

/** A membership change or a user event, delivered in order to subscribers. */
export type GossipEvent =
  | { readonly type: "snapshot"; readonly members: readonly GossipMember[] }
  | {
    /** `join`: new or back alive; `update`: tags/address changed; the rest are status changes. */
    readonly type: "join" | "update" | "leaving" | "left" | "failed" | "reap";
    readonly member: GossipMember;
  }
  | {
    readonly type: "user";
    readonly name: string;
    readonly payload: Uint8Array;
    readonly lTime: number;
    readonly coalesce: boolean;
  };
