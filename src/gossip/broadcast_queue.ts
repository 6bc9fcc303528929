/**
 * A transmit-limited broadcast queue (gossip-wire.md §6.8): messages are
 * handed out fewest-transmissions first, then larger first, then newest
 * first; each hand-out counts one transmission, and after
 * `retransmitMult × ceil(log10(n + 1))` of them a message is dropped and its
 * `onFinished` runs. A message with a `key` replaces any queued one with the
 * same key. Used for memberlist's own broadcasts and for serf's queues.
 *
 * @module
 */

/** One queued message. */
export interface Broadcast {
  /** The message bytes, exactly as they go into a compound part. */
  readonly bytes: Uint8Array;
  /** Messages with the same key replace each other (memberlist: the node name). */
  readonly key?: string;
  /** Runs once when the message is fully retransmitted, replaced or dropped. */
  readonly onFinished?: () => void;
}

/** Options of {@link BroadcastQueue}. */
export interface BroadcastQueueOptions {
  /** The retransmit factor (`RetransmitMult`). */
  readonly retransmitMult: number;
  /** The current cluster size `n` the limit is computed from. */
  readonly numNodes: () => number;
}

interface Entry {
  readonly item: Broadcast;
  readonly id: number;
  transmits: number;
}

/**
 * The retransmit limit for a cluster of `n` members.
 *
 * @param retransmitMult The factor.
 * @param n Cluster size.
 * @returns `retransmitMult × ceil(log10(n + 1))`.
 * @example
 * ```ts
 * import { retransmitLimit } from "./broadcast_queue.ts";
 * retransmitLimit(4, 3); // 4
 * retransmitLimit(4, 10); // 8
 * ```
 */
export function retransmitLimit(retransmitMult: number, n: number): number {
  return retransmitMult * Math.ceil(Math.log10(Math.max(0, n) + 1));
}

/** Orders entries: fewer transmits, then larger, then newer first. */
function before(a: Entry, b: Entry): boolean {
  if (a.transmits !== b.transmits) return a.transmits < b.transmits;
  if (a.item.bytes.length !== b.item.bytes.length) {
    return a.item.bytes.length > b.item.bytes.length;
  }
  return a.id > b.id;
}

/**
 * The queue.
 *
 * @example
 * ```ts
 * import { BroadcastQueue } from "./broadcast_queue.ts";
 * const q = new BroadcastQueue({ retransmitMult: 4, numNodes: () => 3 });
 * q.queue({ bytes: new Uint8Array([8, 1]) });
 * q.take(2, 1400); // [Uint8Array [8, 1]]
 * ```
 */
export class BroadcastQueue {
  #options: BroadcastQueueOptions;
  #entries: Entry[] = [];
  #byKey = new Map<string, Entry>();
  #nextId = 0;

  /**
   * Creates an empty queue.
   *
   * @param options The retransmit factor and the cluster size source.
   */
  constructor(options: BroadcastQueueOptions) {
    this.#options = options;
  }

  /** Messages currently queued. */
  get length(): number {
    return this.#entries.length;
  }

  /**
   * The current retransmit limit.
   *
   * @returns `retransmitMult × ceil(log10(n + 1))` for the current `n`.
   */
  limit(): number {
    return retransmitLimit(this.#options.retransmitMult, this.#options.numNodes());
  }

  /**
   * Queues a message, replacing a queued one with the same key (whose
   * `onFinished` then runs).
   *
   * @param item The message.
   */
  queue(item: Broadcast): void {
    if (item.key !== undefined) {
      const old = this.#byKey.get(item.key);
      if (old) this.#remove(old);
    }
    const entry: Entry = { item, id: this.#nextId++, transmits: 0 };
    if (item.key !== undefined) this.#byKey.set(item.key, entry);
    this.#insert(entry);
  }

  /**
   * Hands out messages that fit in `limit` bytes, counting `overhead` extra
   * bytes for each, and counts one transmission for each.
   *
   * @param overhead Bytes added per message (compound length, user wrapper).
   * @param limit The byte budget.
   * @returns The chosen messages, in queue order.
   */
  take(overhead: number, limit: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    const taken: Entry[] = [];
    let used = 0;
    const max = this.limit();
    for (let i = 0; i < this.#entries.length && limit - used > overhead; i++) {
      const e = this.#entries[i];
      const size = e.item.bytes.length + overhead;
      if (used + size > limit) continue;
      used += size;
      out.push(e.item.bytes);
      taken.push(e);
    }
    for (const e of taken) {
      this.#entries.splice(this.#indexOf(e), 1);
      e.transmits++;
      if (e.transmits >= max) this.#finish(e);
      else this.#insert(e);
    }
    return out;
  }

  /**
   * Drops the oldest messages beyond `max` (serf's MaxQueueDepth); their
   * `onFinished` runs.
   *
   * @param max Messages to keep.
   */
  prune(max: number): void {
    while (this.#entries.length > max) {
      let oldest = this.#entries[0];
      for (const e of this.#entries) if (e.id < oldest.id) oldest = e;
      this.#remove(oldest);
    }
  }

  /** Drops every message; their `onFinished` runs. */
  clear(): void {
    for (const e of [...this.#entries]) this.#remove(e);
  }

  #insert(e: Entry): void {
    let lo = 0, hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.#entries[mid], e)) lo = mid + 1;
      else hi = mid;
    }
    this.#entries.splice(lo, 0, e);
  }

  #indexOf(e: Entry): number {
    let lo = 0, hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.#entries[mid], e)) lo = mid + 1;
      else hi = mid;
    }
    return this.#entries[lo] === e ? lo : this.#entries.indexOf(e);
  }

  #remove(e: Entry): void {
    const i = this.#indexOf(e);
    if (i !== -1) this.#entries.splice(i, 1);
    this.#finish(e);
  }

  #finish(e: Entry): void {
    if (e.item.key !== undefined && this.#byKey.get(e.item.key) === e) {
      this.#byKey.delete(e.item.key);
    }
    e.item.onFinished?.();
  }
}
