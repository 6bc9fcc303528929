/**
 * Serf's member table: status per member (alive, leaving, left, failed), the
 * member-clock time of its last status change, buffered intents about
 * members not yet known, and reaping (gossip-wire.md §7.3).
 *
 * @module
 */
import type { MemberStatus } from "../../lib/types.ts";
import type { GossipEvent, GossipMember } from "./member.ts";
import type { Vsn } from "./messages.ts";

/** One member as serf tracks it (mutable, internal). */
export interface SerfMember {
  readonly name: string;
  ip: string;
  port: number;
  tags: Record<string, string>;
  vsn: Vsn;
  status: MemberStatus;
  /** Member-clock time of the last intent applied. */
  statusLTime: number;
  /** When it became failed or left (ms, by the injected clock); 0 otherwise. */
  leaveTimeMs: number;
}

/** What memberlist tells serf about a node, tags already decoded. */
export interface MemberUpdate {
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  readonly tags: Record<string, string>;
  readonly vsn: Vsn;
}

/** A buffered join or leave intent about a member we do not know yet. */
interface Intent {
  readonly type: "join" | "leave";
  readonly lTime: number;
  readonly atMs: number;
}

/** A member change event (not a snapshot or user event). */
export type MemberEvent = Extract<GossipEvent, { member: GossipMember }>;

/**
 * Formats an address as `ip:port`, with IPv6 in brackets.
 *
 * @param ip An IPv4 or IPv6 address.
 * @param port A port.
 * @returns The joined address.
 */
export function formatAddr(ip: string, port: number): string {
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * The public, immutable view of a member.
 *
 * @param m The member.
 * @returns A {@link GossipMember} snapshot.
 */
export function toGossipMember(m: SerfMember): GossipMember {
  return Object.freeze({
    name: m.name,
    addr: formatAddr(m.ip, m.port),
    tags: Object.freeze({ ...m.tags }),
    status: m.status,
    protocol: Object.freeze({ min: m.vsn[0], max: m.vsn[1], cur: m.vsn[2] }),
    delegate: Object.freeze({ min: m.vsn[3], max: m.vsn[4], cur: m.vsn[5] }),
  });
}

/** The member table; every method is synchronous and returns the events it causes. */
export class MemberTable {
  #members = new Map<string, SerfMember>();
  #intents = new Map<string, Intent>();

  /**
   * Looks a member up.
   *
   * @param name Member name.
   * @returns The member, or `undefined`.
   */
  get(name: string): SerfMember | undefined {
    return this.#members.get(name);
  }

  /**
   * Every member, in insertion order.
   *
   * @returns The live records (do not mutate outside this module).
   */
  all(): SerfMember[] {
    return [...this.#members.values()];
  }

  /**
   * Number of members with a given status.
   *
   * @param status The status to count.
   * @returns The count.
   */
  count(status: MemberStatus): number {
    let n = 0;
    for (const m of this.#members.values()) if (m.status === status) n++;
    return n;
  }

  /** Number of members of any status. */
  get size(): number {
    return this.#members.size;
  }

  /**
   * Erases a member.
   *
   * @param name Member name.
   * @returns The erased member, or `undefined` when unknown.
   */
  erase(name: string): SerfMember | undefined {
    const m = this.#members.get(name);
    this.#members.delete(name);
    return m;
  }

  /**
   * Buffers an intent about an unknown member when it is newer than the one held.
   *
   * @param name Member name.
   * @param type Intent kind.
   * @param lTime Its member-clock time.
   * @param nowMs Current time.
   * @returns `true` when stored (the intent should be re-gossiped).
   */
  upsertIntent(name: string, type: "join" | "leave", lTime: number, nowMs: number): boolean {
    const held = this.#intents.get(name);
    if (held !== undefined && lTime <= held.lTime) return false;
    this.#intents.set(name, { type, lTime, atMs: nowMs });
    return true;
  }

  /**
   * The buffered intent time of a kind for a name.
   *
   * @param name Member name.
   * @param type Intent kind.
   * @returns Its LTime, or `undefined`.
   */
  recentIntent(name: string, type: "join" | "leave"): number | undefined {
    const held = this.#intents.get(name);
    return held?.type === type ? held.lTime : undefined;
  }

  /**
   * Applies a memberlist join: creates the member or brings it back alive.
   *
   * @param node The node's address, tags and versions.
   * @returns The `join` event.
   */
  nodeJoined(node: MemberUpdate): MemberEvent {
    let m = this.#members.get(node.name);
    if (m === undefined) {
      m = { ...node, tags: { ...node.tags }, status: "alive", statusLTime: 0, leaveTimeMs: 0 };
      const join = this.recentIntent(node.name, "join");
      if (join !== undefined) m.statusLTime = join;
      const leave = this.recentIntent(node.name, "leave");
      if (leave !== undefined && leave > m.statusLTime) {
        m.status = "leaving";
        m.statusLTime = leave;
      }
      this.#members.set(node.name, m);
    } else {
      Object.assign(m, { ip: node.ip, port: node.port, tags: { ...node.tags }, vsn: node.vsn });
      m.status = "alive";
      m.leaveTimeMs = 0;
    }
    return { type: "join", member: toGossipMember(m) };
  }

  /**
   * Applies a memberlist leave: leaving → left, alive → failed (or left when
   * memberlist itself saw a voluntary leave, in case the intent was lost).
   *
   * @param name Member name.
   * @param voluntary Whether memberlist's record says `left`.
   * @param nowMs Current time.
   * @returns The `left` or `failed` event, or `undefined` when nothing changed.
   */
  nodeLeft(name: string, voluntary: boolean, nowMs: number): MemberEvent | undefined {
    const m = this.#members.get(name);
    if (m === undefined) return undefined;
    let status: "left" | "failed";
    if (m.status === "leaving" || (m.status === "alive" && voluntary)) status = "left";
    else if (m.status === "alive") status = "failed";
    else return undefined;
    m.status = status;
    m.leaveTimeMs = nowMs;
    return { type: status, member: toGossipMember(m) };
  }

  /**
   * Applies a memberlist update (address, tags or versions changed).
   *
   * @param node The node's new view.
   * @returns The `update` event, or `undefined` for an unknown member.
   */
  nodeUpdated(node: MemberUpdate): MemberEvent | undefined {
    const m = this.#members.get(node.name);
    if (m === undefined) return undefined;
    Object.assign(m, { ip: node.ip, port: node.port, tags: { ...node.tags }, vsn: node.vsn });
    return { type: "update", member: toGossipMember(m) };
  }

  /**
   * Erases failed members older than `reconnectTimeoutMs`, left members older
   * than `tombstoneTimeoutMs`, and intents older than `intentTimeoutMs`.
   *
   * @param nowMs Current time.
   * @param limits The three timeouts.
   * @returns One `reap` event per erased member.
   */
  reap(
    nowMs: number,
    limits: { reconnectTimeoutMs: number; tombstoneTimeoutMs: number; intentTimeoutMs: number },
  ): MemberEvent[] {
    const events: MemberEvent[] = [];
    for (const m of [...this.#members.values()]) {
      const timeout = m.status === "failed"
        ? limits.reconnectTimeoutMs
        : m.status === "left"
        ? limits.tombstoneTimeoutMs
        : undefined;
      if (timeout === undefined || nowMs - m.leaveTimeMs <= timeout) continue;
      this.#members.delete(m.name);
      events.push({ type: "reap", member: toGossipMember(m) });
    }
    for (const [name, intent] of [...this.#intents]) {
      if (nowMs - intent.atMs > limits.intentTimeoutMs) this.#intents.delete(name);
    }
    return events;
  }
}

/**
 * Picks a failed member to retry, with serf's probability
 * `failed / alive` (a cluster mostly failed retries less eagerly per member).
 *
 * @param table The member table.
 * @param random Uniform `[0, 1)`.
 * @returns The member to retry, or `undefined` this round.
 */
export function reconnectCandidate(
  table: MemberTable,
  random: () => number,
): SerfMember | undefined {
  const failed = table.all().filter((m) => m.status === "failed");
  if (failed.length === 0) return undefined;
  const alive = Math.max(1, table.size - failed.length - table.count("left"));
  if (random() > failed.length / alive) return undefined;
  return failed[Math.floor(random() * failed.length)];
}
