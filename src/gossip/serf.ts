/**
 * The serf core: member statuses, intents, user events and queries on top of
 * memberlist, as a {@link MemberlistDelegate} (gossip-wire.md §7). Pure: time
 * and randomness are injected, and everything memberlist does for it goes
 * through a {@link SerfHost}. The class keeps the lifecycle state, tags and
 * counters; the work is in the `serf_*.ts` modules (member callbacks in
 * `serf_member_events.ts`, upkeep timers in `serf_maintenance.ts`, the leave
 * sequence in `serf_leave.ts`, push-pull state in `serf_state_exchange.ts`).
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import type { MemberlistDelegate, NodeRecord } from "./delegate.ts";
import type { GossipEvent, GossipMember } from "./member.ts";
import { encodeTags } from "./meta.ts";
import type { QueryResult } from "./queries.ts";
import { createSerfCore } from "./serf_core.ts";
import { broadcastJoin, type SerfCore } from "./serf_dispatch.ts";
import { leaveTimeoutError, runLeaveSequence } from "./serf_leave.ts";
import { startSerfMaintenance } from "./serf_maintenance.ts";
import {
  handleNodeConflict,
  handleNodeJoin,
  handleNodeLeave,
  handleNodeUpdate,
  sameTags,
  toMemberUpdate,
} from "./serf_member_events.ts";
import { toGossipMember } from "./serf_members.ts";
import type { SerfHost, SerfOptions } from "./serf_options.ts";
import type { SerfQueryOptions } from "./serf_queries.ts";
import { receiveSerfPayload } from "./serf_receive.ts";
import { sendSerfEvent } from "./serf_send_event.ts";
import { encodeLocalState, mergeRemoteStateBytes } from "./serf_state_exchange.ts";

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
    this.#core = createSerfCore(options, {
      tags: () => this.#tags,
      host: () => this.#requireHost(),
      isAlive: () => this.#state === "alive",
      emit: (event) => this.#emit(event),
      count: (key) => {
        this.#counters[key] = (this.#counters[key] ?? 0) + 1;
      },
    });
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
    const { members } = this.#core;
    this.#host = host;
    const self = host.localNode();
    if (members.get(self.name) === undefined) {
      this.#emit(members.nodeJoined(toMemberUpdate(self)));
    }
    startSerfMaintenance(this.#core, () => this.#requireHost(), this.#random);
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
    if (this.#state !== "alive") {
      const msg = `Cannot leave as "${this.#core.name}": state is ${this.#state}`;
      throw new RegistryError("CLOSED", msg);
    }
    this.#state = "leaving";
    const complete = await runLeaveSequence(this.#core, () => this.#requireHost());
    if (this.#state === "leaving") this.#state = "left";
    if (!complete) throw leaveTimeoutError(this.#core);
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
    sendSerfEvent(this.#core, name, payload, coalesce);
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
    receiveSerfPayload(this.#core, payload);
  }

  /** @inheritdoc */
  getBroadcasts(overhead: number, limit: number): Uint8Array[] {
    return this.#core.queues.take(overhead, limit);
  }

  /** @inheritdoc */
  localState(_join: boolean): Uint8Array {
    return encodeLocalState(this.#core);
  }

  /** @inheritdoc */
  mergeRemoteState(state: Uint8Array, join: boolean): void {
    mergeRemoteStateBytes(this.#core, state, join && this.#ignoreOld);
  }

  /** @inheritdoc */
  notifyJoin(node: NodeRecord): void {
    handleNodeJoin(this.#core, node);
  }

  /** @inheritdoc */
  notifyLeave(node: NodeRecord): void {
    handleNodeLeave(this.#core, node);
  }

  /** @inheritdoc */
  notifyUpdate(node: NodeRecord): void {
    handleNodeUpdate(this.#core, node);
  }

  /** @inheritdoc */
  notifyConflict(existing: NodeRecord, other: NodeRecord): void {
    handleNodeConflict(this.#core, existing, other);
  }

  /** @inheritdoc */
  ackPayload(): Uint8Array {
    return new Uint8Array(0); // no Vivaldi coordinates; Go ignores an empty ack payload
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
}
