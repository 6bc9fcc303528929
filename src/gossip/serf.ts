/**
 * The serf core: member statuses, intents, user events and queries on top of
 * memberlist, as a {@link MemberlistDelegate} (gossip-wire.md §7). Pure: time
 * and randomness are injected, and everything memberlist does for it goes
 * through a {@link SerfHost}.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import type { Clock } from "../clock.ts";
import { type Logger, noopLogger } from "../logger.ts";
import { BroadcastQueue } from "./broadcast_queue.ts";
import type { MemberlistDelegate, NodeRecord } from "./delegate.ts";
import { applyJoinIntent, applyLeaveIntent, type IntentOutcome } from "./intents.ts";
import type { Keyring } from "./keyring.ts";
import { LamportClock } from "./lamport_clock.ts";
import type { GossipEvent, GossipMember } from "./member.ts";
import { NodeState } from "./messages.ts";
import { decodeTags, encodeTags } from "./meta.ts";
import { PendingQueries, QueryInbox } from "./queries.ts";
import { resolveSerfConfig, type SerfConfig } from "./serf_config.ts";
import {
  formatAddr,
  MemberTable,
  type MemberUpdate,
  reconnectCandidate,
  toGossipMember,
} from "./serf_members.ts";
import { decodeSerfMessage, encodeSerfMessage, type SerfMessage } from "./serf_messages.ts";
import { type QueryHandler, SerfQueries, type SerfQueryOptions } from "./serf_queries.ts";
import { buildLocalState, mergeRemoteState, type SyncState } from "./serf_state_sync.ts";
import { SerfTimers } from "./serf_timers.ts";
import { UserEventBuffer, type UserEventMessage } from "./user_events.ts";
import type { QueryResult } from "./queries.ts";

/** What serf needs from the memberlist node under it. */
export interface SerfHost {
  /** Our own memberlist record (address, incarnation). */
  localNode(): NodeRecord;
  /** Sends a serf message straight to `addr` as a UDP user message. */
  sendUserPacket(addr: string, bytes: Uint8Array): Promise<void>;
  /** memberlist join; resolves with the number of seeds reached. */
  join(addrs: string[]): Promise<number>;
  /** memberlist leave (dead about ourselves, gossiped). */
  leave(timeoutMs: number): Promise<void>;
  /** Re-reads our meta and gossips it with a higher incarnation. */
  updateMeta(): Promise<void>;
}

/** Options of {@link Serf}. */
export interface SerfOptions {
  /** Our member name. */
  readonly name: string;
  /** Initial tags. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Serf settings; see {@link SerfConfig}. */
  readonly config?: Partial<SerfConfig>;
  /** Time and timers. */
  readonly clock: Clock;
  /** Uniform random in [0, 1): query IDs, reconnect choices. */
  readonly random: () => number;
  /** Where to log. @default noopLogger */
  readonly logger?: Logger;
  /** Receives every member and user event, in order; must return quickly. */
  readonly onEvent: (event: GossipEvent) => void;
  /** Answers application queries. @default none (queries are acked only) */
  readonly queryHandler?: QueryHandler;
  /** The keyring, for `_serf_*-key` queries. */
  readonly keyring?: Keyring;
  /** Called when name conflict resolution says we must stop. */
  readonly onConflictShutdown?: () => void;
}

/** Serf's own lifecycle state. */
export type SerfState = "alive" | "leaving" | "left" | "shutdown";

/**
 * The serf state machine.
 */
export class Serf implements MemberlistDelegate {
  readonly #name: string;
  #tags: Record<string, string>;
  readonly #config: SerfConfig;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #log: Logger;
  readonly #onEvent: (event: GossipEvent) => void;
  readonly #members = new MemberTable();
  readonly #memberClock = new LamportClock();
  readonly #events: UserEventBuffer;
  readonly #intentQ: BroadcastQueue;
  readonly #queryQ: BroadcastQueue;
  readonly #eventQ: BroadcastQueue;
  readonly #queries: SerfQueries;
  readonly #counters: Record<string, number> = {};
  readonly #timers: SerfTimers;
  #host: SerfHost | undefined;
  #state: SerfState = "alive";
  #ignoreOld = false;

  /**
   * Creates the core; call {@link Serf.attach} once the memberlist node exists.
   *
   * @param options Name, tags, settings, clock, randomness and callbacks.
   * @throws {RegistryError} `TAGS_TOO_LARGE` when the tags do not fit in the meta.
   * @throws {RangeError} For invalid settings.
   */
  constructor(options: SerfOptions) {
    this.#name = options.name;
    this.#tags = { ...options.tags };
    encodeTags(this.#tags);
    this.#config = resolveSerfConfig(options.config);
    this.#clock = options.clock;
    this.#random = options.random;
    this.#log = options.logger ?? noopLogger;
    this.#timers = new SerfTimers(this.#clock);
    this.#onEvent = options.onEvent;
    this.#events = new UserEventBuffer(this.#config.eventBuffer);
    const queue = (): BroadcastQueue =>
      new BroadcastQueue({
        retransmitMult: this.#config.retransmitMult,
        numNodes: () => this.#members.size,
      });
    this.#intentQ = queue();
    this.#queryQ = queue();
    this.#eventQ = queue();
    this.#queries = new SerfQueries({
      name: this.#name,
      config: this.#config,
      clock: this.#clock,
      random: this.#random,
      logger: this.#log,
      inbox: new QueryInbox(this.#config.queryBuffer),
      pending: new PendingQueries(this.#clock),
      tags: () => this.#tags,
      members: this.#members,
      host: () => this.#requireHost(),
      handler: options.queryHandler,
      keyring: options.keyring,
      count: (key) => this.#count(key),
      onConflictLost: options.onConflictShutdown,
    });
  }

  /** Our member name. */
  get name(): string {
    return this.#name;
  }

  /** Our lifecycle state. */
  get state(): SerfState {
    return this.#state;
  }

  /** Our current tags. */
  get tags(): Readonly<Record<string, string>> {
    return { ...this.#tags };
  }

  /**
   * Connects the core to its memberlist node, records ourselves as a member
   * and starts the reap, reconnect and queue-depth timers.
   *
   * @param host The memberlist node.
   */
  attach(host: SerfHost): void {
    this.#host = host;
    const self = host.localNode();
    if (this.#members.get(self.name) === undefined) {
      this.#emit(this.#members.nodeJoined(this.#update(self)));
    }
    this.#timers.every(this.#config.reapIntervalMs, () => this.#reap());
    if (this.#config.reconnectIntervalMs > 0) {
      this.#timers.every(this.#config.reconnectIntervalMs, () => this.#reconnect());
    }
    this.#timers.every(this.#config.queueCheckIntervalMs, () => this.#checkQueues());
  }

  /**
   * Joins through memberlist, then gossips our join intent.
   *
   * @param addrs Seeds (`[name/]host[:port]`).
   * @param ignoreOld Ignore user events older than the seeds' event clock.
   * @returns How many seeds were reached.
   */
  async join(addrs: string[], ignoreOld = false): Promise<number> {
    this.#ignoreOld = ignoreOld;
    try {
      const n = await this.#requireHost().join(addrs);
      if (n > 0) this.#broadcastJoin(this.#memberClock.time());
      return n;
    } finally {
      this.#ignoreOld = false;
    }
  }

  /**
   * Graceful leave (§7.8): leave intent, memberlist leave, then a pause while
   * still answering probes so peers record us as `left`.
   *
   * @returns Resolves when left; bounded by 2 × BroadcastTimeout + LeavePropagateDelay.
   * @throws {RegistryError} `CLOSED` after a leave or shutdown; `LEAVE_TIMEOUT` when the
   * leave was not fully gossiped in time (the sequence still completes).
   */
  async leave(): Promise<void> {
    if (this.#state !== "alive") {
      throw new RegistryError("CLOSED", `Cannot leave as "${this.#name}": state is ${this.#state}`);
    }
    this.#state = "leaving";
    const intent = { lTime: this.#memberClock.time(), node: this.#name, prune: false };
    this.#memberClock.increment();
    this.#applyIntent(applyLeaveIntent(this.#members, this.#memberClock, intent, this.#ctx()));
    let complete = true;
    if (this.#hasAlivePeers()) {
      let done!: () => void;
      const finished = new Promise<void>((resolve) => done = resolve);
      this.#intentQ.queue({
        bytes: encodeSerfMessage({ type: "leave", ...intent }),
        onFinished: done,
      });
      complete = await this.#timers.within(finished, this.#config.broadcastTimeoutMs);
    }
    try {
      await this.#requireHost().leave(this.#config.broadcastTimeoutMs);
    } catch (err) {
      if (!(err instanceof RegistryError && err.code === "LEAVE_TIMEOUT")) throw err;
      complete = false;
    }
    await this.#timers.within(new Promise<void>(() => {}), this.#config.leavePropagateDelayMs);
    if (this.#state === "leaving") this.#state = "left";
    if (!complete) {
      throw new RegistryError(
        "LEAVE_TIMEOUT",
        `Cannot confirm the leave of "${this.#name}": not fully gossiped within ${this.#config.broadcastTimeoutMs} ms`,
      );
    }
  }

  /**
   * Replaces our tags and gossips them.
   *
   * @param tags The new tags.
   * @throws {RegistryError} `TAGS_TOO_LARGE` when they do not fit in 512 bytes.
   */
  async setTags(tags: Readonly<Record<string, string>>): Promise<void> {
    encodeTags(tags);
    this.#tags = { ...tags };
    await this.#requireHost().updateMeta();
    const self = this.#members.get(this.#name);
    if (self !== undefined && !sameTags(self.tags, this.#tags)) {
      const ev = this.#members.nodeUpdated({ ...self, tags: this.#tags });
      if (ev) this.#emit(ev);
    }
  }

  /**
   * Sends a user event to every member (ourselves included).
   *
   * @param name Event name.
   * @param payload Event payload.
   * @param coalesce Whether receivers may coalesce it.
   * @throws {RangeError} When the encoded event exceeds `userEventSizeLimit`.
   */
  sendEvent(name: string, payload: Uint8Array, coalesce = false): void {
    const lTime = this.#events.clock.time();
    const msg = { type: "userEvent", lTime, name, payload, cc: coalesce } as const;
    const bytes = encodeSerfMessage(msg);
    if (bytes.length > this.#config.userEventSizeLimit) {
      throw new RangeError(
        `Cannot send event "${name}": ${bytes.length} bytes exceed ${this.#config.userEventSizeLimit}`,
      );
    }
    this.#events.clock.increment();
    this.#receiveEvent(msg);
    this.#eventQ.queue({ bytes });
  }

  /**
   * Sends a query and collects acks and responses until its timeout.
   *
   * @param name Query name.
   * @param payload Query payload.
   * @param options Timeout, filters, ack request.
   * @returns Everything that arrived in time.
   * @throws {RangeError} When the encoded query exceeds `querySizeLimit`.
   */
  query(name: string, payload: Uint8Array, options: SerfQueryOptions = {}): Promise<QueryResult> {
    const { bytes, result } = this.#queries.send(name, payload, options);
    this.#queryQ.queue({ bytes });
    return result;
  }

  /**
   * Every member we know, ourselves included, any status.
   *
   * @returns Immutable snapshots.
   */
  members(): GossipMember[] {
    return this.#members.all().map(toGossipMember);
  }

  /**
   * Counters: dropped serf messages, queue depths.
   *
   * @returns A fresh record.
   */
  stats(): Record<string, number> {
    return {
      ...this.#counters,
      serf_intent_queue: this.#intentQ.length,
      serf_query_queue: this.#queryQ.length,
      serf_event_queue: this.#eventQ.length,
    };
  }

  /** Stops timers and resolves open queries; no leave. Idempotent. */
  shutdown(): void {
    this.#state = "shutdown";
    this.#timers.cancelAll();
    this.#queries.closeAll();
  }

  // ---- MemberlistDelegate ----

  /** @inheritdoc */
  nodeMeta(_limit: number): Uint8Array {
    return encodeTags(this.#tags);
  }

  /** @inheritdoc */
  notifyUserMessage(payload: Uint8Array): void {
    let msg: SerfMessage;
    try {
      msg = decodeSerfMessage(payload);
    } catch (err) {
      this.#count("serf_bad_message");
      this.#log.debug("Dropped undecodable serf message", { error: String(err) });
      return;
    }
    if (this.#dispatch(msg)) {
      const queue = msg.type === "userEvent"
        ? this.#eventQ
        : msg.type === "query"
        ? this.#queryQ
        : this.#intentQ;
      queue.queue({ bytes: payload.slice() });
    }
  }

  /** @inheritdoc */
  getBroadcasts(overhead: number, limit: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    let left = limit;
    for (const q of [this.#intentQ, this.#queryQ, this.#eventQ]) {
      for (const b of q.take(overhead, left)) {
        out.push(b);
        left -= b.length + overhead;
      }
    }
    return out;
  }

  /** @inheritdoc */
  localState(_join: boolean): Uint8Array {
    return encodeSerfMessage(buildLocalState(this.#sync()));
  }

  /** @inheritdoc */
  mergeRemoteState(state: Uint8Array, join: boolean): void {
    let pp: SerfMessage;
    try {
      pp = decodeSerfMessage(state);
    } catch (err) {
      this.#log.debug("Dropped undecodable serf push-pull state", { error: String(err) });
      return void this.#count("serf_bad_push_pull");
    }
    if (pp.type !== "pushPull") return void this.#count("serf_bad_push_pull");
    mergeRemoteState(this.#sync(), pp, join && this.#ignoreOld);
  }

  /** @inheritdoc */
  notifyJoin(node: NodeRecord): void {
    const existing = this.#members.get(node.name);
    if (node.name === this.#name && existing?.status === "alive") return this.notifyUpdate(node);
    this.#emit(this.#members.nodeJoined(this.#update(node)));
  }

  /** @inheritdoc */
  notifyLeave(node: NodeRecord): void {
    const ev = this.#members.nodeLeft(node.name, node.state === NodeState.LEFT, this.#clock.now());
    if (ev) this.#emit(ev);
  }

  /** @inheritdoc */
  notifyUpdate(node: NodeRecord): void {
    const m = this.#members.get(node.name);
    const update = this.#update(node);
    if (m && m.ip === update.ip && m.port === update.port && sameTags(m.tags, update.tags)) {
      m.vsn = update.vsn;
      return;
    }
    const ev = this.#members.nodeUpdated(update);
    if (ev) this.#emit(ev);
  }

  /** @inheritdoc */
  notifyConflict(existing: NodeRecord, other: NodeRecord): void {
    this.#log.warn("Name conflict", {
      member: existing.name,
      addr: `${existing.ip}:${existing.port}`,
      other: `${other.ip}:${other.port}`,
    });
    if (existing.name !== this.#name || !this.#config.enableNameConflictResolution) return;
    const q = this.#queries.resolveConflict();
    this.#queryQ.queue({ bytes: q });
  }

  /** @inheritdoc */
  ackPayload(): Uint8Array {
    return new Uint8Array(0); // no Vivaldi coordinates; Go ignores an empty ack payload
  }

  // ---- internals ----

  #dispatch(msg: SerfMessage): boolean {
    switch (msg.type) {
      case "join":
        return this.#applyIntent(
          applyJoinIntent(this.#members, this.#memberClock, msg, this.#clock.now()),
        );
      case "leave":
        return this.#applyIntent(
          applyLeaveIntent(this.#members, this.#memberClock, msg, this.#ctx()),
        );
      case "userEvent":
        return this.#receiveEvent(msg);
      case "query":
        return this.#queries.receive(msg);
      case "queryResponse":
        this.#queries.record(msg);
        return false;
      case "relay":
        this.#queries.relay(msg);
        return false;
      default:
        this.#count("serf_unexpected_message");
        return false;
    }
  }

  #applyIntent(outcome: IntentOutcome): boolean {
    for (const ev of outcome.events) this.#emit(ev);
    if (outcome.refute) this.#broadcastJoin(this.#memberClock.time());
    if (outcome.prune !== undefined) this.#prune(outcome.prune);
    return outcome.rebroadcast;
  }

  #broadcastJoin(lTime: number): void {
    const intent = { lTime, node: this.#name };
    this.#memberClock.witness(lTime);
    applyJoinIntent(this.#members, this.#memberClock, intent, this.#clock.now());
    this.#intentQ.queue({ bytes: encodeSerfMessage({ type: "join", ...intent }) });
  }

  #prune(name: string): void {
    const m = this.#members.get(name);
    if (m === undefined) return;
    const erase = (): void => {
      const gone = this.#members.erase(name);
      if (gone) this.#emit({ type: "reap", member: toGossipMember(gone) });
    };
    if (m.status !== "leaving") return erase();
    this.#timers.after(this.#config.broadcastTimeoutMs + this.#config.leavePropagateDelayMs, erase);
  }

  #receiveEvent(msg: UserEventMessage): boolean {
    if (!this.#events.receive(msg)) return false;
    this.#emit({
      type: "user",
      name: msg.name,
      payload: msg.payload,
      lTime: msg.lTime,
      coalesce: msg.cc,
    });
    return true;
  }

  #reap(): void {
    const events = this.#members.reap(this.#clock.now(), {
      reconnectTimeoutMs: this.#config.reconnectTimeoutMs,
      tombstoneTimeoutMs: this.#config.tombstoneTimeoutMs,
      intentTimeoutMs: this.#config.recentIntentTimeoutMs,
    });
    for (const ev of events) this.#emit(ev);
  }

  #reconnect(): void {
    if (this.#state !== "alive") return;
    const m = reconnectCandidate(this.#members, this.#random);
    if (m === undefined) return;
    const addr = `${m.name}/${formatAddr(m.ip, m.port)}`;
    this.#requireHost().join([addr]).catch((err) => {
      this.#log.debug("Reconnect failed", { member: m.name, error: String(err) });
    });
  }

  #checkQueues(): void {
    for (
      const [name, q] of [["intent", this.#intentQ], ["query", this.#queryQ], [
        "event",
        this.#eventQ,
      ]] as const
    ) {
      if (q.length > this.#config.queueDepthWarning) {
        this.#log.warn("Serf queue is deep", { queue: name, depth: q.length });
      }
      if (q.length > this.#config.maxQueueDepth) q.prune(this.#config.maxQueueDepth);
    }
  }

  #hasAlivePeers(): boolean {
    return this.#members.all().some((m) => m.name !== this.#name && m.status === "alive");
  }

  #ctx(): { localName: string; localAlive: boolean; nowMs: number } {
    return { localName: this.#name, localAlive: this.#state === "alive", nowMs: this.#clock.now() };
  }

  #update(node: NodeRecord): MemberUpdate {
    return {
      name: node.name,
      ip: node.ip,
      port: node.port,
      tags: decodeTags(node.meta),
      vsn: node.vsn,
    };
  }

  #emit(event: GossipEvent): void {
    try {
      this.#onEvent(event);
    } catch (err) {
      this.#log.error("Event handler threw", { error: String(err) });
    }
  }

  #count(key: string): void {
    this.#counters[key] = (this.#counters[key] ?? 0) + 1;
  }

  #requireHost(): SerfHost {
    if (this.#host === undefined) {
      throw new RegistryError("NOT_READY", "Cannot use serf: not attached");
    }
    return this.#host;
  }

  #sync(): SyncState {
    const ctx = () => this.#ctx();
    return {
      members: this.#members,
      memberClock: this.#memberClock,
      events: this.#events,
      queryClock: this.#queries.clock,
      applyJoin: (intent) =>
        void this.#applyIntent(
          applyJoinIntent(this.#members, this.#memberClock, intent, this.#clock.now()),
        ),
      applyLeave: (intent) =>
        void this.#applyIntent(applyLeaveIntent(this.#members, this.#memberClock, intent, ctx())),
      receiveEvent: (e) => void this.#receiveEvent(e),
    };
  }
}

function sameTags(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
