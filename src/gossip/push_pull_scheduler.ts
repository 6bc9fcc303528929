/**
 * When push-pull exchanges happen (gossip-wire.md §6.9): the periodic one
 * with a random alive member, its interval scaled with the cluster, and the
 * post-join ones that end with the member we joined through. The exchange
 * itself is the driver's (`MemberlistEffects.pushPull`).
 *
 * @module
 */
import { addrString } from "./ip_bytes.ts";
import type { MemberlistConfig } from "./memberlist_config.ts";
import { NodeState } from "./messages.ts";
import type { NodeTable } from "./node_table.ts";
import type { PeriodicTasks } from "./periodic_tasks.ts";
import { joinSyncDelays, pushPullScale } from "./push_pull.ts";

/** What {@link PushPullScheduler} needs from the core. */
export interface PushPullSchedulerDeps {
  /** Resolved settings (name, push-pull interval, join sync count, probe interval). */
  readonly config: MemberlistConfig;
  /** Uniform `[0, 1)` source (the join sync stretch). */
  readonly random: () => number;
  /** The node table (peer choice, cluster size). */
  readonly table: NodeTable;
  /** The core's timers. */
  readonly tasks: PeriodicTasks;
  /** Asks the driver for a push-pull exchange with `to`. */
  pushPull(to: string): void;
}

/**
 * Picks push-pull peers and schedules the exchanges.
 *
 * @example
 * ```ts ignore
 * const pushPulls = new PushPullScheduler({ config, random, table, tasks, pushPull });
 * pushPulls.start();
 * pushPulls.scheduleJoinSync("10.0.0.2:7946");
 * ```
 */
export class PushPullScheduler {
  #d: PushPullSchedulerDeps;

  /**
   * Creates a scheduler; nothing is scheduled until {@link start}.
   *
   * @param deps Settings, randomness, the table, the timers and the effect.
   */
  constructor(deps: PushPullSchedulerDeps) {
    this.#d = deps;
  }

  /** Starts the periodic push-pull, unless `pushPullIntervalMs` is 0. */
  start(): void {
    const { config, table, tasks } = this.#d;
    if (config.pushPullIntervalMs > 0) {
      tasks.every(
        () => pushPullScale(config.pushPullIntervalMs, table.size),
        () => this.tick(),
      );
    }
  }

  /**
   * Schedules `joinSyncPushPulls` push-pulls at `joinSyncDelays`: the last
   * with the alive member at `via`, the others with random alive members.
   *
   * @param via The address the join succeeded with.
   */
  scheduleJoinSync(via: string): void {
    const { config, random, tasks } = this.#d;
    const delays = joinSyncDelays(config.joinSyncPushPulls, config.probeIntervalMs, random);
    delays.forEach((delay, i) => {
      const last = i === delays.length - 1;
      tasks.once(delay, () => last ? this.#pushPullWith(via) : this.tick());
    });
  }

  /** Asks for a push-pull with a random alive member other than us, if any. */
  tick(): void {
    const self = this.#d.config.name;
    const [peer] = this.#d.table.randomSample(
      1,
      (e) => e.name !== self && e.state === NodeState.ALIVE,
    );
    if (peer) this.#d.pushPull(addrString(peer.addr, peer.port));
  }

  /** A push-pull with the alive member at `addr`, else with a random one. */
  #pushPullWith(addr: string): void {
    const self = this.#d.config.name;
    const known = this.#d.table.entries().some((e) =>
      e.name !== self && e.state === NodeState.ALIVE && addrString(e.addr, e.port) === addr
    );
    if (known) this.#d.pushPull(addr);
    else this.tick();
  }
}
