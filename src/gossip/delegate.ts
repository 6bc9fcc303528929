/**
 * The contract between the memberlist core (SWIM) and the layer above it
 * (serf). Every method is synchronous and must return quickly: it runs inside
 * the core's input handling.
 *
 * @module
 */
import type { NodeState, Vsn } from "./messages.ts";

/** The memberlist view of one node, as passed to the delegate. */
export interface NodeRecord {
  /** Unique member name. */
  readonly name: string;
  /** IP as a string (`127.0.0.1`, `::1`; IPv4-mapped IPv6 shown as IPv4). */
  readonly ip: string;
  /** Gossip port. */
  readonly port: number;
  /** Raw meta bytes (serf: `FF` + msgpack tags). */
  readonly meta: Uint8Array;
  /** Protocol versions. */
  readonly vsn: Vsn;
  /** Current incarnation. */
  readonly incarnation: number;
  /** Current state. */
  readonly state: NodeState;
  /** When the state last changed, by the core's clock (ms). */
  readonly stateChangeMs: number;
}

/** What the layer above memberlist provides (memberlist's Delegate + EventDelegate + ...). */
export interface MemberlistDelegate {
  /** The meta bytes to advertise for the local node (≤ `limit` bytes). */
  nodeMeta(limit: number): Uint8Array;
  /** A user message arrived (UDP or stream): for serf, one serf message. */
  notifyUserMessage(payload: Uint8Array): void;
  /**
   * Broadcasts to piggy-back: each entry is one user message payload (the core
   * prefixes `08`). Total size must stay within `limit` counting `overhead`
   * bytes per message.
   */
  getBroadcasts(overhead: number, limit: number): Uint8Array[];
  /** The user state to send in a push-pull (serf: `02` + messagePushPull). */
  localState(join: boolean): Uint8Array;
  /** Merges a peer's user state from a push-pull. */
  mergeRemoteState(state: Uint8Array, join: boolean): void;
  /** A node became alive (new, or back from dead/left). */
  notifyJoin(node: NodeRecord): void;
  /** A node became dead or left (`node.state` tells which). */
  notifyLeave(node: NodeRecord): void;
  /** A live node's meta, address or versions changed. */
  notifyUpdate(node: NodeRecord): void;
  /** Another node claims a name we know at another address. */
  notifyConflict(existing: NodeRecord, other: NodeRecord): void;
  /** The payload for our acks (serf: a coordinate); empty for none. */
  ackPayload(): Uint8Array;
}
