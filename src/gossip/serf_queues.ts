/**
 * Serf's three broadcast queues (gossip-wire.md §6.8): intents, then
 * queries, then user events, drained in that order into the space
 * memberlist leaves in each packet, and pruned to MaxQueueDepth.
 *
 * @module
 */
import type { Logger } from "../logger.ts";
import { BroadcastQueue } from "./broadcast_queue.ts";

/** Which serf queue a message belongs in. */
export type SerfQueueKind = "intent" | "query" | "event";

/**
 * The three queues of one serf member.
 *
 * @example
 * ```ts
 * import { SerfQueues } from "./serf_queues.ts";
 * const queues = new SerfQueues(4, () => 3);
 * queues.queue("event", new Uint8Array([3]));
 * queues.take(1, 1400).length; // 1
 * ```
 */
export class SerfQueues {
  readonly #queues: Record<SerfQueueKind, BroadcastQueue>;

  /**
   * Creates empty queues.
   *
   * @param retransmitMult Retransmissions = this × ceil(log10(n+1)).
   * @param numMembers Current member count n (failed and left included).
   */
  constructor(retransmitMult: number, numMembers: () => number) {
    const make = (): BroadcastQueue => new BroadcastQueue({ retransmitMult, numNodes: numMembers });
    this.#queues = { intent: make(), query: make(), event: make() };
  }

  /**
   * Queues one serf message.
   *
   * @param kind The queue.
   * @param bytes The encoded serf message.
   * @param onFinished Runs once it is fully retransmitted or dropped.
   */
  queue(kind: SerfQueueKind, bytes: Uint8Array, onFinished?: () => void): void {
    this.#queues[kind].queue({ bytes, onFinished });
  }

  /**
   * Takes messages for one packet: intents first, then queries, then events.
   *
   * @param overhead Bytes added per message.
   * @param limit Byte budget.
   * @returns The messages.
   */
  take(overhead: number, limit: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    let left = limit;
    for (const q of Object.values(this.#queues)) {
      for (const b of q.take(overhead, left)) {
        out.push(b);
        left -= b.length + overhead;
      }
    }
    return out;
  }

  /**
   * Warns about deep queues and prunes them to `max` (oldest dropped).
   *
   * @param warnAt Depth that is logged.
   * @param max Depth kept.
   * @param log Where to warn.
   */
  check(warnAt: number, max: number, log: Logger): void {
    for (const [kind, q] of Object.entries(this.#queues)) {
      if (q.length > warnAt) log.warn("Serf queue is deep", { queue: kind, depth: q.length });
      if (q.length > max) q.prune(max);
    }
  }

  /**
   * Current depths.
   *
   * @returns Messages queued per kind.
   */
  depths(): Record<SerfQueueKind, number> {
    return {
      intent: this.#queues.intent.length,
      query: this.#queues.query.length,
      event: this.#queues.event.length,
    };
  }
}
