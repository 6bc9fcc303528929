/**
 * The gossip part of a graceful serf leave (gossip-wire.md §7.8): our leave
 * intent, gossiped at once and awaited, then the memberlist leave, then a
 * pause while we still answer probes so peers record us as `left`. The
 * lifecycle state stays with `Serf`.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import { leaveIntent, type SerfCore } from "./serf_dispatch.ts";
import { encodeSerfMessage } from "./serf_messages.ts";
import type { SerfHost } from "./serf_options.ts";

/**
 * Runs the leave sequence; bounded by 2 × BroadcastTimeout +
 * LeavePropagateDelay on the core's timers.
 *
 * @param core The member's state (already not alive).
 * @param host The memberlist node.
 * @returns `true` when the leave was fully gossiped, `false` when the intent
 * or the memberlist leave timed out (the sequence still completes).
 * @throws {RegistryError} Any memberlist leave error but `LEAVE_TIMEOUT`, and
 * `NOT_READY` when not attached.
 */
export async function runLeaveSequence(core: SerfCore, host: () => SerfHost): Promise<boolean> {
  const { name, config, timers, memberClock } = core;
  const intent = { lTime: memberClock.time(), node: name, prune: false };
  memberClock.increment();
  leaveIntent(core, intent);
  let complete = true;
  if (hasAlivePeers(core)) {
    let done!: () => void;
    const finished = new Promise<void>((resolve) => done = resolve);
    core.queues.queue("intent", encodeSerfMessage({ type: "leave", ...intent }), done);
    // Registries drop a leaving member at once: let them hear it now, not at the next tick.
    host().gossipNow();
    complete = await timers.within(finished, config.broadcastTimeoutMs);
  }
  try {
    await host().leave(config.broadcastTimeoutMs);
  } catch (err) {
    if (!(err instanceof RegistryError && err.code === "LEAVE_TIMEOUT")) throw err;
    complete = false;
  }
  await timers.within(new Promise<void>(() => {}), config.leavePropagateDelayMs);
  return complete;
}

/**
 * The error of a leave that was not fully gossiped in time.
 *
 * @param core The member's state.
 * @returns A `LEAVE_TIMEOUT` error naming us and the broadcast timeout.
 */
export function leaveTimeoutError(core: SerfCore): RegistryError {
  return new RegistryError(
    "LEAVE_TIMEOUT",
    `Cannot confirm the leave of "${core.name}": not gossiped within ${core.config.broadcastTimeoutMs} ms`,
  );
}

function hasAlivePeers(core: SerfCore): boolean {
  return core.members.all().some((m) => m.name !== core.name && m.status === "alive");
}
