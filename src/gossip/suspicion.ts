/**
 * Lifeguard suspicion timers: a suspect is declared dead after a timeout that
 * starts long and shrinks as independent members confirm the suspicion
 * (gossip-wire.md §6.6).
 *
 * @module
 */
import type { CancelTimer, Clock } from "../clock.ts";

/** The timeout bounds and confirmation target for one suspicion. */
export interface SuspicionTimeouts {
  /** The shortest timeout, reached after `k` confirmations. */
  readonly minMs: number;
  /** The starting timeout when `k ≥ 1`. */
  readonly maxMs: number;
  /** Confirmations that bring the timeout down to `minMs`. */
  readonly k: number;
}

/** Settings {@link suspicionTimeouts} reads. */
export interface SuspicionSettings {
  /** Suspicion timeout factor. */
  readonly suspicionMult: number;
  /** Maximum timeout as a multiple of the minimum. */
  readonly suspicionMaxTimeoutMult: number;
  /** The unscaled probe interval. */
  readonly probeIntervalMs: number;
}

/**
 * Computes the bounds for a suspicion in a table of `n` members:
 * `min = mult × max(1, log10(n)) × probeInterval`, `max = maxMult × min`,
 * `k = mult − 2` (0 when fewer than `k` other members could confirm).
 *
 * @param settings The suspicion settings.
 * @param n Members in the table, dead ones included.
 * @returns The bounds.
 * @example
 * ```ts
 * import { suspicionTimeouts } from "./suspicion.ts";
 * const t = suspicionTimeouts(
 *   { suspicionMult: 4, suspicionMaxTimeoutMult: 6, probeIntervalMs: 1000 },
 *   5,
 * );
 * // { minMs: 4000, maxMs: 24000, k: 2 }
 * ```
 */
export function suspicionTimeouts(settings: SuspicionSettings, n: number): SuspicionTimeouts {
  // Go truncates the scale to thousandths before multiplying.
  const scale = Math.floor(Math.max(1, Math.log10(Math.max(1, n))) * 1000);
  const minMs = Math.floor(settings.suspicionMult * scale * settings.probeIntervalMs / 1000);
  const maxMs = settings.suspicionMaxTimeoutMult * minMs;
  let k = settings.suspicionMult - 2;
  if (n - 2 < k) k = 0;
  return { minMs, maxMs, k };
}

/**
 * The remaining-time formula: after `c` confirmations of `k`, the total
 * timeout is `max(min, max − ln(c+1)/ln(k+1) × (max − min))`, whole ms.
 *
 * @param c Confirmations so far.
 * @param t The bounds.
 * @returns The total timeout from the start of the suspicion.
 */
export function suspicionTimeoutMs(c: number, t: SuspicionTimeouts): number {
  if (t.k < 1) return t.minMs;
  const frac = Math.log(c + 1) / Math.log(t.k + 1);
  return Math.floor(Math.max(t.minMs, t.maxMs - frac * (t.maxMs - t.minMs)));
}

/**
 * One running suspicion of one member.
 *
 * @example
 * ```ts
 * import { Suspicion } from "./suspicion.ts";
 * import { systemClock } from "../clock.ts";
 * const s = new Suspicion(systemClock, "a", { minMs: 10, maxMs: 60, k: 2 }, () => {});
 * s.confirm("b"); // true
 * s.cancel();
 * ```
 */
export class Suspicion {
  #clock: Clock;
  #timeouts: SuspicionTimeouts;
  #confirmations = new Set<string>();
  #startMs: number;
  #cancelTimer: CancelTimer;
  #onTimeout: (confirmations: number) => void;
  #done = false;

  /**
   * Starts the timer.
   *
   * @param clock Time source.
   * @param from The first accuser; never counts as a confirmation.
   * @param timeouts Bounds from {@link suspicionTimeouts}.
   * @param onTimeout Runs once when the timer fires, with the confirmation count.
   */
  constructor(
    clock: Clock,
    from: string,
    timeouts: SuspicionTimeouts,
    onTimeout: (confirmations: number) => void,
  ) {
    this.#clock = clock;
    this.#timeouts = timeouts;
    this.#onTimeout = onTimeout;
    this.#confirmations.add(from);
    this.#startMs = clock.now();
    const first = timeouts.k < 1 ? timeouts.minMs : timeouts.maxMs;
    this.#cancelTimer = clock.setTimer(first, () => this.#fire());
  }

  /** Independent confirmations received so far (the first accuser excluded). */
  get confirmations(): number {
    return this.#confirmations.size - 1;
  }

  /**
   * Records a confirmation from `from` and shortens the timer.
   *
   * @param from The confirming member.
   * @returns `true` if it was new and still counted (so it is worth re-gossiping).
   */
  confirm(from: string): boolean {
    if (this.#done || this.confirmations >= this.#timeouts.k) return false;
    if (this.#confirmations.has(from)) return false;
    this.#confirmations.add(from);
    const total = suspicionTimeoutMs(this.confirmations, this.#timeouts);
    const remaining = this.#startMs + total - this.#clock.now();
    this.#cancelTimer();
    this.#cancelTimer = this.#clock.setTimer(Math.max(0, remaining), () => this.#fire());
    return true;
  }

  /** Stops the timer; it will not fire. */
  cancel(): void {
    this.#done = true;
    this.#cancelTimer();
  }

  #fire(): void {
    if (this.#done) return;
    this.#done = true;
    this.#onTimeout(this.confirmations);
  }
}
