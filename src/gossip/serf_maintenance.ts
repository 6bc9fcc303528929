/**
 * Serf's periodic upkeep on the injected clock (gossip-wire.md §7.3): reaping
 * failed and left members and stale intents, retrying a failed member, and
 * watching the broadcast queue depths.
 *
 * @module
 */
import type { SerfCore } from "./serf_dispatch.ts";
import { formatAddr, reconnectCandidate } from "./serf_members.ts";
import type { SerfHost } from "./serf_options.ts";

/**
 * Starts the reap, reconnect (when `reconnectIntervalMs` > 0) and queue-depth
 * timers; {@link SerfCore.timers} cancels them at shutdown.
 *
 * @param core The member's state.
 * @param host The memberlist node, for reconnect joins.
 * @param random Uniform random in [0, 1), for the reconnect choice.
 */
export function startSerfMaintenance(
  core: SerfCore,
  host: () => SerfHost,
  random: () => number,
): void {
  const { timers, config } = core;
  timers.every(config.reapIntervalMs, () => reapMembers(core));
  if (config.reconnectIntervalMs > 0) {
    timers.every(config.reconnectIntervalMs, () => reconnectMember(core, host, random));
  }
  timers.every(config.queueCheckIntervalMs, () => {
    core.queues.check(config.queueDepthWarning, config.maxQueueDepth, core.log);
  });
}

/**
 * Drops failed and left members past their timeouts, and stale intents,
 * delivering a `reap` event for each member dropped.
 *
 * @param core The member's state.
 */
export function reapMembers(core: SerfCore): void {
  const { config, members, clock } = core;
  const events = members.reap(clock.now(), {
    reconnectTimeoutMs: config.reconnectTimeoutMs,
    tombstoneTimeoutMs: config.tombstoneTimeoutMs,
    intentTimeoutMs: config.recentIntentTimeoutMs,
  });
  for (const ev of events) core.emit(ev);
}

/**
 * While alive, tries a memberlist join to one failed member chosen at random
 * (`name/ip:port`); a failure is only logged.
 *
 * @param core The member's state.
 * @param host The memberlist node.
 * @param random Uniform random in [0, 1).
 */
export function reconnectMember(
  core: SerfCore,
  host: () => SerfHost,
  random: () => number,
): void {
  if (!core.isAlive()) return;
  const m = reconnectCandidate(core.members, random);
  if (m === undefined) return;
  host().join([`${m.name}/${formatAddr(m.ip, m.port)}`]).catch((err) => {
    core.log.debug("Reconnect failed", { member: m.name, error: String(err) });
  });
}
