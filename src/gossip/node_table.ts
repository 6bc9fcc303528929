/**
 * The memberlist node table: one mutable record per member name, plus the
 * round-robin probe order with random insertion, reshuffling and purging
 * (gossip-wire.md §6.2, §6.6 step 1).
 *
 * @module
 */
import type { NodeRecord } from "./delegate.ts";
import { NodeState, type Vsn } from "./messages.ts";
import { ipToString } from "./ip_bytes.ts";

/** One member as the core tracks it. */
export interface NodeEntry {
  /** The member name. */
  readonly name: string;
  /** IP bytes (4 or 16). */
  addr: Uint8Array;
  /** Gossip port. */
  port: number;
  /** Meta bytes (serf tags). */
  meta: Uint8Array;
  /** Protocol versions. */
  vsn: Vsn;
  /** The newest incarnation we accepted. */
  incarnation: number;
  /** The current state. */
  state: NodeState;
  /** When `state` last changed (core clock, ms). */
  stateChangeMs: number;
}

/**
 * A frozen snapshot of an entry for the delegate.
 *
 * @param e The entry.
 * @returns The record.
 */
export function toNodeRecord(e: NodeEntry): NodeRecord {
  return Object.freeze({
    name: e.name,
    ip: ipToString(e.addr),
    port: e.port,
    meta: e.meta,
    vsn: e.vsn,
    incarnation: e.incarnation,
    state: e.state,
    stateChangeMs: e.stateChangeMs,
  });
}

/**
 * The table of members and the probe order.
 *
 * @example
 * ```ts
 * import { NodeTable } from "./node_table.ts";
 * const t = new NodeTable(Math.random);
 * t.size; // 0
 * ```
 */
export class NodeTable {
  #random: () => number;
  #byName = new Map<string, NodeEntry>();
  #order: NodeEntry[] = [];
  #probeIndex = 0;
  #alive = 0;

  /**
   * Creates an empty table.
   *
   * @param random Uniform `[0, 1)` source for insertion positions and shuffles.
   */
  constructor(random: () => number) {
    this.#random = random;
  }

  /** Members in the table, any state, including the local one. */
  get size(): number {
    return this.#order.length;
  }

  /** Members whose state is alive (the local one included when alive). */
  get aliveCount(): number {
    return this.#alive;
  }

  /**
   * Looks a member up.
   *
   * @param name The member name.
   * @returns The entry, or `undefined`.
   */
  get(name: string): NodeEntry | undefined {
    return this.#byName.get(name);
  }

  /** Every entry, in probe order. */
  entries(): readonly NodeEntry[] {
    return this.#order;
  }

  /**
   * Adds a new entry at a random position of the probe order.
   *
   * @param e The entry; its name must be new.
   * @throws {RangeError} When the name is already present.
   */
  add(e: NodeEntry): void {
    if (this.#byName.has(e.name)) throw new RangeError(`Cannot add member "${e.name}": it exists`);
    this.#byName.set(e.name, e);
    const pos = Math.floor(this.#random() * (this.#order.length + 1));
    this.#order.splice(pos, 0, e);
    if (pos < this.#probeIndex) this.#probeIndex++;
    if (e.state === NodeState.ALIVE) this.#alive++;
  }

  /**
   * Changes an entry's state, keeping the alive count.
   *
   * @param e The entry.
   * @param state The new state.
   * @param nowMs The time of the change.
   */
  setState(e: NodeEntry, state: NodeState, nowMs: number): void {
    if (e.state === state) return;
    if (e.state === NodeState.ALIVE) this.#alive--;
    if (state === NodeState.ALIVE) this.#alive++;
    e.state = state;
    e.stateChangeMs = nowMs;
  }

  /**
   * The next member to probe, round robin, skipping `self` and dead/left
   * members. At the end of the list, `onWrap` runs (purge), then the order
   * is reshuffled.
   *
   * @param self The local member's name.
   * @param onWrap Runs once when the end of the list is reached.
   * @returns The member to probe, or `undefined` if none qualifies.
   */
  nextProbeTarget(self: string, onWrap: () => void): NodeEntry | undefined {
    for (let checked = 0; checked <= this.#order.length + 1; checked++) {
      if (this.#probeIndex >= this.#order.length) {
        onWrap();
        this.#shuffle();
        this.#probeIndex = 0;
        if (this.#order.length === 0) return undefined;
      }
      const e = this.#order[this.#probeIndex++];
      if (e.name === self) continue;
      if (e.state === NodeState.DEAD || e.state === NodeState.LEFT) continue;
      return e;
    }
    return undefined;
  }

  /**
   * Removes dead and left members whose state changed before `beforeMs`.
   *
   * @param beforeMs The cutoff time.
   * @returns The names removed.
   */
  purge(beforeMs: number): string[] {
    const removed: string[] = [];
    this.#order = this.#order.filter((e) => {
      const gone = (e.state === NodeState.DEAD || e.state === NodeState.LEFT) &&
        e.stateChangeMs < beforeMs;
      if (gone) {
        this.#byName.delete(e.name);
        removed.push(e.name);
      }
      return !gone;
    });
    this.#probeIndex = Math.min(this.#probeIndex, this.#order.length);
    return removed;
  }

  /**
   * Picks up to `k` random entries that pass `accept`.
   *
   * @param k How many.
   * @param accept The filter.
   * @returns Distinct entries, at most `k`.
   */
  randomSample(k: number, accept: (e: NodeEntry) => boolean): NodeEntry[] {
    const out: NodeEntry[] = [];
    const n = this.#order.length;
    if (n === 0 || k <= 0) return out;
    const start = Math.floor(this.#random() * n);
    const stride = pickStride(n, this.#random);
    for (let i = 0; i < n && out.length < k; i++) {
      const e = this.#order[(start + i * stride) % n];
      if (accept(e)) out.push(e);
    }
    return out;
  }

  #shuffle(): void {
    const a = this.#order;
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
  }
}

/** A random stride coprime with `n`, so a walk visits every index once. */
function pickStride(n: number, random: () => number): number {
  if (n <= 2) return 1;
  for (let tries = 0; tries < 8; tries++) {
    const s = 1 + Math.floor(random() * (n - 1));
    if (gcd(s, n) === 1) return s;
  }
  return 1;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
