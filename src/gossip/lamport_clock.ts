/**
 * Serf's Lamport clocks (member, event and query clocks, gossip-wire.md §7.3).
 *
 * @module
 */

/**
 * A Lamport clock that starts at 1, as serf's clocks do.
 *
 * @example
 * ```ts
 * import { LamportClock } from "./lamport_clock.ts";
 * const clock = new LamportClock();
 * clock.witness(5);
 * clock.time(); // 6
 * ```
 */
export class LamportClock {
  #counter: number;

  /**
   * Creates a clock.
   *
   * @param start The initial time; serf starts every clock at 1.
   * @throws {RangeError} When `start` is not a non-negative safe integer.
   */
  constructor(start = 1) {
    if (!Number.isSafeInteger(start) || start < 0) {
      throw new RangeError(
        `Cannot create a Lamport clock at "${start}": not a non-negative integer`,
      );
    }
    this.#counter = start;
  }

  /**
   * The current time.
   *
   * @returns The counter value.
   */
  time(): number {
    return this.#counter;
  }

  /**
   * Advances the clock by one.
   *
   * @returns The new time.
   */
  increment(): number {
    this.#counter += 1;
    return this.#counter;
  }

  /**
   * Records a time seen from another member: when `t` is not behind the
   * clock, the clock moves to `t + 1`, so the next local stamp is newer.
   *
   * @param t A time read from a message; non-integers and negatives are ignored.
   */
  witness(t: number): void {
    if (!Number.isSafeInteger(t) || t < 0) return;
    if (t >= this.#counter) this.#counter = t + 1;
  }
}
