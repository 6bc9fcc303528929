/**
 * Runs a health probe on an interval and damps flapping: the first pass
 * makes a starting service healthy at once, then a healthy service turns
 * unhealthy after `fall` failures in a row and comes back only after `rise`
 * passes in a row.
 *
 * @module
 */
import type { CancelTimer, Clock } from "../clock.ts";
import type { HealthProbe } from "./health_check.ts";

/** The longest delay between probes until the first pass. */
export const STARTUP_PROBE_MS = 1000;

/** What the monitor currently believes. `unknown` until the first probe passed. */
export type HealthState = "unknown" | "healthy" | "unhealthy";

/**
 * The rise/fall counter on its own: feed it results, it says when the state flips.
 *
 * @example
 * ```ts
 * import { HealthDamper } from "./health_monitor.ts";
 * const d = new HealthDamper(2, 1);
 * d.record(false); // undefined (still starting: stays "unknown")
 * d.record(true); // "healthy" (the first pass decides)
 * d.record(false); // "unhealthy"
 * d.record(true); // undefined (1 of 2)
 * d.record(true); // "healthy"
 * ```
 */
export class HealthDamper {
  #rise: number;
  #fall: number;
  #state: HealthState = "unknown";
  #streak = 0;

  /**
   * Creates a damper in state `unknown`.
   *
   * @param rise Passes in a row needed to turn healthy again.
   * @param fall Failures in a row needed to turn unhealthy.
   * @throws {RangeError} When either count is not a positive integer.
   */
  constructor(rise: number, fall: number) {
    for (const [name, n] of [["rise", rise], ["fall", fall]] as const) {
      if (!Number.isInteger(n) || n < 1) {
        throw new RangeError(`Cannot damp health: ${name} must be a positive integer, got "${n}"`);
      }
    }
    this.#rise = rise;
    this.#fall = fall;
  }

  /** The current state. */
  get state(): HealthState {
    return this.#state;
  }

  /**
   * Records one probe result.
   *
   * @param ok Whether the probe passed.
   * @returns The new state when it changed, otherwise `undefined`.
   */
  record(ok: boolean): HealthState | undefined {
    // A starting service is not flapping: wait for its first pass, then count.
    if (this.#state === "unknown") return ok ? this.#flip("healthy") : undefined;
    const agrees = (this.#state === "healthy") === ok;
    if (agrees) {
      this.#streak = 0;
      return undefined;
    }
    this.#streak++;
    const needed = ok ? this.#rise : this.#fall;
    return this.#streak >= needed ? this.#flip(ok ? "healthy" : "unhealthy") : undefined;
  }

  #flip(state: HealthState): HealthState {
    this.#state = state;
    this.#streak = 0;
    return state;
  }
}

/** Options of {@link HealthMonitor}. */
export interface HealthMonitorOptions {
  /** The probe to run. */
  readonly probe: HealthProbe;
  /** Delay between the end of one probe and the start of the next (at most 1 s until the first pass). */
  readonly intervalMs: number;
  /** Passes in a row to come back. */
  readonly rise: number;
  /** Failures in a row to go down. */
  readonly fall: number;
  /** Time source for the interval. */
  readonly clock: Clock;
  /** Called on each state change (never for `unknown`); must return quickly. */
  readonly onChange: (state: HealthState) => void;
}

/**
 * Probes on an interval and reports damped state changes.
 *
 * @example
 * ```ts
 * import { HealthMonitor } from "./health_monitor.ts";
 * import { systemClock } from "../clock.ts";
 * const monitor = new HealthMonitor({
 *   probe: () => Promise.resolve(true),
 *   intervalMs: 5000, rise: 2, fall: 1, clock: systemClock,
 *   onChange: (state) => console.log(state),
 * });
 * monitor.start();
 * await monitor.close();
 * ```
 */
export class HealthMonitor {
  #options: HealthMonitorOptions;
  #damper: HealthDamper;
  #cancel: CancelTimer | undefined;
  #inFlight: Promise<void> | undefined;
  #closed = false;

  /**
   * Creates a stopped monitor.
   *
   * @param options Probe, interval, thresholds, clock and callback.
   * @throws {RangeError} When the interval is not positive or a threshold is not a positive integer.
   */
  constructor(options: HealthMonitorOptions) {
    if (!(options.intervalMs > 0)) {
      throw new RangeError(
        `Cannot monitor health: interval "${options.intervalMs}" is not positive`,
      );
    }
    this.#damper = new HealthDamper(options.rise, options.fall);
    this.#options = options;
  }

  /** The current damped state. */
  get state(): HealthState {
    return this.#damper.state;
  }

  /** Runs the first probe now, then one every interval, until {@link close}. */
  start(): void {
    if (this.#closed || this.#inFlight || this.#cancel) return;
    this.#runProbe();
  }

  /**
   * Stops probing; waits for a probe in flight (its result is dropped).
   *
   * @returns When no probe is running any more.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#cancel?.();
    this.#cancel = undefined;
    await this.#inFlight;
  }

  #runProbe(): void {
    this.#cancel = undefined;
    // A probe that throws counts as a failure rather than stopping the monitor.
    const result = Promise.resolve().then(this.#options.probe).catch(() => false);
    this.#inFlight = result.then((ok) => {
      this.#inFlight = undefined;
      if (this.#closed) return;
      const change = this.#damper.record(ok);
      // Probe a starting service more often, so it registers soon after it is up.
      const delay = this.#damper.state === "unknown"
        ? Math.min(this.#options.intervalMs, STARTUP_PROBE_MS)
        : this.#options.intervalMs;
      this.#cancel = this.#options.clock.setTimer(delay, () => this.#runProbe());
      if (change !== undefined) this.#options.onChange(change);
    });
  }
}
