/**
 * Which registry connection to use: one open {@link RpcClient} at a time,
 * opened to the first address that accepts, moving on to the next address
 * when the current one fails.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import { type Clock, systemClock } from "../clock.ts";
import { RpcClient, type RpcClientOptions } from "./rpc_client.ts";

/**
 * Keeps one connection over a list of addresses, in failover order.
 *
 * @example
 * ```ts
 * import { FailoverConnector } from "./failover_connector.ts";
 * const connector = new FailoverConnector(["127.0.0.1:9800", "127.0.0.1:9801"], {});
 * await connector.close();
 * ```
 */
export class FailoverConnector {
  readonly #addrs: readonly string[];
  readonly #options: RpcClientOptions;
  #index = 0;
  #rpc: RpcClient | undefined;
  #connecting: Promise<RpcClient> | undefined;
  /** Addresses the connect in progress has tried so far, the current one last. */
  #tried: string[] = [];
  /** Aborts a connect in progress when the connector closes. */
  readonly #closing = new AbortController();
  #closed = false;

  /**
   * Creates a connector; nothing connects until {@link FailoverConnector.connection}.
   *
   * @param addrs `host:port` addresses, tried in this order.
   * @param options Options of each {@link RpcClient}.
   * @throws {TypeError} When the list is empty.
   */
  constructor(addrs: readonly string[], options: RpcClientOptions) {
    if (addrs.length === 0) throw new TypeError("Cannot create connector: no address given");
    this.#addrs = addrs;
    this.#options = options;
  }

  /** Whether {@link FailoverConnector.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The open connection, if there is one. */
  get current(): RpcClient | undefined {
    return this.#rpc;
  }

  /**
   * Returns the open connection, or opens one to the first address (from the
   * current one on, wrapping around) that accepts.
   *
   * @param withinMs How long the caller waits; connecting goes on after that
   *   (for later callers), but this call gives up. @default no limit beyond
   *   each address's `connectTimeoutMs`
   * @returns An open connection.
   * @throws {RegistryError} `UNREACHABLE` when no address accepts or none did
   *   within `withinMs`, `CLOSED` after {@link FailoverConnector.close}.
   */
  connection(withinMs?: number): Promise<RpcClient> {
    if (this.#closed) return Promise.reject(closedError());
    if (this.#rpc && !this.#rpc.closed) return Promise.resolve(this.#rpc);
    this.#connecting ??= this.#connectAny().finally(() => (this.#connecting = undefined));
    return withinMs === undefined ? this.#connecting : this.#within(this.#connecting, withinMs);
  }

  /**
   * Forgets a failed connection and closes it; the next connection starts at
   * the next address.
   *
   * @param rpc The connection that failed.
   */
  drop(rpc: RpcClient): void {
    if (this.#rpc === rpc) this.#rpc = undefined;
    if (this.#addrs[this.#index] === rpc.addr) this.#index = (this.#index + 1) % this.#addrs.length;
    if (!rpc.closed) {
      rpc.close().catch(() => {
        // Closing a socket that is already failing can only fail the same way.
      });
    }
  }

  /** Closes the connection; later calls to `connection()` fail with `CLOSED`. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#closing.abort();
    const rpc = this.#rpc ?? await this.#connecting?.catch(() => undefined);
    this.#rpc = undefined;
    await rpc?.close();
  }

  #within(connecting: Promise<RpcClient>, withinMs: number): Promise<RpcClient> {
    const clock: Clock = this.#options.clock ?? systemClock;
    return new Promise<RpcClient>((resolve, reject) => {
      const cancel = clock.setTimer(withinMs, () => {
        const tried = this.#tried.map((a) => `"${a}"`).join(", ");
        const message = `Cannot reach a registry within ${Math.round(withinMs)} ms: tried ${tried}`;
        reject(new RegistryError("UNREACHABLE", message));
      });
      connecting.then(resolve, reject).finally(cancel);
    });
  }

  async #connectAny(): Promise<RpcClient> {
    let lastError: unknown;
    this.#tried = [];
    for (let i = 0; i < this.#addrs.length; i++) {
      const index = (this.#index + i) % this.#addrs.length;
      this.#tried.push(this.#addrs[index]);
      let rpc: RpcClient;
      try {
        rpc = await RpcClient.connect(this.#addrs[index], this.#options, this.#closing.signal);
      } catch (e) {
        if (this.#closed) throw closedError();
        lastError = e;
        continue;
      }
      if (this.#closed) {
        await rpc.close();
        throw closedError();
      }
      this.#index = index;
      this.#rpc = rpc;
      rpc.onClose(() => {
        if (this.#rpc === rpc) this.#rpc = undefined;
      });
      return rpc;
    }
    const tried = this.#addrs.map((a) => `"${a}"`).join(", ");
    throw new RegistryError("UNREACHABLE", `Cannot reach a registry: tried ${tried}`, {
      cause: lastError,
    });
  }
}

function closedError(): RegistryError {
  return new RegistryError("CLOSED", "Cannot call a closed registry client");
}
