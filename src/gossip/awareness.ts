/**
 * Lifeguard local health ("awareness"): a score that rises when this node
 * misses acks or has to refute, and scales its probe interval so a slow node
 * accuses others less eagerly (gossip-wire.md §6.6).
 *
 * @module
 */

/**
 * The health score, from 0 (healthy) to `max − 1`.
 *
 * @example
 * ```ts
 * import { Awareness } from "./awareness.ts";
 * const a = new Awareness(8);
 * a.apply(2);
 * a.scaleTimeout(1000); // 3000
 * ```
 */
export class Awareness {
  #max: number;
  #score = 0;

  /**
   * Creates a healthy score.
   *
   * @param max The multiplier limit (`AwarenessMaxMultiplier`); scores stay below it.
   * @throws {RangeError} When `max` is below 1.
   */
  constructor(max: number) {
    if (!(max >= 1)) throw new RangeError(`Cannot create awareness: max "${max}" is below 1`);
    this.#max = max;
  }

  /** The current score (0 is healthy). */
  get score(): number {
    return this.#score;
  }

  /**
   * Adds `delta` (negative to improve), clamped to `[0, max − 1]`.
   *
   * @param delta The change.
   * @returns The new score.
   */
  apply(delta: number): number {
    this.#score = Math.min(this.#max - 1, Math.max(0, this.#score + delta));
    return this.#score;
  }

  /**
   * Scales a timeout by the health multiplier `score + 1`.
   *
   * @param ms The base timeout.
   * @returns The scaled timeout.
   */
  scaleTimeout(ms: number): number {
    return ms * (this.#score + 1);
  }
}
