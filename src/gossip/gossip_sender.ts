/**
 * Outgoing packets with broadcasts (gossip-wire.md §6.8): periodic gossip
 * rounds to random peers, and piggy-backing queued broadcasts onto every
 * other message, memberlist's own first, then the delegate's wrapped as
 * user messages, within the 1400-byte budget.
 *
 * @module
 */
import type { BroadcastQueue } from "./broadcast_queue.ts";
import type { MemberlistDelegate } from "./delegate.ts";
import { addrString } from "./ip_bytes.ts";
import type { MemberlistConfig } from "./memberlist_config.ts";
import { encodeMessage } from "./message_codec.ts";
import { NodeState, type PacketMessage } from "./messages.ts";
import type { NodeTable } from "./node_table.ts";
import {
  COMPOUND_HEADER_OVERHEAD,
  COMPOUND_MAX_PARTS,
  COMPOUND_PART_OVERHEAD,
  MessageType,
  USER_MSG_OVERHEAD,
} from "./wire_constants.ts";

/** What {@link GossipSender} needs. */
export interface GossipSenderDeps {
  /** Resolved settings. */
  readonly config: MemberlistConfig;
  /** The memberlist broadcast queue. */
  readonly broadcasts: BroadcastQueue;
  /** The layer above (serf). */
  readonly delegate: MemberlistDelegate;
  /** What the core asks the driver to do. */
  readonly effects: {
    sendPacket(to: string, parts: readonly Uint8Array[], crc: boolean): void;
  };
  /** Bytes lost to label and encryption per packet. */
  readonly packetOverhead: number;
}

/**
 * Builds and emits outgoing packets.
 *
 * @example
 * ```ts ignore
 * const sender = new GossipSender(deps);
 * sender.gossip(table, clock.now(), Math.random);
 * ```
 */
export class GossipSender {
  #d: GossipSenderDeps;

  /**
   * Creates a sender.
   *
   * @param deps Settings, queues and the packet effect.
   */
  constructor(deps: GossipSenderDeps) {
    this.#d = deps;
  }

  /**
   * Takes broadcasts for `limit` bytes: memberlist's, then the delegate's
   * (prefixed with the user message type byte).
   *
   * @param overhead Bytes per part.
   * @param limit The budget.
   * @returns Encoded messages.
   */
  takeBroadcasts(overhead: number, limit: number): Uint8Array[] {
    const parts = this.#d.broadcasts.take(overhead, limit);
    let used = 0;
    for (const p of parts) used += p.length + overhead;
    const avail = limit - used;
    if (avail <= overhead + USER_MSG_OVERHEAD) return parts;
    for (const payload of this.#d.delegate.getBroadcasts(overhead + USER_MSG_OVERHEAD, avail)) {
      const wrapped = new Uint8Array(payload.length + 1);
      wrapped[0] = MessageType.USER;
      wrapped.set(payload, 1);
      parts.push(wrapped);
    }
    return parts;
  }

  /**
   * Sends `msg` to `to` with broadcasts in its leftover space, no CRC (Go `sendMsg`).
   *
   * @param to The address.
   * @param msg The message.
   */
  sendMsg(to: string, msg: PacketMessage): void {
    const first = encodeMessage(msg);
    const avail = this.#budget() - first.length;
    const extra = avail > 0 ? this.takeBroadcasts(COMPOUND_PART_OVERHEAD, avail) : [];
    this.#d.effects.sendPacket(to, [first, ...extra.slice(0, COMPOUND_MAX_PARTS - 1)], false);
  }

  /**
   * One gossip round: up to `GossipNodes` random peers that are alive,
   * suspect, or dead for less than `GossipToTheDeadTime` each get a packet
   * of broadcasts (CRC when their PMax ≥ 5).
   *
   * @param table The node table (its random source picks the peers).
   * @param nowMs The current time.
   */
  gossip(table: NodeTable, nowMs: number): void {
    const { config } = this.#d;
    const peers = table.randomSample(config.gossipNodes, (e) => {
      if (e.name === config.name) return false;
      if (e.state === NodeState.ALIVE || e.state === NodeState.SUSPECT) return true;
      return e.state === NodeState.DEAD && nowMs - e.stateChangeMs <= config.gossipToTheDeadTimeMs;
    });
    for (const peer of peers) {
      const parts = this.takeBroadcasts(COMPOUND_PART_OVERHEAD, this.#budget());
      if (parts.length === 0) return;
      const to = addrString(peer.addr, peer.port);
      const crc = peer.vsn[1] >= 5;
      for (let i = 0; i < parts.length; i += COMPOUND_MAX_PARTS) {
        this.#d.effects.sendPacket(to, parts.slice(i, i + COMPOUND_MAX_PARTS), crc);
      }
    }
  }

  #budget(): number {
    return this.#d.config.udpBufferSize - COMPOUND_HEADER_OVERHEAD - this.#d.packetOverhead;
  }
}
