/**
 * The memberlist core (SWIM + Lifeguard) as a state machine: received
 * messages, ticks and stream results go in; packets to send, streams to open
 * and member events come out through {@link MemberlistEffects} and the
 * delegate. It never touches sockets or global time.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import { Awareness } from "./awareness.ts";
import { BroadcastQueue } from "./broadcast_queue.ts";
import type { MemberlistDelegate, NodeRecord } from "./delegate.ts";
import { addrString } from "./ip_bytes.ts";
import type { MemberlistConfig } from "./memberlist_config.ts";
import { aliveOf, MemberState } from "./member_state.ts";
import { encodeMessage } from "./message_codec.ts";
import {
  type AckMessage,
  NodeState,
  type PacketMessage,
  type PingMessage,
  type PushPullMessage,
} from "./messages.ts";
import { NodeTable, toNodeRecord } from "./node_table.ts";
import { Prober } from "./probe.ts";
import { AckHandlers } from "./ack_handlers.ts";
import { PingResponder } from "./ping_responder.ts";
import { PeriodicTasks } from "./periodic_tasks.ts";
import {
  buildPushPull,
  joinSyncDelays,
  mergeRemoteNodes,
  pushPullScale,
  verifyProtocol,
} from "./push_pull.ts";
import { GossipSender } from "./gossip_sender.ts";
import { META_MAX_SIZE } from "./wire_constants.ts";

/** What the core asks its driver to do. Every call must return quickly. */
export interface MemberlistEffects {
  /** Send one packet: a single message, or a compound of several; `crc` adds the CRC wrapper. */
  sendPacket(to: string, parts: readonly Uint8Array[], crc: boolean): void;
  /** Run a periodic push-pull exchange with `to` and feed the reply to `mergeRemoteState`. */
  pushPull(to: string): void;
  /** Send `ping` over a stream and report through `tcpPingResult` within `timeoutMs`. */
  tcpPing(to: string, ping: PingMessage, timeoutMs: number): void;
}

/** Options of {@link Memberlist}. */
export interface MemberlistOptions {
  /** Resolved settings. */
  readonly config: MemberlistConfig;
  /** Time source and timers. */
  readonly clock: Clock;
  /** Uniform `[0, 1)` source (peer selection, staggering). */
  readonly random: () => number;
  /** Where to log. */
  readonly logger: Logger;
  /** The layer above (serf). */
  readonly delegate: MemberlistDelegate;
  /** What the core asks the driver to do. */
  readonly effects: MemberlistEffects;
  /** The IP bytes (4 or 16) and port we advertise. */
  readonly advertise: { readonly addr: Uint8Array; readonly port: number };
  /** Bytes every packet loses to the label and encryption; 0 when neither is used. */
  readonly packetOverhead?: number;
}

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
  #table: NodeTable;
  #broadcasts: BroadcastQueue;
  #awareness: Awareness;
  #state: MemberState;
  #prober: Prober;
  #acks: AckHandlers;
  #responder: PingResponder;
  #sender: GossipSender;
  #seqNo = 0;
  #tasks: PeriodicTasks;
  #probePending = false;
  #stopped = false;

  /**
   * Creates the core; nothing happens until {@link start}.
   *
   * @param options Settings, clock, randomness, delegate and effects.
   */
  constructor(options: MemberlistOptions) {
    this.#o = options;
    const { config, clock, random, logger, delegate } = options;
    this.#table = new NodeTable(random);
    this.#broadcasts = new BroadcastQueue({
      retransmitMult: config.retransmitMult,
      numNodes: () => this.#table.size,
    });
    this.#awareness = new Awareness(config.awarenessMaxMultiplier);
    const table = this.#table, broadcasts = this.#broadcasts, awareness = this.#awareness;
    this.#state = new MemberState({
      config,
      clock,
      table,
      broadcasts,
      awareness,
      delegate,
      logger,
    });
    this.#sender = new GossipSender({
      config,
      broadcasts,
      delegate,
      effects: options.effects,
      packetOverhead: options.packetOverhead ?? 0,
    });
    this.#acks = new AckHandlers(clock);
    this.#tasks = new PeriodicTasks(clock, random);
    this.#prober = this.#makeProber();
    this.#responder = new PingResponder({
      name: config.name,
      probeTimeoutMs: config.probeTimeoutMs,
      acks: this.#acks,
      logger,
      nextSeqNo: () => this.nextSeqNo(),
      self: () => options.advertise,
      ackPayload: () => delegate.ackPayload(),
      send: (to, msg) => this.#sender.sendMsg(to, msg),
    });
  }

  /** The local member's name. */
  get name(): string {
    return this.#o.config.name;
  }

  /** The Lifeguard health score (0 is healthy). */
  get healthScore(): number {
    return this.#awareness.score;
  }

  /** Memberlist broadcasts waiting to be sent. */
  get pendingBroadcasts(): number {
    return this.#broadcasts.length;
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
    const { config, advertise } = this.#o;
    this.#state.aliveNode({
      type: "alive",
      node: config.name,
      addr: advertise.addr,
      port: advertise.port,
      meta: this.#readMeta(),
      vsn: config.vsn,
      incarnation: 1,
    }, { bootstrap: true });
    this.#tasks.every(() => config.probeIntervalMs, () => this.#probeTick());
    this.#tasks.every(
      () => config.gossipIntervalMs,
      () => this.#sender.gossip(this.#table, this.#o.clock.now()),
    );
    if (config.pushPullIntervalMs > 0) {
      this.#tasks.every(
        () => pushPullScale(config.pushPullIntervalMs, this.#table.size),
        () => this.#pushPullTick(),
      );
    }
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
    const { config, random } = this.#o;
    if (this.#stopped || this.#state.leaving || config.joinSyncPushPulls === 0) return;
    // Re-queue our own alive as the freshest broadcast: the join just queued
    // an alive for every member the seed told us about, which would otherwise
    // starve ours (the queue hands out newest first at equal transmits).
    const self = this.#table.get(config.name);
    if (self) this.#broadcasts.queue({ key: self.name, bytes: encodeMessage(aliveOf(self)) });
    // Gossip once now rather than at the next tick (up to gossipIntervalMs
    // away): the members we just learned of hear of us one round trip later.
    this.gossipNow();
    const delays = joinSyncDelays(config.joinSyncPushPulls, config.probeIntervalMs, random);
    delays.forEach((delay, i) => {
      const last = i === delays.length - 1;
      this.#tasks.once(delay, () => last ? this.#pushPullWith(via) : this.#pushPullTick());
    });
  }

  /** Stops every timer; the core ignores input afterwards. */
  stop(): void {
    this.#stopped = true;
    this.#tasks.stop();
    this.#prober.stop();
    this.#acks.stop();
    this.#state.stop();
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
        return this.#responder.handlePing(from, msg);
      case "indirectPing":
        return this.#responder.handleIndirectPing(from, msg);
      case "ack":
        return this.#acks.ack(msg);
      case "nack":
        return this.#acks.nack(msg);
      case "alive":
        if (msg.addr.length !== 4 && msg.addr.length !== 16) return;
        return this.#state.aliveNode(msg);
      case "suspect":
        return this.#state.suspectNode(msg);
      case "dead":
        return this.#state.deadNode(msg);
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
    if (!this.#stopped) this.#prober.tcpPingResult(seqNo, ok);
  }

  /**
   * Our push-pull message: every member plus the delegate's state.
   *
   * @param join Whether this is (or answers) a join.
   * @returns The message.
   */
  localState(join: boolean): PushPullMessage {
    return buildPushPull(this.#table.entries(), join, this.#o.delegate.localState(join));
  }

  /**
   * Merges a peer's push-pull message (either side of an exchange).
   *
   * @param msg The peer's message.
   * @throws {RegistryError} `PROTOCOL_ERROR` when versions are incompatible; nothing is merged then.
   */
  mergeRemoteState(msg: PushPullMessage): void {
    if (this.#stopped) return;
    verifyProtocol(msg.nodes, this.#table.entries());
    mergeRemoteNodes(this.#state, msg.nodes, this.#o.config.name);
    if (msg.userState.length > 0) this.#o.delegate.mergeRemoteState(msg.userState, msg.join);
  }

  /**
   * Starts a graceful leave: gossips `dead{self, From: self}`.
   *
   * @param onDone Runs when that broadcast is fully retransmitted.
   * @returns Whether another member is alive (worth waiting for `onDone`).
   */
  leave(onDone: () => void): boolean {
    this.#state.leave(onDone);
    // Peers drop us as soon as they hear it: tell them now, not at the next tick.
    this.gossipNow();
    return this.#anyOtherAlive();
  }

  /**
   * Runs one gossip round now, outside the regular ticks, so broadcasts just
   * queued (a leave) reach peers without waiting up to `gossipIntervalMs`.
   */
  gossipNow(): void {
    if (this.#stopped) return;
    this.#sender.gossip(this.#table, this.#o.clock.now());
  }

  /**
   * Re-reads the delegate's meta and gossips alive with incarnation + 1.
   *
   * @param onDone Runs when that broadcast is fully retransmitted.
   * @returns Whether another member is alive (worth waiting for `onDone`).
   * @throws {RegistryError} `TAGS_TOO_LARGE` when the new meta exceeds 512 bytes.
   */
  updateMeta(onDone: () => void): boolean {
    const self = this.#table.get(this.#o.config.name);
    if (!self || this.#state.leaving) return false;
    const meta = this.#readMeta();
    const alive = { ...aliveOf(self), meta, incarnation: self.incarnation + 1 };
    this.#state.aliveNode(alive, { bootstrap: true, onBroadcastDone: onDone });
    return this.#anyOtherAlive();
  }

  /**
   * Every member in the table (any state), the local one included.
   *
   * @returns Snapshots.
   */
  nodes(): NodeRecord[] {
    return this.#table.entries().map(toNodeRecord);
  }

  /**
   * The local member.
   *
   * @returns Its snapshot.
   * @throws {RangeError} Before {@link start}.
   */
  localNode(): NodeRecord {
    const self = this.#table.get(this.#o.config.name);
    if (!self) throw new RangeError("Cannot read the local member: the core has not started");
    return toNodeRecord(self);
  }

  /**
   * Alive members, the local one included.
   *
   * @returns The count.
   */
  numAliveNodes(): number {
    return this.#table.aliveCount;
  }

  /**
   * Sends a message to an address with piggy-backed broadcasts and no CRC
   * (what the driver uses for user packets).
   *
   * @param to The address.
   * @param msg The message.
   */
  send(to: string, msg: PacketMessage): void {
    this.#sender.sendMsg(to, msg);
  }

  #makeProber(): Prober {
    const { config, logger, effects, advertise } = this.#o;
    return new Prober({
      config,
      acks: this.#acks,
      logger,
      table: this.#table,
      awareness: this.#awareness,
      state: this.#state,
      nextSeqNo: () => this.nextSeqNo(),
      self: () => advertise,
      send: (to, msg) => this.#sender.sendMsg(to, msg),
      sendParts: (to, msgs, crc) => effects.sendPacket(to, msgs.map(encodeMessage), crc),
      tcpPing: (to, ping, ms) => effects.tcpPing(to, ping, ms),
      purge: () => this.#purge(),
      onIdle: () => this.#onProbeIdle(),
    });
  }

  #readMeta(): Uint8Array {
    const meta = this.#o.delegate.nodeMeta(META_MAX_SIZE);
    if (meta.length > META_MAX_SIZE) {
      throw new RegistryError(
        "TAGS_TOO_LARGE",
        `Cannot announce member "${this.#o.config.name}": meta of "${meta.length}" bytes exceeds 512`,
      );
    }
    return meta;
  }

  #anyOtherAlive(): boolean {
    const self = this.#o.config.name;
    return this.#table.entries().some((e) => e.name !== self && e.state === NodeState.ALIVE);
  }

  #probeTick(): void {
    if (this.#prober.busy) this.#probePending = true;
    else this.#prober.probe();
  }

  #onProbeIdle(): void {
    if (!this.#probePending || this.#stopped) return;
    this.#probePending = false;
    this.#prober.probe();
  }

  #pushPullTick(): void {
    const self = this.#o.config.name;
    const [peer] = this.#table.randomSample(
      1,
      (e) => e.name !== self && e.state === NodeState.ALIVE,
    );
    if (peer) this.#o.effects.pushPull(addrString(peer.addr, peer.port));
  }

  /** A push-pull with the alive member at `addr`, else with a random one. */
  #pushPullWith(addr: string): void {
    const self = this.#o.config.name;
    const known = this.#table.entries().some((e) =>
      e.name !== self && e.state === NodeState.ALIVE && addrString(e.addr, e.port) === addr
    );
    if (known) this.#o.effects.pushPull(addr);
    else this.#pushPullTick();
  }

  #purge(): void {
    const cutoff = this.#o.clock.now() - this.#o.config.gossipToTheDeadTimeMs;
    const removed = this.#table.purge(cutoff);
    if (removed.length > 0) this.#o.logger.debug("Purged members", { members: removed.length });
  }
}
