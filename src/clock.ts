/**
 * Time, passed into every component that needs it so tests can drive it by hand.
 *
 * @module
 */

/** Cancels a timer; calling it twice, or after the timer fired, does nothing. */
export type CancelTimer = () => void;

/** A source of time and one-shot timers. Durations are milliseconds. */
export interface Clock {
  /** Milliseconds since an arbitrary fixed origin; never goes backwards. */
  now(): number;
  /**
   * Runs `fn` once after `ms` milliseconds.
   *
   * @param ms Delay in milliseconds (0 or more).
   * @param fn What to run.
   * @returns A function that cancels the timer.
   */
  setTimer(ms: number, fn: () => void): CancelTimer;
}

/**
 * The real clock: `performance.now()` and global timers. Timers are unref'd
 * so a pending timer never keeps a finished program alive.
 *
 * @example
 * ```ts
 * import { systemClock } from "./clock.ts";
 * const cancel = systemClock.setTimer(10, () => {});
 * cancel();
 * ```
 */
export const systemClock: Clock = {
  now(): number {
    return performance.now();
  },
  setTimer(ms: number, fn: () => void): CancelTimer {
    const id = setTimeout(fn, Math.max(0, ms));
    Deno.unrefTimer(id);
    return () => clearTimeout(id);
  },
};
