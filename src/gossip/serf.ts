/**
 * The serf core: member statuses, intents, user events and queries on top of
 * memberlist, as a {@link MemberlistDelegate} (gossip-wire.md §7). Pure: time
 * and randomness are injected, and everything memberlist does for it goes
 * through a {@link SerfHost}.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import { noopLogger } from "../logger.ts";
import type { MemberlistDelegate, NodeRecord } from "./delegate.ts";
import { LamportClock } from "./lamport_clock.ts";
import type { GossipEvent, GossipMember } from "./member.ts";
import { NodeState } from "./messages.ts";
import { decodeTags, encodeTags } from "./meta.ts";
import { PendingQueries, QueryInbox } from "./queries.ts";
import { resolveSerfConfig } from "./serf_config.ts";
import type { SerfHost, SerfOptions } from "./serf_options.ts";
import {
  formatAddr,
  MemberTable,
  type MemberUpdate,
  reconnectCandidate,
  toGossipMember,
} from "./serf_members.ts";
import {
  broadcastJoin,
  dispatchSerfMessage,
  joinIntent,
  leaveIntent,
  receiveUserEvent,
  type SerfCore,
} from "./serf_dispatch.ts";
import { decodeSerfMessage, encodeSerfMessage, type SerfMessage } from "./serf_messages.ts";
import { SerfQueries, type SerfQueryOptions } from "./serf_queries.ts";
import { SerfQueues } from "./serf_queues.ts";
import { buildLocalState, mergeRemoteState, type SyncState } from "./serf_state_sync.ts";
import { SerfTimers } from "./serf_timers.ts";
import { UserEventBuffer } from "./user_events.ts";
import type { QueryResult } from "./queries.ts";

export type { SerfHost, SerfOptions } from "./serf_options.ts";

/** Serf's own lifecycle state. */
export type SerfState = "alive" | "leaving" | "left" | "shutdown";

/**
 * The serf state machine of one member.
 *
 * @example
 * ```ts ignore
 * const serf = new Serf({ name: "a", clock, random: Math.random, onEvent: console.log });
 * const node = new MemberlistNode({ transport, config, delegate: serf });
 * node.start();
 * serf.attach(hostFor(node));
 * ```
 */
export class Serf implements MemberlistDelegate {
  readonly #core: SerfCore;
  readonly #onEvent: (event: GossipEvent) => void;
  readonly #random: () => number;
  readonly #counters: Record<string, number> = {};
  #tags: Record<string, string>;
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
    this.#tags = { ...options.tags };
    encodeTags(this.#tags);
    this.#onEvent = options.onEvent;
    this.#random = options.random;
    const config = resolveSerfConfig(options.config);
    const log = options.logger ?? noopLogger;
    const members = new MemberTable();
    const count = (key: string): void => {
      this.#counters[key] = (this.#counters[key] ?? 0) + 1;
    };
    const queries = new SerfQueries({
      name: options.name,
      config,
      clock: options.clock,
      random: options.random,
      logger: log,
      inbox: new QueryInbox(config.queryBuffer),
      pending: new PendingQueries(options.clock),
      tags: () => this.#tags,
      members,
      host: () => this.#requireHost(),
      handler: options.queryHandler,
      keyring: options.keyring,
      count,
      onConflictLost: options.onConflictShutdown,
    });
    this.#core = {
      name: options.name,
      config,
      clock: options.clock,
      log,
      members,
      memberClock: new LamportClock(),
      events: new UserEventBuffer(config.eventBuffer),
      queues: new SerfQueues(config.retransmitMult, () => members.size),
      queries,
      timers: new SerfTimers(options.clock),
      isAlive: () => this.#state === "alive",
      emit: (event) => this.#emit(event),
      count,
    };
  }

  /** Our member name. */
  get name(): string {
    return this.#core.name;
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
    const { members, timers, config } = this.#core;
    this.#host = host;
    const self = host.localNode();
    if (members.get(self.name) === undefined) this.#emit(members.nodeJoined(toUpdate(self)));
    timers.every(config.reapIntervalMs, () => this.#reap());
    if (config.reconnectIntervalMs > 0) {
      timers.every(config.reconnectIntervalMs, () => this.#reconnect());
    }
    timers.every(config.queueCheckIntervalMs, () => {
      this.#core.queues.check(config.queueDepthWarning, config.maxQueueDepth, this.#core.log);
    });
  }

  /**
   * Joins through memberlist, then gossips our join intent.
   *
   * @param addrs Seeds (`[name/]host[:port]`).
   * @param ignoreOld Ignore user events older than the seeds' event clock.
   * @returns How many seeds were reached.
   * @throws {RegistryError} `JOIN_FAILED` when none answered.
   */
  async join(addrs: string[], ignoreOld = false): Promise<number> {
    this.#ignoreOld = ignoreOld;
    try {
      const n = await this.#requireHost().join(addrs);
      if (n > 0) broadcastJoin(this.#core, this.#core.memberClock.time());
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
    const { name, config, timers, memberClock } = this.#core;
    if (this.#state !== "alive") {
      throw new RegistryError("CLOSED", `Cannot leave as "${name}": state is ${this.#state}`);
    }
    this.#state = "leaving";
    const intent = { lTime: memberClock.time(), node: name, prune: false };
    memberClock.increment();
    leaveIntent(this.#core, intent);
    let complete = true;
    if (this.#hasAlivePeers()) {
      let done!: () => void;
      const finished = new Promise<void>((resolve) => done = resolve);
      this.#core.queues.queue("intent", encodeSerfMessage({ type: "leave", ...intent }), done);
      // Registries drop a leaving member at once: let them hear it now, not at the next tick.
      this.#requireHost().gossipNow();
      complete = await timers.within(finished, config.broadcastTimeoutMs);
    }
    try {
      await this.#requireHost().leave(config.broadcastTimeoutMs);
    } catch (err) {
      if (!(err instanceof RegistryError && err.code === "LEAVE_TIMEOUT")) throw err;
      complete = false;
    }
    await timers.within(new Promise<void>(() => {}), config.leavePropagateDelayMs);
    if (this.#state === "leaving") this.#state = "left";
    if (!complete) {
      throw new RegistryError(
        "LEAVE_TIMEOUT",
        `Cannot confirm the leave of "${name}": not gossiped within ${config.broadcastTimeoutMs} ms`,
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
    const self = this.#core.members.get(this.#core.name);
    if (self !== undefined && !sameTags(self.tags, this.#tags)) {
      const ev = this.#core.members.nodeUpdated({ ...self, tags: this.#tags });
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
    const { events, config } = this.#core;
    const msg = {
      type: "userEvent",
      lTime: events.clock.time(),
      name,
      payload,
      cc: coalesce,
    } as const;
    const bytes = encodeSerfMessage(msg);
    if (bytes.length > config.userEventSizeLimit) {
      throw new RangeError(
        `Cannot send event "${name}": ${bytes.length} bytes exceed ${config.userEventSizeLimit}`,
      );
    }
    events.clock.increment();
    receiveUserEvent(this.#core, msg);
    this.#core.queues.queue("event", bytes);
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
    const { bytes, result } = this.#core.queries.send(name, payload, options);
    this.#core.queues.queue("query", bytes);
    return result;
  }

  /**
   * Every member we know, ourselves included, any status.
   *
   * @returns Immutable snapshots.
   */
  members(): GossipMember[] {
    return this.#core.members.all().map(toGossipMember);
  }

  /**
   * Counters: dropped serf messages, processed queries, queue depths.
   *
   * @returns A fresh record.
   */
  stats(): Record<string, number> {
    const depths = this.#core.queues.depths();
    return {
      ...this.#counters,
      serf_intent_queue: depths.intent,
      serf_query_queue: depths.query,
      serf_event_queue: depths.event,
    };
  }

  /** Stops timers and resolves open queries; no leave. Idempotent. */
  shutdown(): void {
    this.#state = "shutdown";
    this.#core.timers.cancelAll();
    this.#core.queries.closeAll();
  }

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
      this.#core.log.debug("Dropped undecodable serf message", { error: String(err) });
      return this.#core.count("serf_bad_message");
    }
    if (!dispatchSerfMessage(this.#core, msg)) return;
    const kind = msg.type === "userEvent" ? "event" : msg.type === "query" ? "query" : "intent";
    this.#core.queues.queue(kind, payload.slice());
  }

  /** @inheritdoc */
  getBroadcasts(overhead: number, limit: number): Uint8Array[] {
    return this.#core.queues.take(overhead, limit);
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
      this.#core.log.debug("Dropped undecodable serf push-pull state", { error: String(err) });
      return this.#core.count("serf_bad_push_pull");
    }
    if (pp.type !== "pushPull") return this.#core.count("serf_bad_push_pull");
    mergeRemoteState(this.#sync(), pp, join && this.#ignoreOld);
  }

  /** @inheritdoc */
  notifyJoin(node: NodeRecord): void {
    const existing = this.#core.members.get(node.name);
    if (node.name === this.#core.name && existing?.status === "alive") {
      return this.notifyUpdate(node);
    }
    this.#emit(this.#core.members.nodeJoined(toUpdate(node)));
  }

  /** @inheritdoc */
  notifyLeave(node: NodeRecord): void {
    const voluntary = node.state === NodeState.LEFT;
    const ev = this.#core.members.nodeLeft(node.name, voluntary, this.#core.clock.now());
    if (ev) this.#emit(ev);
  }

  /** @inheritdoc */
  notifyUpdate(node: NodeRecord): void {
    const m = this.#core.members.get(node.name);
    const update = toUpdate(node);
    if (m && m.ip === update.ip && m.port === update.port && sameTags(m.tags, update.tags)) {
      m.vsn = update.vsn;
      return;
    }
    const ev = this.#core.members.nodeUpdated(update);
    if (ev) this.#emit(ev);
  }

  /** @inheritdoc */
  notifyConflict(existing: NodeRecord, other: NodeRecord): void {
    this.#core.log.warn("Name conflict", {
      member: existing.name,
      addr: formatAddr(existing.ip, existing.port),
      other: formatAddr(other.ip, other.port),
    });
    if (existing.name !== this.#core.name) return;
    if (!this.#core.config.enableNameConflictResolution) return;
    this.#core.queues.queue("query", this.#core.queries.resolveConflict());
  }

  /** @inheritdoc */
  ackPayload(): Uint8Array {
    return new Uint8Array(0); // no Vivaldi coordinates; Go ignores an empty ack payload
  }

  #reap(): void {
    const { config, members, clock } = this.#core;
    const events = members.reap(clock.now(), {
      reconnectTimeoutMs: config.reconnectTimeoutMs,
      tombstoneTimeoutMs: config.tombstoneTimeoutMs,
      intentTimeoutMs: config.recentIntentTimeoutMs,
    });
    for (const ev of events) this.#emit(ev);
  }

  #reconnect(): void {
    if (this.#state !== "alive") return;
    const m = reconnectCandidate(this.#core.members, this.#random);
    if (m === undefined) return;
    this.#requireHost().join([`${m.name}/${formatAddr(m.ip, m.port)}`]).catch((err) => {
      this.#core.log.debug("Reconnect failed", { member: m.name, error: String(err) });
    });
  }

  #hasAlivePeers(): boolean {
    return this.#core.members.all().some((m) => m.name !== this.#core.name && m.status === "alive");
  }

  #emit(event: GossipEvent): void {
    try {
      this.#onEvent(event);
    } catch (err) {
      this.#core.log.error("Event handler threw", { error: String(err) });
    }
  }

  #requireHost(): SerfHost {
    if (this.#host === undefined) {
      throw new RegistryError("NOT_READY", "Cannot use serf: not attached to memberlist");
    }
    return this.#host;
  }

  #sync(): SyncState {
    const core = this.#core;
    return {
      members: core.members,
      memberClock: core.memberClock,
      events: core.events,
      queryClock: core.queries.clock,
      applyJoin: (intent) => void joinIntent(core, intent),
      applyLeave: (intent) => void leaveIntent(core, intent),
      receiveEvent: (e) => void receiveUserEvent(core, e),
    };
  }
}

function toUpdate(node: NodeRecord): MemberUpdate {
  return {
    name: node.name,
    ip: node.ip,
    port: node.port,
    tags: decodeTags(node.meta),
    vsn: node.vsn,
  };
}

function sameTags(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
