/**
 * Drives the {@link Prober} from the probe ticks: a tick that comes while a
 * probe is still running waits for it to finish rather than being lost, and
 * each full pass over the probe order purges members dead or left for longer
 * than `gossipToTheDeadTimeMs`.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import { type ProbeDeps, Prober } from "./probe.ts";

/** What {@link ProbeLoop} needs: the prober's needs, minus what the loop provides, plus a clock. */
export interface ProbeLoopDeps extends Omit<ProbeDeps, "purge" | "onIdle"> {
  /** Time source (the purge cut-off). */
  readonly clock: Clock;
}

/**
 * One prober and its tick bookkeeping.
 *
 * @example
 * ```ts ignore
 * const probes = new ProbeLoop(deps);
 * tasks.every(() => config.probeIntervalMs, () => probes.tick());
 * ```
 */
export class ProbeLoop {
  #d: ProbeLoopDeps;
  #prober: Prober;
  #pending = false;
  #stopped = false;

  /**
   * Creates the loop and its prober.
   *
   * @param deps The core's pieces the prober uses, and the clock.
   */
  constructor(deps: ProbeLoopDeps) {
    this.#d = deps;
    this.#prober = new Prober({
      ...deps,
      purge: () => this.#purge(),
      onIdle: () => this.#onIdle(),
    });
  }

  /** A probe tick: probes now, or once the running probe finishes. */
  tick(): void {
    if (this.#prober.busy) this.#pending = true;
    else this.#prober.probe();
  }

  /**
   * Reports a TCP fallback ping's outcome to the prober.
   *
   * @param seqNo The ping's sequence number.
   * @param ok Whether the matching ack came back in time.
   */
  tcpPingResult(seqNo: number, ok: boolean): void {
    this.#prober.tcpPingResult(seqNo, ok);
  }

  /** Forgets the running probe and ignores its completion afterwards. */
  stop(): void {
    this.#stopped = true;
    this.#prober.stop();
  }

  #onIdle(): void {
    if (!this.#pending || this.#stopped) return;
    this.#pending = false;
    this.#prober.probe();
  }

  #purge(): void {
    const cutoff = this.#d.clock.now() - this.#d.config.gossipToTheDeadTimeMs;
    const removed = this.#d.table.purge(cutoff);
    if (removed.length > 0) this.#d.logger.debug("Purged members", { members: removed.length });
  }
}
