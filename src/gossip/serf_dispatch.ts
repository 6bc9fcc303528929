/**
 * What a serf member does with each serf message (gossip-wire.md §7.3,
 * §7.6, §7.7): intents update the member table, user events go through the
 * dedupe ring, queries and responses go to the query engine. Each handler
 * says whether the message should be re-gossiped.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import { applyJoinIntent, applyLeaveIntent, type Intent, type IntentOutcome } from "./intents.ts";
import type { LamportClock } from "./lamport_clock.ts";
import type { GossipEvent } from "./member.ts";
import type { SerfConfig } from "./serf_config.ts";
import { type MemberTable, toGossipMember } from "./serf_members.ts";
import { encodeSerfMessage, type SerfMessage } from "./serf_messages.ts";
import type { SerfQueries } from "./serf_queries.ts";
import type { SerfQueues } from "./serf_queues.ts";
import type { SerfTimers } from "./serf_timers.ts";
import type { UserEventBuffer, UserEventMessage } from "./user_events.ts";

/** The shared state of one serf member that message handling reads and writes. */
export interface SerfCore {
  /** Our member name. */
  readonly name: string;
  /** Serf settings. */
  readonly config: SerfConfig;
  /** Time. */
  readonly clock: Clock;
  /** Where to log. */
  readonly log: Logger;
  /** The member table. */
  readonly members: MemberTable;
  /** The member (intent) clock. */
  readonly memberClock: LamportClock;
  /** The event clock and dedupe ring. */
  readonly events: UserEventBuffer;
  /** Outgoing broadcasts. */
  readonly queues: SerfQueues;
  /** The query engine. */
  readonly queries: SerfQueries;
  /** Timers cancelled at shutdown. */
  readonly timers: SerfTimers;
  /** Whether we are alive (not leaving, left or shut down). */
  isAlive(): boolean;
  /** Delivers an event to the application. */
  emit(event: GossipEvent): void;
  /** Counts a statistic. */
  count(key: string): void;
}

/**
 * Handles one received serf message.
 *
 * @param core The member's state.
 * @param msg The decoded message.
 * @returns Whether to re-gossip the original bytes.
 */
export function dispatchSerfMessage(core: SerfCore, msg: SerfMessage): boolean {
  switch (msg.type) {
    case "join":
      return joinIntent(core, msg);
    case "leave":
      return leaveIntent(core, msg);
    case "userEvent":
      return receiveUserEvent(core, msg);
    case "query":
      return core.queries.receive(msg);
    case "queryResponse":
      core.queries.record(msg);
      return false;
    case "relay":
      core.queries.relay(msg);
      return false;
    default:
      core.count("serf_unexpected_message");
      return false;
  }
}

/**
 * Applies a join intent.
 *
 * @param core The member's state.
 * @param intent The intent.
 * @returns Whether to re-gossip it.
 */
export function joinIntent(core: SerfCore, intent: Intent): boolean {
  return applyOutcome(
    core,
    applyJoinIntent(core.members, core.memberClock, intent, core.clock.now()),
  );
}

/**
 * Applies a leave intent (refuting one about us while alive).
 *
 * @param core The member's state.
 * @param intent The intent.
 * @returns Whether to re-gossip it.
 */
export function leaveIntent(
  core: SerfCore,
  intent: Intent & { readonly prune?: boolean },
): boolean {
  const ctx = { localName: core.name, localAlive: core.isAlive(), nowMs: core.clock.now() };
  return applyOutcome(core, applyLeaveIntent(core.members, core.memberClock, intent, ctx));
}

/**
 * Records a user event and delivers it when new.
 *
 * @param core The member's state.
 * @param msg The event.
 * @returns Whether it was new (re-gossip it).
 */
export function receiveUserEvent(core: SerfCore, msg: UserEventMessage): boolean {
  if (!core.events.receive(msg)) return false;
  core.emit({
    type: "user",
    name: msg.name,
    payload: msg.payload,
    lTime: msg.lTime,
    coalesce: msg.cc,
  });
  return true;
}

/**
 * Gossips our own join intent at `lTime` (after a join, or to refute a leave).
 *
 * @param core The member's state.
 * @param lTime Member-clock time.
 */
export function broadcastJoin(core: SerfCore, lTime: number): void {
  const intent = { lTime, node: core.name };
  core.memberClock.witness(lTime);
  applyJoinIntent(core.members, core.memberClock, intent, core.clock.now());
  core.queues.queue("intent", encodeSerfMessage({ type: "join", ...intent }));
}

function applyOutcome(core: SerfCore, outcome: IntentOutcome): boolean {
  for (const ev of outcome.events) core.emit(ev);
  if (outcome.refute) {
    core.log.debug("Refuting a leave intent about us", { member: core.name });
    broadcastJoin(core, core.memberClock.time());
  }
  if (outcome.prune !== undefined) prune(core, outcome.prune);
  return outcome.rebroadcast;
}

function prune(core: SerfCore, name: string): void {
  const m = core.members.get(name);
  if (m === undefined) return;
  const erase = (): void => {
    const gone = core.members.erase(name);
    if (gone) core.emit({ type: "reap", member: toGossipMember(gone) });
  };
  if (m.status !== "leaving") return erase();
  core.timers.after(core.config.broadcastTimeoutMs + core.config.leavePropagateDelayMs, erase);
}
