/**
 * Per-subscriber event queues for the gossip agent. Each subscriber gets its
 * own unbounded queue, so the protocol loop never waits for a slow consumer
 * and no event is ever dropped; the backlog is counted (`maxBacklog`) and a
 * warning is logged each time a backlog crosses another
 * {@link BACKLOG_WARNING} events, so a stuck consumer shows up in the logs
 * long before memory does.
 *
 * @module
 */
import type { Logger } from "../logger.ts";
import type { GossipEvent } from "./member.ts";

/** A backlog warning is logged at every multiple of this many queued events. */
export const BACKLOG_WARNING = 10_000;

/** A stream of gossip events: a `snapshot` first, then every change in order. */
export interface EventSubscription extends AsyncIterable<GossipEvent> {
  /** Waits for the next event; `undefined` once closed and drained. */
  next(): Promise<GossipEvent | undefined>;
  /** Events queued and not yet read. */
  readonly backlog: number;
  /** Stops the subscription; pending reads resolve with `undefined`. Idempotent. */
  close(): void;
}

/** Fans events out to subscribers. */
export class EventHub {
  #subs = new Set<Subscriber>();
  #log: Logger;
  #maxBacklog = 0;

  /**
   * Creates a hub.
   *
   * @param logger Where backlog warnings go.
   */
  constructor(logger: Logger) {
    this.#log = logger;
  }

  /** The largest backlog any subscriber has had. */
  get maxBacklog(): number {
    return this.#maxBacklog;
  }

  /** Number of open subscriptions. */
  get size(): number {
    return this.#subs.size;
  }

  /**
   * Opens a subscription whose first event is `first`.
   *
   * @param first The snapshot event.
   * @returns The subscription.
   */
  subscribe(first: GossipEvent): EventSubscription {
    const sub = new Subscriber(() => this.#subs.delete(sub));
    sub.push(first);
    this.#subs.add(sub);
    return sub;
  }

  /**
   * Delivers an event to every subscriber (never blocks).
   *
   * @param event The event.
   */
  publish(event: GossipEvent): void {
    for (const sub of this.#subs) {
      sub.push(event);
      const n = sub.backlog;
      if (n > this.#maxBacklog) this.#maxBacklog = n;
      if (n > 0 && n % BACKLOG_WARNING === 0) {
        this.#log.warn("Gossip event subscriber is behind", { backlog: n });
      }
    }
  }

  /** Closes every subscription. */
  closeAll(): void {
    for (const sub of [...this.#subs]) sub.close();
  }
}

class Subscriber implements EventSubscription {
  #queue: GossipEvent[] = [];
  #head = 0;
  #waiters: ((e: GossipEvent | undefined) => void)[] = [];
  #closed = false;
  #onClose: () => void;

  constructor(onClose: () => void) {
    this.#onClose = onClose;
  }

  get backlog(): number {
    return this.#queue.length - this.#head;
  }

  push(event: GossipEvent): void {
    if (this.#closed) return;
    const waiter = this.#waiters.shift();
    if (waiter) return waiter(event);
    this.#queue.push(event);
  }

  next(): Promise<GossipEvent | undefined> {
    if (this.#head < this.#queue.length) {
      const e = this.#queue[this.#head++];
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      return Promise.resolve(e);
    }
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = [];
    this.#head = 0;
    for (const w of this.#waiters.splice(0)) w(undefined);
    this.#onClose();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<GossipEvent> {
    try {
      while (true) {
        const e = await this.next();
        if (e === undefined) return;
        yield e;
      }
    } finally {
      this.close();
    }
  }
}
