/**
 * Timers owned by one serf member, on the injected clock, so shutdown can
 * cancel every one of them: one-shots, repeating tasks and bounded waits.
 *
 * @module
 */
import type { CancelTimer, Clock } from "../clock.ts";

/**
 * A set of cancellable timers.
 *
 * @example
 * ```ts
 * import { systemClock } from "../clock.ts";
 * import { SerfTimers } from "./serf_timers.ts";
 * const timers = new SerfTimers(systemClock);
 * timers.every(1000, () => {});
 * timers.cancelAll();
 * ```
 */
export class SerfTimers {
  readonly #clock: Clock;
  readonly #live = new Set<CancelTimer>();
  #stopped = false;

  /**
   * Creates an empty set.
   *
   * @param clock The clock to schedule on.
   */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Number of pending timers. */
  get size(): number {
    return this.#live.size;
  }

  /**
   * Runs `fn` once after `ms`, unless cancelled first.
   *
   * @param ms Delay.
   * @param fn Task.
   */
  after(ms: number, fn: () => void): void {
    if (this.#stopped) return;
    const cancel = this.#clock.setTimer(ms, () => {
      this.#live.delete(cancel);
      fn();
    });
    this.#live.add(cancel);
  }

  /**
   * Runs `fn` every `ms` until {@link SerfTimers.cancelAll}.
   *
   * @param ms Period.
   * @param fn Task.
   */
  every(ms: number, fn: () => void): void {
    this.after(ms, () => {
      fn();
      this.every(ms, fn);
    });
  }

  /**
   * Waits for `p` at most `ms`.
   *
   * @param p What to wait for.
   * @param ms The bound.
   * @returns `true` when `p` settled first, `false` after `ms`.
   */
  within(p: Promise<void>, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const cancel = this.#clock.setTimer(ms, () => resolve(false));
      p.then(() => {
        cancel();
        resolve(true);
      });
    });
  }

  /** Cancels every pending timer and refuses new ones. */
  cancelAll(): void {
    this.#stopped = true;
    for (const cancel of this.#live) cancel();
    this.#live.clear();
  }
}
