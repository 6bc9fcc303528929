/**
 * What serf does when memberlist reports a node joining, leaving, changing
 * or clashing over a name (gossip-wire.md §7.3): the member table is updated
 * and the resulting member events are delivered. These are the bodies of the
 * delegate's `notifyJoin` / `notifyLeave` / `notifyUpdate` /
 * `notifyConflict`.
 *
 * @module
 */
import type { NodeRecord } from "./delegate.ts";
import { NodeState } from "./messages.ts";
import { decodeTags } from "./meta.ts";
import type { SerfCore } from "./serf_dispatch.ts";
import { formatAddr, type MemberUpdate } from "./serf_members.ts";

/**
 * What memberlist says about a node, in the member table's terms.
 *
 * @param node The memberlist record.
 * @returns Name, address, decoded tags and versions.
 */
export function toMemberUpdate(node: NodeRecord): MemberUpdate {
  return {
    name: node.name,
    ip: node.ip,
    port: node.port,
    tags: decodeTags(node.meta),
    vsn: node.vsn,
  };
}

/**
 * Whether two tag sets hold the same keys and values.
 *
 * @param a One tag set.
 * @param b The other.
 * @returns `true` when they are equal.
 */
export function sameTags(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/**
 * A node became alive: record it (our own alive record is an update).
 *
 * @param core The member's state.
 * @param node The memberlist record.
 */
export function handleNodeJoin(core: SerfCore, node: NodeRecord): void {
  const existing = core.members.get(node.name);
  if (node.name === core.name && existing?.status === "alive") {
    return handleNodeUpdate(core, node);
  }
  core.emit(core.members.nodeJoined(toMemberUpdate(node)));
}

/**
 * A node became dead (failed) or left (voluntary).
 *
 * @param core The member's state.
 * @param node The memberlist record.
 */
export function handleNodeLeave(core: SerfCore, node: NodeRecord): void {
  const voluntary = node.state === NodeState.LEFT;
  const ev = core.members.nodeLeft(node.name, voluntary, core.clock.now());
  if (ev) core.emit(ev);
}

/**
 * A node's meta, address or versions changed: only a new address or new tags
 * make an update event; new versions alone are recorded quietly.
 *
 * @param core The member's state.
 * @param node The memberlist record.
 */
export function handleNodeUpdate(core: SerfCore, node: NodeRecord): void {
  const m = core.members.get(node.name);
  const update = toMemberUpdate(node);
  if (m && m.ip === update.ip && m.port === update.port && sameTags(m.tags, update.tags)) {
    m.vsn = update.vsn;
    return;
  }
  const ev = core.members.nodeUpdated(update);
  if (ev) core.emit(ev);
}

/**
 * Another node claims a known name: log it, and when the name is ours (and
 * resolution is on) gossip a `_serf_conflict` query.
 *
 * @param core The member's state.
 * @param existing The record we know.
 * @param other The clashing record.
 */
export function handleNodeConflict(core: SerfCore, existing: NodeRecord, other: NodeRecord): void {
  core.log.warn("Name conflict", {
    member: existing.name,
    addr: formatAddr(existing.ip, existing.port),
    other: formatAddr(other.ip, other.port),
  });
  if (existing.name !== core.name) return;
  if (!core.config.enableNameConflictResolution) return;
  core.queues.queue("query", core.queries.resolveConflict());
}
