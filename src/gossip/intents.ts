/**
 * Serf join and leave intents (gossip-wire.md §7.3): member-clock stamped
 * claims that a member joined or is leaving, applied to the member table.
 *
 * @module
 */
import type { LamportClock } from "./lamport_clock.ts";
import { type MemberEvent, type MemberTable, toGossipMember } from "./serf_members.ts";

/** A join or leave intent as decoded from the wire. */
export interface Intent {
  /** Member-clock time of the intent. */
  readonly lTime: number;
  /** The member it is about. */
  readonly node: string;
}

/** What applying an intent requires of the caller. */
export interface IntentOutcome {
  /** Re-gossip the intent unchanged. */
  readonly rebroadcast: boolean;
  /** The intent named us while we are alive: gossip a fresh join intent instead. */
  readonly refute: boolean;
  /** Member events to deliver, in order. */
  readonly events: readonly MemberEvent[];
  /** Erase this member (a leave with `prune`), after the delay when it is still leaving. */
  readonly prune?: string;
}

const NOTHING: IntentOutcome = Object.freeze({ rebroadcast: false, refute: false, events: [] });

/**
 * Applies a join intent: witness its time, buffer it for an unknown member,
 * otherwise record it when newer and bring a leaving member back to alive.
 *
 * @param table The member table.
 * @param clock The member clock.
 * @param intent The intent.
 * @param nowMs Current time, for the intent buffer.
 * @returns Whether to re-gossip, plus any events (`join` when leaving → alive).
 */
export function applyJoinIntent(
  table: MemberTable,
  clock: LamportClock,
  intent: Intent,
  nowMs: number,
): IntentOutcome {
  clock.witness(intent.lTime);
  const m = table.get(intent.node);
  if (m === undefined) {
    return {
      ...NOTHING,
      rebroadcast: table.upsertIntent(intent.node, "join", intent.lTime, nowMs),
    };
  }
  if (intent.lTime <= m.statusLTime) return NOTHING;
  m.statusLTime = intent.lTime;
  if (m.status !== "leaving") return { ...NOTHING, rebroadcast: true };
  m.status = "alive";
  return { ...NOTHING, rebroadcast: true, events: [{ type: "join", member: toGossipMember(m) }] };
}

/** Context a leave intent needs beyond the table. */
export interface LeaveContext {
  /** Our member name. */
  readonly localName: string;
  /** Whether we are alive (not leaving or shut down): a leave about us is then refuted. */
  readonly localAlive: boolean;
  /** Current time. */
  readonly nowMs: number;
}

/**
 * Applies a leave intent: alive → leaving, failed → left (a forced leave,
 * with a `left` event), leaving/left unchanged; refuted when it names us.
 *
 * @param table The member table.
 * @param clock The member clock.
 * @param intent The intent, with serf's `prune` flag.
 * @param ctx Who we are and the time.
 * @returns What to do next.
 */
export function applyLeaveIntent(
  table: MemberTable,
  clock: LamportClock,
  intent: Intent & { readonly prune?: boolean },
  ctx: LeaveContext,
): IntentOutcome {
  clock.witness(intent.lTime);
  const m = table.get(intent.node);
  if (m === undefined) {
    return {
      ...NOTHING,
      rebroadcast: table.upsertIntent(intent.node, "leave", intent.lTime, ctx.nowMs),
    };
  }
  if (intent.lTime <= m.statusLTime) return NOTHING;
  if (intent.node === ctx.localName && ctx.localAlive) return { ...NOTHING, refute: true };
  const prune = intent.prune ? { prune: m.name } : {};
  const events: MemberEvent[] = [];
  if (m.status === "alive") {
    m.status = "leaving";
    events.push({ type: "leaving", member: toGossipMember(m) });
  } else if (m.status === "failed") {
    m.status = "left";
    m.leaveTimeMs = ctx.nowMs;
    events.push({ type: "left", member: toGossipMember(m) });
  }
  m.statusLTime = intent.lTime;
  return { rebroadcast: true, refute: false, events, ...prune };
}
