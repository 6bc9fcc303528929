/**
 * The discovery client: asks registry nodes which service owns a key, over
 * the length-prefixed JSON RPC, failing over between nodes.
 *
 * @module
 */
import { RegistryError } from "./errors.ts";
import type { NodeInfo, ServiceInfo, WatchEvent } from "./types.ts";
import type { CallOptions } from "../src/rpc/rpc_client.ts";
import { FailoverConnector } from "../src/rpc/failover_connector.ts";
import { RPC_METHODS } from "../src/rpc/rpc_constants.ts";

export type { CallOptions } from "../src/rpc/rpc_client.ts";

/** Options of {@link RegistryClient}. */
export interface RegistryClientOptions {
  /**
   * Deadline of each call, failovers included. Shorter gives up sooner on a
   * stuck node; longer rides out slow ones. @default 5000
   */
  readonly timeoutMs?: number;
  /** How long connecting to one address may take before trying the next. @default 2000 */
  readonly connectTimeoutMs?: number;
  /** Largest accepted response frame in bytes. @default 1048576 */
  readonly maxFrameBytes?: number;
}

/** Options of {@link RegistryClient.matchN}. */
export interface MatchNOptions extends CallOptions {
  /** How many distinct services to return, from 1 to 100. */
  readonly n: number;
}

/** Options of {@link RegistryClient.watch}. */
export interface WatchOptions {
  /** Ends the iteration when aborted. */
  readonly signal?: AbortSignal;
}

/** Errors after which the same call is tried on the next address. */
const FAILOVER_CODES = new Set(["CONNECTION_CLOSED", "NOT_READY", "UNREACHABLE"]);

/**
 * A client of one or more registry nodes. It connects lazily on the first
 * call, to the first address that answers, and fails over to the next one
 * when a node is unreachable, not ready, or dies mid-call. Use one client per
 * program: calls are pipelined over one connection.
 *
 * @example
 * ```ts
 * import { RegistryClient } from "./client.ts";
 *
 * await using client = new RegistryClient(["127.0.0.1:9800", "127.0.0.1:9801"]);
 * try {
 *   const owner = await client.match("web", "user-42");
 *   console.log(owner.addr);
 * } catch (e) {
 *   console.error(e); // RegistryError: NO_SERVICE, UNREACHABLE, ...
 * }
 * ```
 */
export class RegistryClient {
  readonly #addrs: readonly string[];
  readonly #options: Required<RegistryClientOptions>;
  readonly #connector: FailoverConnector;
  readonly #aborts = new Set<() => void>();

  /**
   * Creates a client; nothing connects until the first call.
   *
   * @param addrs One `host:port`, a comma-separated list, or an array of them.
   * @param options Deadlines and limits.
   * @throws {TypeError} When no address is given.
   * @throws {RangeError} When a deadline is not a positive number.
   */
  constructor(addrs: string | readonly string[], options: RegistryClientOptions = {}) {
    const list = (typeof addrs === "string" ? [addrs] : addrs)
      .flatMap((a) => a.split(","))
      .map((a) => a.trim())
      .filter((a) => a !== "");
    if (list.length === 0) throw new TypeError("Cannot create registry client: no address given");
    this.#addrs = list;
    this.#options = {
      timeoutMs: options.timeoutMs ?? 5000,
      connectTimeoutMs: options.connectTimeoutMs ?? 2000,
      maxFrameBytes: options.maxFrameBytes ?? 1024 * 1024,
    };
    for (const key of ["timeoutMs", "connectTimeoutMs"] as const) {
      if (!(this.#options[key] > 0)) {
        throw new RangeError(`Cannot create registry client: ${key} must be positive`);
      }
    }
    this.#connector = new FailoverConnector(list, this.#options);
  }

  /**
   * Creates a client and checks that one node answers (`info`).
   *
   * @param addrs One `host:port`, a comma-separated list, or an array of them.
   * @param options Deadlines and limits.
   * @returns A connected client.
   * @throws {RegistryError} `UNREACHABLE` when no address answers.
   * @example
   * ```ts
   * import { RegistryClient } from "./client.ts";
   * const client = await RegistryClient.connect("127.0.0.1:9800");
   * await client.close();
   * ```
   */
  static async connect(
    addrs: string | readonly string[],
    options?: RegistryClientOptions,
  ): Promise<RegistryClient> {
    const client = new RegistryClient(addrs, options);
    try {
      await client.info();
      return client;
    } catch (e) {
      await client.close();
      throw e;
    }
  }

  /** The addresses in failover order. */
  get addrs(): readonly string[] {
    return this.#addrs;
  }

  /**
   * Finds the service that owns `key` in `group`.
   *
   * @param group The group name.
   * @param key Any string.
   * @param options A per-call deadline.
   * @returns The owning service.
   * @throws {RegistryError} `NO_SERVICE` for an unknown or empty group;
   *   `UNREACHABLE`, `NOT_READY`, `RPC_TIMEOUT` when no node could answer.
   * @example
   * ```ts
   * import { RegistryClient } from "./client.ts";
   * await using client = new RegistryClient("127.0.0.1:9800");
   * const { addr } = await client.match("web", "user-42");
   * ```
   */
  match(group: string, key: string, options?: CallOptions): Promise<ServiceInfo> {
    return this.#call(RPC_METHODS.MATCH, { group, key }, options) as Promise<ServiceInfo>;
  }

  /**
   * Finds up to `n` distinct services for `key`, the owner first (for replicas).
   *
   * @param group The group name.
   * @param key Any string.
   * @param options `n` and a per-call deadline.
   * @returns The services, fewer when the group is smaller.
   * @throws {RegistryError} `NO_SERVICE`, `INVALID_ARGUMENT` for a bad `n`, or as {@link RegistryClient.match}.
   * @example
   * ```ts
   * import { RegistryClient } from "./client.ts";
   * await using client = new RegistryClient("127.0.0.1:9800");
   * const [primary, backup] = await client.matchN("db", "user-42", { n: 2 });
   * ```
   */
  matchN(group: string, key: string, options: MatchNOptions): Promise<ServiceInfo[]> {
    const params = { group, key, n: options.n };
    return this.#call(RPC_METHODS.MATCH_N, params, options) as Promise<ServiceInfo[]>;
  }

  /**
   * Lists the live services of a group, sorted by id.
   *
   * @param group The group name.
   * @param options A per-call deadline.
   * @returns The services; empty for an unknown group.
   * @throws {RegistryError} As {@link RegistryClient.match}, except `NO_SERVICE`.
   * @example
   * ```ts
   * import { RegistryClient } from "./client.ts";
   * await using client = new RegistryClient("127.0.0.1:9800");
   * for (const s of await client.members("web")) console.log(s.id, s.addr);
   * ```
   */
  members(group: string, options?: CallOptions): Promise<ServiceInfo[]> {
    return this.#call(RPC_METHODS.MEMBERS, { group }, options) as Promise<ServiceInfo[]>;
  }

  /**
   * Lists the groups that have at least one live service.
   *
   * @param options A per-call deadline.
   * @returns Group names, sorted.
   * @throws {RegistryError} As {@link RegistryClient.members}.
   * @example
   * ```ts
   * import { RegistryClient } from "./client.ts";
   * await using client = new RegistryClient("127.0.0.1:9800");
   * const groups = await client.groups();
   * ```
   */
  groups(options?: CallOptions): Promise<string[]> {
    return this.#call(RPC_METHODS.GROUPS, {}, options) as Promise<string[]>;
  }

  /**
   * Describes the answering node; works before the node is ready.
   *
   * @param options A per-call deadline.
   * @returns Node id, version, cluster size, ring, readiness and warnings.
   * @throws {RegistryError} `UNREACHABLE` or `RPC_TIMEOUT`.
   * @example
   * ```ts
   * import { RegistryClient } from "./client.ts";
   * await using client = new RegistryClient("127.0.0.1:9800");
   * const { ready, clusterSize } = await client.info();
   * ```
   */
  info(options?: CallOptions): Promise<NodeInfo> {
    return this.#call(RPC_METHODS.INFO, {}, options) as Promise<NodeInfo>;
  }

  /**
   * Watches a group: a snapshot first, then one event per join, leave or
   * update, until the loop breaks, the signal aborts or the client closes.
   * When the node dies the client fails over and yields a fresh snapshot
   * from the next node (whose versions are its own).
   *
   * @param group The group name; it need not exist yet.
   * @param options An abort signal.
   * @returns An async iterator of events.
   * @throws {RegistryError} `UNREACHABLE` when no node can be reached,
   *   `INVALID_ARGUMENT` for an empty group.
   * @example
   * ```ts
   * import { RegistryClient } from "./client.ts";
   * await using client = new RegistryClient("127.0.0.1:9800");
   * for await (const event of client.watch("web")) {
   *   console.log(event.type, event.services.map((s) => s.addr));
   * }
   * ```
   */
  async *watch(
    group: string,
    options: WatchOptions = {},
  ): AsyncGenerator<WatchEvent, void, undefined> {
    const { signal } = options;
    let failures = 0;
    while (!this.#connector.closed && !signal?.aborted) {
      const rpc = await this.#connector.connection(this.#options.timeoutMs);
      const stream = rpc.stream(RPC_METHODS.WATCH, { group }, {
        timeoutMs: this.#options.timeoutMs,
      });
      const stop = (): void => stream.end();
      signal?.addEventListener("abort", stop);
      this.#aborts.add(stop);
      if (signal?.aborted) stop();
      try {
        for await (const event of stream) {
          failures = 0;
          yield event as WatchEvent;
        }
        return;
      } catch (e) {
        // Give up once every address failed in a row without delivering an event.
        if (!(e instanceof RegistryError) || !FAILOVER_CODES.has(e.code)) throw e;
        if (++failures >= this.#addrs.length) throw e;
        this.#connector.drop(rpc);
      } finally {
        signal?.removeEventListener("abort", stop);
        this.#aborts.delete(stop);
        if (!rpc.closed) await stream.cancel();
      }
    }
  }

  /** Closes the connection; calls in flight fail, watches end. */
  async close(): Promise<void> {
    for (const stop of [...this.#aborts]) stop();
    await this.#connector.close();
  }

  /** Same as {@link RegistryClient.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #call(method: string, params: object, options?: CallOptions): Promise<unknown> {
    const budget = options?.timeoutMs ?? this.#options.timeoutMs;
    const deadline = performance.now() + budget;
    let lastError: RegistryError | undefined;
    // One more attempt than addresses: a connection the server closed while
    // idle fails its next call, and every method is safe to repeat.
    const left = (): number => Math.max(1, deadline - performance.now());
    for (let attempt = 0; attempt <= this.#addrs.length; attempt++) {
      const rpc = this.#connector.current ?? await this.#connector.connection(left());
      const timeoutMs = left();
      try {
        return await rpc.call(method, params, { timeoutMs });
      } catch (e) {
        if (!(e instanceof RegistryError)) throw e;
        if (e.code === "RPC_TIMEOUT") this.#connector.drop(rpc);
        if (!FAILOVER_CODES.has(e.code) || this.#connector.closed) throw e;
        lastError = e;
        this.#connector.drop(rpc);
        if (performance.now() >= deadline) break;
      }
    }
    throw lastError ?? new RegistryError("UNREACHABLE", "Cannot reach a registry");
  }
}
