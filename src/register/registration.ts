/**
 * The membership lifecycle of one registered service: start a gossip agent,
 * join the registries (retrying with capped backoff), leave while the
 * service is unhealthy and rejoin under the same id when it recovers, and
 * leave gracefully on close.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import type { CancelTimer, Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import { formatHostPort, parseHostPort } from "../net_addr.ts";
import { describeHealthCheck, type HealthProbe, healthProbe } from "./health_check.ts";
import { HealthMonitor, type HealthState } from "./health_monitor.ts";
import type { ResolvedRegisterOptions } from "./register_options.ts";
import type { RegistrationAgent, StartAgent } from "./registration_agent.ts";
import { TAG_ADDR } from "./service_tags.ts";

/**
 * Where a registration is: `checking` waits for the first health result,
 * `joining` retries until a registry answers, `registered` is in the
 * cluster, `unhealthy` has left until the check recovers, `left` has left
 * for good (see {@link ServiceRegistration.leave}), `closed` is shut down.
 */
export type RegistrationState =
  | "checking"
  | "joining"
  | "registered"
  | "unhealthy"
  | "left"
  | "closed";

/** What a registration runs on, injectable for tests. */
export interface RegistrationDeps {
  /** Starts a gossip agent. */
  readonly startAgent: StartAgent;
  /** Time source for join retries and health probes. */
  readonly clock: Clock;
  /** The health probe. @default the probe of `options.check` */
  readonly probe?: HealthProbe;
  /** Called on every state change; must return quickly. */
  readonly onStateChange?: (state: RegistrationState) => void;
}

/**
 * One registered service. Create it with {@link ServiceRegistration.start}.
 *
 * @example
 * ```ts ignore
 * const reg = await ServiceRegistration.start(resolveRegisterOptions(opts), deps);
 * await reg.close();
 * ```
 */
export class ServiceRegistration implements AsyncDisposable {
  #options: ResolvedRegisterOptions;
  #deps: RegistrationDeps;
  #log: Logger;
  #agent: RegistrationAgent | undefined;
  #joined = false;
  #state: RegistrationState = "checking";
  #addr: string;
  #monitor: HealthMonitor | undefined;
  #cancelJoin: CancelTimer | undefined;
  #chain: Promise<void> = Promise.resolve();
  #stopping = false;
  #leaving: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  private constructor(options: ResolvedRegisterOptions, deps: RegistrationDeps) {
    this.#options = options;
    this.#deps = deps;
    this.#log = options.logger.child("register");
    this.#addr = options.addr;
  }

  /**
   * Starts the gossip agent, then joins in the background (after the first
   * passing health check when there is a check).
   *
   * @param options Resolved options.
   * @param deps Agent factory, clock and optional probe.
   * @returns The running registration (not necessarily registered yet).
   * @throws {RegistryError} When the agent cannot start (e.g. the bind address is taken).
   */
  static async start(
    options: ResolvedRegisterOptions,
    deps: RegistrationDeps,
  ): Promise<ServiceRegistration> {
    const reg = new ServiceRegistration(options, deps);
    reg.#agent = await reg.#startAgent();
    if (options.check.kind === "none") {
      reg.#setState("joining");
      reg.#scheduleJoin(0, 0);
    } else {
      reg.#startMonitor();
    }
    return reg;
  }

  /** The service id (gossip member name). */
  get id(): string {
    return this.#options.id;
  }

  /** The service group. */
  get group(): string {
    return this.#options.group;
  }

  /** The address clients are told to use (an empty host filled in once the agent started). */
  get addr(): string {
    return this.#addr;
  }

  /** The gossip address peers see, or `undefined` while no agent runs (unhealthy, closed). */
  get gossipAddr(): string | undefined {
    return this.#agent?.advertiseAddr;
  }

  /** Where the registration is. */
  get state(): RegistrationState {
    return this.#state;
  }

  /**
   * Leaves the cluster gracefully and stays out (health changes are ignored
   * from now on); the agent keeps running until {@link close}.
   *
   * @returns When the leave finished (errors are logged, not thrown).
   */
  leave(): Promise<void> {
    this.#leaving ??= this.#leave();
    return this.#leaving;
  }

  async #leave(): Promise<void> {
    this.#stopping = true;
    this.#cancelJoin?.();
    await this.#monitor?.close();
    await this.#serial(async () => {
      await this.#leaveAgent();
      if (this.#state !== "closed") this.#setState("left");
    });
  }

  /**
   * Leaves gracefully (if still registered), then stops the agent. Safe to call twice.
   *
   * @returns When everything is closed.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #close(): Promise<void> {
    await this.leave();
    await this.#serial(async () => {
      const agent = this.#agent;
      this.#agent = undefined;
      await agent?.close();
      this.#setState("closed");
    });
  }

  #setState(state: RegistrationState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#deps.onStateChange?.(state);
  }

  /** Runs transitions one at a time; a failure is logged so the chain keeps going. */
  #serial(step: () => Promise<void>): Promise<void> {
    this.#chain = this.#chain.then(step).catch((e) => {
      this.#log.error("Cannot update registration", { id: this.id, error: errorText(e) });
    });
    return this.#chain;
  }

  async #startAgent(): Promise<RegistrationAgent> {
    const o = this.#options;
    let agent: RegistrationAgent;
    try {
      agent = await this.#deps.startAgent({
        name: o.id,
        bindAddr: o.bind,
        advertiseAddr: o.bindAdvertise,
        tags: { ...o.tags },
        encryptKeys: [...o.encryptKeys],
        profile: o.profile,
        logger: o.logger,
      });
    } catch (e) {
      if (e instanceof RegistryError) throw e;
      throw new RegistryError("INTERNAL", `Cannot start gossip on "${o.bind}": ${errorText(e)}`, {
        cause: e,
      });
    }
    await this.#fillAddrHost(agent);
    return agent;
  }

  /** `:8080` means "this host": advertise it with the gossip IP, as the Go registry's serve does. */
  async #fillAddrHost(agent: RegistrationAgent): Promise<void> {
    const { host, port } = parseHostPort(this.#options.addr);
    if (host !== "" && host !== "0.0.0.0" && host !== "::") return;
    const ip = parseHostPort(agent.advertiseAddr).host;
    this.#addr = formatHostPort(ip, port);
    await agent.setTags({ ...this.#options.tags, [TAG_ADDR]: this.#addr });
  }

  #startMonitor(): void {
    const o = this.#options;
    this.#setState("checking");
    this.#log.info("Checking service health before joining", {
      id: o.id,
      check: describeHealthCheck(o.check),
    });
    this.#monitor = new HealthMonitor({
      probe: this.#deps.probe ?? healthProbe(o.check, o.checkTimeoutMs),
      intervalMs: o.checkIntervalMs,
      rise: o.checkRise,
      fall: o.checkFall,
      clock: this.#deps.clock,
      onChange: (health) => void this.#serial(() => this.#onHealth(health)),
    });
    this.#monitor.start();
  }

  async #onHealth(health: HealthState): Promise<void> {
    if (this.#stopping) return;
    if (health === "healthy") {
      this.#log.info("Service is healthy: joining", { id: this.id });
      this.#setState("joining");
      this.#scheduleJoin(0, 0);
      return;
    }
    this.#cancelJoin?.();
    this.#cancelJoin = undefined;
    this.#log.warn("Service is unhealthy: leaving until it recovers", { id: this.id });
    if (this.#joined) {
      // A left serf member cannot rejoin; a fresh agent with the same id will.
      await this.#leaveAgent();
      const agent = this.#agent;
      this.#agent = undefined;
      await agent?.close();
    }
    this.#setState("unhealthy");
  }

  async #leaveAgent(): Promise<void> {
    if (!this.#joined || this.#agent === undefined) return;
    this.#joined = false;
    try {
      await this.#agent.leave();
      this.#log.info("Left the cluster", { id: this.id });
    } catch (e) {
      // Peers will notice the failure instead; nothing more can be done.
      this.#log.warn("Cannot leave gracefully", { id: this.id, error: errorText(e) });
    }
  }

  #scheduleJoin(delayMs: number, lastDelayMs: number): void {
    this.#cancelJoin?.();
    this.#cancelJoin = this.#deps.clock.setTimer(delayMs, () => {
      this.#cancelJoin = undefined;
      void this.#serial(() => this.#attemptJoin(Math.max(delayMs, lastDelayMs)));
    });
  }

  async #attemptJoin(lastDelayMs: number): Promise<void> {
    if (this.#stopping || this.#state !== "joining") return;
    const o = this.#options;
    try {
      this.#agent ??= await this.#startAgent();
      const reached = await this.#agent.join([...o.registries], { ignoreOld: true });
      this.#joined = true;
      this.#setState("registered");
      this.#log.info("Registered", { id: o.id, group: o.group, addr: this.#addr, reached });
    } catch (e) {
      const next = lastDelayMs === 0 ? o.joinRetryMs : Math.min(lastDelayMs * 2, o.joinRetryMaxMs);
      this.#log.warn(`Cannot reach any registry: retrying in ${formatSeconds(next)}`, {
        id: o.id,
        registries: o.registries.join(","),
        error: errorText(e),
      });
      this.#scheduleJoin(next, next);
    }
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
