/**
 * Serf's push-pull user state (gossip-wire.md §7.5): what we send in a
 * memberlist push-pull, and how a peer's state is merged (clocks witnessed,
 * left members and status times replayed as intents, the event ring
 * replayed as user events).
 *
 * @module
 */
import type { Intent } from "./intents.ts";
import type { LamportClock } from "./lamport_clock.ts";
import type { MemberTable } from "./serf_members.ts";
import type { SerfPushPullMessage } from "./serf_messages.ts";
import type { UserEventBuffer, UserEventMessage } from "./user_events.ts";

/** The serf state a push-pull reads and writes. */
export interface SyncState {
  readonly members: MemberTable;
  readonly memberClock: LamportClock;
  readonly events: UserEventBuffer;
  readonly queryClock: LamportClock;
  /** Applies a join intent (no re-gossip). */
  applyJoin(intent: Intent): void;
  /** Applies a leave intent (no re-gossip). */
  applyLeave(intent: Intent): void;
  /** Records and delivers a user event if new (no re-gossip). */
  receiveEvent(event: UserEventMessage): void;
}

/**
 * Builds our push-pull state.
 *
 * @param s Our serf state.
 * @returns The message to encode.
 */
export function buildLocalState(s: SyncState): SerfPushPullMessage {
  const statusLTimes: Record<string, number> = {};
  const leftMembers: string[] = [];
  for (const m of s.members.all()) {
    statusLTimes[m.name] = m.statusLTime;
    if (m.status === "left") leftMembers.push(m.name);
  }
  return {
    type: "pushPull",
    lTime: s.memberClock.time(),
    statusLTimes,
    leftMembers,
    eventLTime: s.events.clock.time(),
    events: s.events.slots(),
    queryLTime: s.queryClock.time(),
  };
}

/**
 * Merges a peer's push-pull state into ours.
 *
 * @param s Our serf state.
 * @param pp The peer's state.
 * @param ignoreOldEvents Raise the event minimum time to the peer's event
 * clock first (a join with `ignoreOld`).
 */
export function mergeRemoteState(
  s: SyncState,
  pp: SerfPushPullMessage,
  ignoreOldEvents: boolean,
): void {
  if (pp.lTime > 0) s.memberClock.witness(pp.lTime - 1);
  if (pp.eventLTime > 0) s.events.clock.witness(pp.eventLTime - 1);
  if (pp.queryLTime > 0) s.queryClock.witness(pp.queryLTime - 1);
  const left = new Set(pp.leftMembers);
  for (const node of left) s.applyLeave({ lTime: (pp.statusLTimes[node] ?? 0) + 1, node });
  for (const [node, lTime] of Object.entries(pp.statusLTimes)) {
    if (!left.has(node)) s.applyJoin({ lTime, node });
  }
  if (ignoreOldEvents) s.events.raiseMinTime(pp.eventLTime);
  for (const slot of pp.events) {
    if (slot === null) continue;
    for (const e of slot.events) {
      s.receiveEvent({ lTime: slot.lTime, name: e.name, payload: e.payload, cc: false });
    }
  }
}
