/**
 * Register a service into a registry cluster from code: the library form of
 * `registry register`, and the counterpart of the Go original's
 * `register.New(...).Start()`.
 *
 * Registering joins the serf-compatible gossip cluster over UDP, which Deno
 * still ships behind a flag: run with `--unstable-net` (and `--allow-net`,
 * plus `--allow-sys` for the default id and advertise address).
 *
 * @example
 * ```ts
 * import { register } from "./register.ts";
 *
 * await using registration = await register({
 *   group: "web",
 *   addr: "127.0.0.1:8080",
 *   bind: "127.0.0.1:0",
 *   registries: ["127.0.0.1:7370"],
 * });
 * registration.state; // "joining" until a registry answers, then "registered"
 * ```
 *
 * @module
 */
import { systemClock } from "../src/clock.ts";
import { type RegisterOptions, resolveRegisterOptions } from "../src/register/register_options.ts";
import { type RegistrationState, ServiceRegistration } from "../src/register/registration.ts";
import { startGossipAgent } from "../src/register/start_gossip_agent.ts";

export type { RegisterOptions } from "../src/register/register_options.ts";
export type { RegistrationState } from "../src/register/registration.ts";
/** The logger interface `RegisterOptions.logger` takes (the default drops everything). */
export type { LogFields, Logger } from "../src/logger.ts";

/** A running registration, returned by {@link register}. */
export interface Registration extends AsyncDisposable {
  /** The service id (its gossip member name). */
  readonly id: string;
  /** The service group. */
  readonly group: string;
  /** The address clients are told to use (an empty host filled with the gossip IP). */
  readonly addr: string;
  /** The gossip address peers see, or `undefined` while no agent runs (unhealthy, closed). */
  readonly gossipAddr: string | undefined;
  /**
   * Where it is: `checking` (waiting for the first health result), `joining`
   * (no registry answered yet; retrying), `registered`, `unhealthy` (left
   * until the check recovers), `left` or `closed`.
   */
  readonly state: RegistrationState;
  /**
   * Leaves the cluster gracefully and stays out; registries drop the service
   * at once. Call it before draining your server, then {@link close}.
   *
   * @returns When the leave finished; failures are logged, never thrown.
   */
  leave(): Promise<void>;
  /**
   * Leaves gracefully (if not done yet), then stops gossiping. Safe to call twice.
   *
   * @returns When the sockets are closed.
   */
  close(): Promise<void>;
}

/**
 * Registers a service: starts a gossip member with the service's tags
 * (`group`, `addr`, `replicas`, `weight`, plus yours) and joins the
 * registries in the background, retrying with capped backoff while none
 * answers. With a health check it joins after the first passing check,
 * leaves while the service is unhealthy and rejoins under the same id.
 *
 * Needs `--unstable-net` (gossip uses UDP).
 *
 * @param options Group and address (required), registries, id, tags, check, ...
 * @returns The running registration; it may still be joining.
 * @throws {TypeError} On an empty or reserved (`registry-group`) group, a
 *   malformed address, check or key, or a reserved tag key.
 * @throws {RangeError} On a bad weight, interval or threshold.
 * @throws {RegistryError} `TAGS_TOO_LARGE` when the tags exceed serf's 512
 *   bytes; `UNSUPPORTED_RUNTIME` without `--unstable-net`; `INTERNAL` when
 *   the gossip socket cannot be bound.
 * @example
 * ```ts ignore
 * import { register } from "./register.ts";
 *
 * const registration = await register({
 *   group: "webservice-group",
 *   addr: "10.0.0.5:8080",
 *   registries: ["10.0.0.1:7370", "10.0.0.2:7370"],
 *   check: "http://127.0.0.1:8080/health",
 * });
 * Deno.addSignalListener("SIGTERM", async () => {
 *   await registration.close(); // leave first: registries drop it at once
 *   Deno.exit(0);
 * });
 * ```
 */
export async function register(options: RegisterOptions): Promise<Registration> {
  const resolved = resolveRegisterOptions(options);
  return await ServiceRegistration.start(resolved, {
    startAgent: startGossipAgent,
    clock: systemClock,
  });
}
