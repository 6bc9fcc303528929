/**
 * The memberlist core (SWIM + Lifeguard) as a state machine: received
 * messages, ticks and stream results go in; packets to send, streams to open
 * and member events come out through {@link MemberlistEffects} and the
 * delegate. It never touches sockets or global time.
 *
 * @module
 */
import type { NodeRecord } from "./delegate.ts";
import { buildMemberlistParts, type MemberlistParts } from "./memberlist_parts.ts";
import type { MemberlistEffects, MemberlistOptions } from "./memberlist_options.ts";
import type { AckMessage, PacketMessage, PingMessage, PushPullMessage } from "./messages.ts";
import { toNodeRecord } from "./node_table.ts";
import { buildPushPull, mergeRemoteNodes, verifyProtocol } from "./push_pull.ts";

export type { MemberlistEffects, MemberlistOptions };

/**
 * One memberlist member's protocol state.
 *
 * @example
 * ```ts ignore
 * const core = new Memberlist({ config, clock, random, logger, delegate, effects, advertise });
 * core.start();
 * core.handleMessage("10.0.0.2:7946", message);
 * ```
 */
export class Memberlist {
  #o: MemberlistOptions;
  #p: MemberlistParts;
  #seqNo = 0;
  #stopped = false;

  /**
   * Creates the core; nothing happens until {@link start}.
   *
   * @param options Settings, clock, randomness, delegate and effects.
   */
  constructor(options: MemberlistOptions) {
    this.#o = options;
    this.#p = buildMemberlistParts(options, () => this.nextSeqNo());
  }

  /** The local member's name. */
  get name(): string {
    return this.#o.config.name;
  }

  /** The Lifeguard health score (0 is healthy). */
  get healthScore(): number {
    return this.#p.awareness.score;
  }

  /** Memberlist broadcasts waiting to be sent. */
  get pendingBroadcasts(): number {
    return this.#p.broadcasts.length;
  }

  /**
   * The next ping sequence number.
   *
   * @returns A number from 1 upwards, wrapping at 2^32.
   */
  nextSeqNo(): number {
    this.#seqNo = (this.#seqNo % 0xffffffff) + 1;
    return this.#seqNo;
  }

  /**
   * Announces the local member (incarnation 1) and starts the periodic tasks.
   *
   * @throws {RegistryError} `TAGS_TOO_LARGE` when the delegate's meta exceeds 512 bytes.
   */
  start(): void {
    const { config, clock } = this.#o;
    const { local, tasks, probes, sender, table, pushPulls } = this.#p;
    local.announce();
    tasks.every(() => config.probeIntervalMs, () => probes.tick());
    tasks.every(() => config.gossipIntervalMs, () => sender.gossip(table, clock.now()));
    pushPulls.start();
  }

  /**
   * Post-join anti-entropy after a successful join: gossips our alive again
   * at once, and schedules `joinSyncPushPulls` ordinary push-pulls (see
   * `joinSyncDelays`), the last one with the member we joined through (it
   * met every member that joined through it, so by then it has the fullest
   * view), the others with random alive members. Peers only see more of the
   * usual messages and exchanges.
   *
   * @param via The address the join succeeded with.
   */
  syncAfterJoin(via: string): void {
    if (this.#stopped || this.#p.state.leaving || this.#o.config.joinSyncPushPulls === 0) return;
    // Our alive must not starve behind the ones the join just queued.
    this.#p.local.requeueAlive();
    // Gossip once now rather than at the next tick (up to gossipIntervalMs
    // away): the members we just learned of hear of us one round trip later.
    this.gossipNow();
    this.#p.pushPulls.scheduleJoinSync(via);
  }

  /** Stops every timer; the core ignores input afterwards. */
  stop(): void {
    this.#stopped = true;
    this.#p.tasks.stop();
    this.#p.probes.stop();
    this.#p.acks.stop();
    this.#p.state.stop();
  }

  /**
   * Handles one message from a received packet.
   *
   * @param from The packet's source address.
   * @param msg The message.
   */
  handleMessage(from: string, msg: PacketMessage): void {
    if (this.#stopped) return;
    switch (msg.type) {
      case "ping":
        return this.#p.responder.handlePing(from, msg);
      case "indirectPing":
        return this.#p.responder.handleIndirectPing(from, msg);
      case "ack":
        return this.#p.acks.ack(msg);
      case "nack":
        return this.#p.acks.nack(msg);
      case "alive":
        if (msg.addr.length !== 4 && msg.addr.length !== 16) return;
        return this.#p.state.aliveNode(msg);
      case "suspect":
        return this.#p.state.suspectNode(msg);
      case "dead":
        return this.#p.state.deadNode(msg);
      case "user":
        return this.#o.delegate.notifyUserMessage(msg.payload);
    }
  }

  /**
   * Answers a ping received on a stream (TCP ping).
   *
   * @param ping The ping.
   * @returns The ack to write back, or `null` when the ping names another member.
   */
  handleStreamPing(ping: PingMessage): AckMessage | null {
    if (ping.node !== "" && ping.node !== this.#o.config.name) return null;
    return { type: "ack", seqNo: ping.seqNo };
  }

  /**
   * Reports a TCP fallback ping's outcome.
   *
   * @param seqNo The ping's sequence number.
   * @param ok Whether the matching ack came back in time.
   */
  tcpPingResult(seqNo: number, ok: boolean): void {
    if (!this.#stopped) this.#p.probes.tcpPingResult(seqNo, ok);
  }

  /**
   * Our push-pull message: every member plus the delegate's state.
   *
   * @param join Whether this is (or answers) a join.
   * @returns The message.
   */
  localState(join: boolean): PushPullMessage {
    return buildPushPull(this.#p.table.entries(), join, this.#o.delegate.localState(join));
  }

  /**
   * Merges a peer's push-pull message (either side of an exchange).
   *
   * @param msg The peer's message.
   * @throws {RegistryError} `PROTOCOL_ERROR` when versions are incompatible; nothing is merged then.
   */
  mergeRemoteState(msg: PushPullMessage): void {
    if (this.#stopped) return;
    verifyProtocol(msg.nodes, this.#p.table.entries());
    mergeRemoteNodes(this.#p.state, msg.nodes, this.#o.config.name);
    if (msg.userState.length > 0) this.#o.delegate.mergeRemoteState(msg.userState, msg.join);
  }

  /**
   * Starts a graceful leave: gossips `dead{self, From: self}`.
   *
   * @param onDone Runs when that broadcast is fully retransmitted.
   * @returns Whether another member is alive (worth waiting for `onDone`).
   */
  leave(onDone: () => void): boolean {
    this.#p.state.leave(onDone);
    // Peers drop us as soon as they hear it: tell them now, not at the next tick.
    this.gossipNow();
    return this.#p.local.othersAlive();
  }

  /**
   * Runs one gossip round now, outside the regular ticks, so broadcasts just
   * queued (a leave) reach peers without waiting up to `gossipIntervalMs`.
   */
  gossipNow(): void {
    if (this.#stopped) return;
    this.#p.sender.gossip(this.#p.table, this.#o.clock.now());
  }

  /**
   * Re-reads the delegate's meta and gossips alive with incarnation + 1.
   *
   * @param onDone Runs when that broadcast is fully retransmitted.
   * @returns Whether another member is alive (worth waiting for `onDone`).
   * @throws {RegistryError} `TAGS_TOO_LARGE` when the new meta exceeds 512 bytes.
   */
  updateMeta(onDone: () => void): boolean {
    return this.#p.local.updateMeta(onDone);
  }

  /**
   * Every member in the table (any state), the local one included.
   *
   * @returns Snapshots.
   */
  nodes(): NodeRecord[] {
    return this.#p.table.entries().map(toNodeRecord);
  }

  /**
   * The local member.
   *
   * @returns Its snapshot.
   * @throws {RangeError} Before {@link start}.
   */
  localNode(): NodeRecord {
    const self = this.#p.table.get(this.#o.config.name);
    if (!self) throw new RangeError("Cannot read the local member: the core has not started");
    return toNodeRecord(self);
  }

  /**
   * Alive members, the local one included.
   *
   * @returns The count.
   */
  numAliveNodes(): number {
    return this.#p.table.aliveCount;
  }

  /**
   * Sends a message to an address with piggy-backed broadcasts and no CRC
   * (what the driver uses for user packets).
   *
   * @param to The address.
   * @param msg The message.
   */
  send(to: string, msg: PacketMessage): void {
    this.#p.sender.sendMsg(to, msg);
  }
}
