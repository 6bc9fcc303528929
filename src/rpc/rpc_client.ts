/**
 * The RPC client side of one connection: requests pipelined with increasing
 * ids, responses matched by id in any order, streams for `watch`, and
 * per-call deadlines checked by a single timer.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import type { Clock } from "../clock.ts";
import { systemClock } from "../clock.ts";
import { parseHostPort } from "../net_addr.ts";
import { RpcConnection } from "./connection.ts";
import { encodeRequest, parseResponse } from "./envelope.ts";
import { DEFAULT_MAX_FRAME_BYTES, RPC_METHODS } from "./rpc_constants.ts";
import { RpcStream } from "./rpc_stream.ts";

export { RpcStream } from "./rpc_stream.ts";

/** Options of {@link RpcClient}. */
export interface RpcClientOptions {
  /** Default per-call deadline. Shorter fails faster on a stuck server. @default 5000 */
  readonly timeoutMs?: number;
  /** How long connecting may take. @default 2000 */
  readonly connectTimeoutMs?: number;
  /** Largest accepted response frame. @default 1048576 */
  readonly maxFrameBytes?: number;
  /** Time source for deadlines. @default systemClock */
  readonly clock?: Clock;
  /**
   * Opens the TCP connection. Tests pass one that never answers, to show what
   * a connect hanging on an unreachable host does. @default Deno.connect
   */
  readonly dial?: (options: Deno.ConnectOptions) => Promise<Deno.TcpConn>;
}

/** Per-call options. */
export interface CallOptions {
  /** Deadline of this call, overriding the client's `timeoutMs`. */
  readonly timeoutMs?: number;
}

interface Pending {
  readonly method: string;
  deadline: number;
  readonly resolve?: (value: unknown) => void;
  readonly reject?: (error: RegistryError) => void;
  readonly stream?: RpcStream;
}

/**
 * One connection to a registry node.
 *
 * @example
 * ```ts
 * import { RpcClient } from "./rpc_client.ts";
 * import { RpcServer } from "./rpc_server.ts";
 * await using server = RpcServer.listen({ ping: () => "pong" }, { addr: "127.0.0.1:0" });
 * await using client = await RpcClient.connect(server.addr);
 * await client.call("ping", {}); // "pong"
 * ```
 */
export class RpcClient {
  readonly #conn: RpcConnection;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #closeError: RegistryError | undefined;
  #cancelSweep: (() => void) | undefined;
  #sweepAt = Infinity;
  readonly #onCloseHandlers: Array<(error: RegistryError) => void> = [];

  /** The address this client is connected to. */
  readonly addr: string;

  private constructor(tcp: Deno.TcpConn, addr: string, options: RpcClientOptions) {
    this.addr = addr;
    this.#clock = options.clock ?? systemClock;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#conn = new RpcConnection(tcp, {
      onFrame: (text) => this.#onFrame(text),
      onClose: (reason) => this.#onClose(reason),
      maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      clock: this.#clock,
    });
    this.#conn.start();
  }

  /**
   * Connects to a registry node.
   *
   * @param addr `host:port`.
   * @param options Deadlines and limits.
   * @param signal Abandons the attempt when aborted (the owner closed).
   * @returns A connected client.
   * @throws {TypeError} On a malformed address.
   * @throws {RegistryError} `UNREACHABLE` when the connection fails, times out
   *   or is abandoned.
   */
  static async connect(
    addr: string,
    options: RpcClientOptions = {},
    signal?: AbortSignal,
  ): Promise<RpcClient> {
    const { host, port } = parseHostPort(addr);
    const clock = options.clock ?? systemClock;
    const timeoutMs = options.connectTimeoutMs ?? 2000;
    const timeout = new AbortController();
    const cancel = clock.setTimer(timeoutMs, () => timeout.abort());
    const either = signal ? AbortSignal.any([timeout.signal, signal]) : timeout.signal;
    try {
      const dial = options.dial ?? Deno.connect;
      const tcp = await dial({ hostname: host || "127.0.0.1", port, signal: either });
      tcp.setNoDelay(true);
      return new RpcClient(tcp, addr, options);
    } catch (cause) {
      const why = signal?.aborted
        ? "abandoned"
        : timeout.signal.aborted
        ? `timed out after ${timeoutMs} ms`
        : "connection refused";
      throw new RegistryError("UNREACHABLE", `Cannot connect to "${addr}": ${why}`, { cause });
    } finally {
      cancel();
    }
  }

  /** Whether the connection is closed; every later call fails. */
  get closed(): boolean {
    return this.#closeError !== undefined;
  }

  /** Calls in flight, streams included. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /**
   * Registers a function run once when the connection closes.
   *
   * @param handler Receives the error that in-flight calls failed with.
   */
  onClose(handler: (error: RegistryError) => void): void {
    this.#onCloseHandlers.push(handler);
  }

  /**
   * Sends a request and waits for its response.
   *
   * @param method The method name.
   * @param params The parameters.
   * @param options The deadline.
   * @returns The response's result.
   * @throws {RegistryError} The server's error code; `RPC_TIMEOUT` past the
   *   deadline; `CONNECTION_CLOSED` when the connection is or becomes closed.
   */
  call(method: string, params: object, options?: CallOptions): Promise<unknown> {
    if (this.#closeError) return Promise.reject(this.#closeError);
    const id = ++this.#nextId;
    const deadline = this.#clock.now() + (options?.timeoutMs ?? this.#timeoutMs);
    const promise = new Promise<unknown>((resolve, reject) => {
      this.#pending.set(id, { method, deadline, resolve, reject });
    });
    this.#conn.send(encodeRequest(id, method, params));
    this.#armSweep(deadline);
    return promise;
  }

  /**
   * Opens a stream: every response on the request's id is one item.
   *
   * @param method The streaming method (`watch`).
   * @param params The parameters.
   * @param options The deadline for the first item.
   * @returns The stream; iterate it, and `cancel()` it when done.
   */
  stream(method: string, params: object, options?: CallOptions): RpcStream {
    const id = ++this.#nextId;
    const stream = new RpcStream(id, () => this.#cancelStream(id));
    if (this.#closeError) {
      stream.fail(this.#closeError);
      return stream;
    }
    const deadline = this.#clock.now() + (options?.timeoutMs ?? this.#timeoutMs);
    this.#pending.set(id, { method, deadline, stream });
    this.#conn.send(encodeRequest(id, method, params));
    this.#armSweep(deadline);
    return stream;
  }

  /** Closes the connection; calls in flight fail with `CONNECTION_CLOSED`. */
  close(): Promise<void> {
    this.#conn.close();
    return this.#conn.done;
  }

  /** Same as {@link RpcClient.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #cancelStream(id: number): Promise<void> {
    const entry = this.#pending.get(id);
    if (entry === undefined) return;
    this.#pending.delete(id);
    entry.stream?.end();
    if (this.#closeError) return;
    try {
      await this.call(RPC_METHODS.UNWATCH, { id });
    } catch {
      // The stream is already gone locally; a lost unwatch only means the
      // server stops it when this connection closes.
    }
  }

  #onFrame(text: string): void {
    let response;
    try {
      response = parseResponse(text);
    } catch (e) {
      this.#conn.close(
        new RegistryError("PROTOCOL_ERROR", "Cannot read response: bad frame", { cause: e }),
      );
      return;
    }
    if (typeof response.id !== "number") return;
    const entry = this.#pending.get(response.id);
    if (entry === undefined) return; // Late answer to a call that already timed out.
    if (entry.stream) {
      this.#onStreamFrame(response.id, entry, response.error, response.result);
      return;
    }
    this.#pending.delete(response.id);
    if (response.error) entry.reject?.(response.error);
    else entry.resolve?.(response.result);
  }

  #onStreamFrame(
    id: number,
    entry: Pending,
    error: RegistryError | undefined,
    result: unknown,
  ): void {
    if (error) {
      this.#pending.delete(id);
      entry.stream?.fail(error);
      return;
    }
    entry.deadline = Infinity;
    entry.stream?.push(result);
  }

  #onClose(reason: RegistryError | undefined): void {
    const error = new RegistryError(
      "CONNECTION_CLOSED",
      `Cannot finish call: connection to "${this.addr}" closed`,
      reason ? { cause: reason } : undefined,
    );
    this.#closeError = error;
    this.#cancelSweep?.();
    const entries = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of entries) {
      if (entry.stream) entry.stream.fail(error);
      else entry.reject?.(error);
    }
    for (const handler of this.#onCloseHandlers) handler(error);
  }

  #armSweep(deadline: number): void {
    if (deadline >= this.#sweepAt) return;
    this.#cancelSweep?.();
    this.#sweepAt = deadline;
    this.#cancelSweep = this.#clock.setTimer(deadline - this.#clock.now(), () => this.#sweep());
  }

  /** Fails every call past its deadline, then re-arms for the earliest remaining one. */
  #sweep(): void {
    this.#cancelSweep = undefined;
    this.#sweepAt = Infinity;
    const now = this.#clock.now();
    let next = Infinity;
    for (const [id, entry] of this.#pending) {
      if (entry.deadline > now) {
        next = Math.min(next, entry.deadline);
        continue;
      }
      this.#pending.delete(id);
      const error = new RegistryError(
        "RPC_TIMEOUT",
        `Cannot finish "${entry.method}" on "${this.addr}": no answer in time`,
      );
      if (entry.stream) entry.stream.fail(error);
      else entry.reject?.(error);
    }
    if (next !== Infinity) this.#armSweep(next);
  }
}
