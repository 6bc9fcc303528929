/**
 * Periodic tasks on an injected clock: each starts after a random stagger of
 * up to one interval (so members do not tick in lockstep) and then repeats;
 * the interval is re-read every time, so it can scale with the cluster.
 * One-shot tasks stop with them.
 *
 * @module
 */
import type { CancelTimer, Clock } from "../clock.ts";

/**
 * A set of repeating tasks that stop together.
 *
 * @example
 * ```ts
 * import { PeriodicTasks } from "./periodic_tasks.ts";
 * import { systemClock } from "../clock.ts";
 * const tasks = new PeriodicTasks(systemClock, Math.random);
 * tasks.every(() => 1000, () => {});
 * tasks.stop();
 * ```
 */
export class PeriodicTasks {
  #clock: Clock;
  #random: () => number;
  #timers: CancelTimer[] = [];
  #stopped = false;

  /**
   * Creates an empty set.
   *
   * @param clock Timer source.
   * @param random Uniform `[0, 1)` source for the stagger.
   */
  constructor(clock: Clock, random: () => number) {
    this.#clock = clock;
    this.#random = random;
  }

  /**
   * Runs `fn` every `intervalMs()` after a random first delay below one interval.
   *
   * @param intervalMs The current interval, read before each wait.
   * @param fn The task.
   */
  every(intervalMs: () => number, fn: () => void): void {
    const slot = this.#timers.length;
    const schedule = (delay: number): void => {
      this.#timers[slot] = this.#clock.setTimer(delay, () => {
        if (this.#stopped) return;
        schedule(intervalMs());
        fn();
      });
    };
    schedule(Math.floor(this.#random() * intervalMs()));
  }

  /**
   * Runs `fn` once after `delayMs`, unless {@link stop} comes first.
   *
   * @param delayMs The delay.
   * @param fn The task.
   */
  once(delayMs: number, fn: () => void): void {
    this.#timers.push(this.#clock.setTimer(delayMs, () => {
      if (!this.#stopped) fn();
    }));
  }

  /** Cancels every task. */
  stop(): void {
    this.#stopped = true;
    for (const cancel of this.#timers) cancel();
    this.#timers = [];
  }
}
