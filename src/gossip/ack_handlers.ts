/**
 * Pending acks by sequence number: each waiting probe or relayed ping
 * registers what to do on an ack, a nack, or a timeout. Also tracks the
 * one-shot timers of its users so shutdown can cancel them all.
 *
 * @module
 */
import type { CancelTimer, Clock } from "../clock.ts";
import type { AckMessage, NackMessage } from "./messages.ts";

/** Callbacks for one sequence number. */
export interface AckCallbacks {
  /** The ack arrived (the handler is removed first). */
  onAck(msg: AckMessage): void;
  /** A relay reported a missed indirect probe (the handler stays). */
  onNack(): void;
  /** No ack within the timeout (the handler is removed first). */
  onTimeout(): void;
}

/**
 * The registry.
 *
 * @example
 * ```ts
 * import { AckHandlers } from "./ack_handlers.ts";
 * import { systemClock } from "../clock.ts";
 * const acks = new AckHandlers(systemClock);
 * acks.set(1, 500, { onAck() {}, onNack() {}, onTimeout() {} });
 * acks.ack({ type: "ack", seqNo: 1 }); // runs onAck
 * acks.stop();
 * ```
 */
export class AckHandlers {
  #clock: Clock;
  #handlers = new Map<number, { callbacks: AckCallbacks; cancel: CancelTimer }>();
  #timers = new Set<CancelTimer>();

  /**
   * Creates an empty registry.
   *
   * @param clock Timer source.
   */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * Waits for the ack of `seqNo` for at most `timeoutMs`.
   *
   * @param seqNo The sequence number.
   * @param timeoutMs When to give up.
   * @param callbacks What to run.
   */
  set(seqNo: number, timeoutMs: number, callbacks: AckCallbacks): void {
    this.remove(seqNo);
    const cancel = this.#clock.setTimer(timeoutMs, () => {
      if (this.#handlers.get(seqNo)?.cancel !== cancel) return;
      this.#handlers.delete(seqNo);
      callbacks.onTimeout();
    });
    this.#handlers.set(seqNo, { callbacks, cancel });
  }

  /**
   * Delivers an ack to whoever waits for its sequence number.
   *
   * @param msg The ack.
   */
  ack(msg: AckMessage): void {
    const h = this.#handlers.get(msg.seqNo);
    if (!h) return;
    this.#handlers.delete(msg.seqNo);
    h.cancel();
    h.callbacks.onAck(msg);
  }

  /**
   * Delivers a nack.
   *
   * @param msg The nack.
   */
  nack(msg: NackMessage): void {
    this.#handlers.get(msg.seqNo)?.callbacks.onNack();
  }

  /**
   * Stops waiting for `seqNo` without running anything.
   *
   * @param seqNo The sequence number.
   */
  remove(seqNo: number): void {
    const h = this.#handlers.get(seqNo);
    if (!h) return;
    h.cancel();
    this.#handlers.delete(seqNo);
  }

  /**
   * Runs `fn` once after `ms`, unless {@link stop} runs first.
   *
   * @param ms The delay.
   * @param fn What to run.
   */
  after(ms: number, fn: () => void): void {
    const cancel = this.#clock.setTimer(ms, () => {
      this.#timers.delete(cancel);
      fn();
    });
    this.#timers.add(cancel);
  }

  /** Cancels every handler and timer (shutdown). */
  stop(): void {
    for (const h of this.#handlers.values()) h.cancel();
    this.#handlers.clear();
    for (const cancel of this.#timers) cancel();
    this.#timers.clear();
  }
}
