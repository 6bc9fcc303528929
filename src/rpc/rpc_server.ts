/**
 * The RPC server: accepts TCP connections, frames and dispatches requests to
 * handlers, closes idle connections and bounds what one peer may cost.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import { systemClock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import { noopLogger } from "../logger.ts";
import { formatHostPort, parseHostPort } from "../net_addr.ts";
import { RpcConnection } from "./connection.ts";
import { DEFAULT_MAX_FRAME_BYTES, DEFAULT_RPC_PORT } from "./rpc_constants.ts";
import { type RpcHandlers, ServerSession } from "./server_session.ts";

export type { RpcContext, RpcHandler, RpcHandlers } from "./server_session.ts";

/** Options of {@link RpcServer}. */
export interface RpcServerOptions {
  /** Listen address `host:port`; port 0 picks a free port. @default "127.0.0.1:9800" */
  readonly addr?: string;
  /**
   * Close a connection after this long without a received byte and without an
   * open stream. Shorter frees sockets sooner but drops slow polling clients.
   * @default 60000
   */
  readonly idleTimeoutMs?: number;
  /** Largest accepted request frame. Larger admits bigger requests at a memory cost. @default 1048576 */
  readonly maxFrameBytes?: number;
  /** Bytes queued to a peer that does not read before it is dropped. @default 8388608 */
  readonly maxQueuedBytes?: number;
  /** Open streams (watches) per connection. @default 64 */
  readonly maxStreamsPerConnection?: number;
  /** Connections served at once; more are closed on accept. @default 10000 */
  readonly maxConnections?: number;
  /** Time source for idle timeouts. @default systemClock */
  readonly clock?: Clock;
  /** Logger; the server logs under a `rpc` child. @default noopLogger */
  readonly logger?: Logger;
}

/** {@link RpcServerOptions} with every default filled in. */
export type ResolvedRpcServerOptions = Required<RpcServerOptions>;

/**
 * Fills defaults and validates.
 *
 * @param options Partial options.
 * @returns Complete options.
 * @throws {TypeError} On a malformed address.
 * @throws {RangeError} On a limit that is not a positive integer.
 */
export function resolveRpcServerOptions(options: RpcServerOptions = {}): ResolvedRpcServerOptions {
  const resolved: ResolvedRpcServerOptions = {
    addr: options.addr ?? `127.0.0.1:${DEFAULT_RPC_PORT}`,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    maxQueuedBytes: options.maxQueuedBytes ?? 8 * 1024 * 1024,
    maxStreamsPerConnection: options.maxStreamsPerConnection ?? 64,
    maxConnections: options.maxConnections ?? 10_000,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? noopLogger,
  };
  parseHostPort(resolved.addr);
  for (
    const key of [
      "idleTimeoutMs",
      "maxFrameBytes",
      "maxQueuedBytes",
      "maxStreamsPerConnection",
      "maxConnections",
    ] as const
  ) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value <= 0) {
      throw new RangeError(
        `Cannot start RPC server: ${key} must be a positive integer, got ${value}`,
      );
    }
  }
  return resolved;
}

/**
 * A listening RPC server. Create it with {@link RpcServer.listen}.
 *
 * @example
 * ```ts
 * import { RpcServer } from "./rpc_server.ts";
 * await using server = RpcServer.listen({ ping: () => "pong" }, { addr: "127.0.0.1:0" });
 * server.addr; // "127.0.0.1:<port>"
 * ```
 */
export class RpcServer {
  readonly #listener: Deno.TcpListener;
  readonly #handlers: RpcHandlers;
  readonly #options: ResolvedRpcServerOptions;
  readonly #logger: Logger;
  readonly #connections = new Set<Served>();
  readonly #accepting: Promise<void>;
  #closing: Promise<void> | undefined;
  #accepted = 0;

  /** The bound address `host:port`, with the real port when asked for port 0. */
  readonly addr: string;

  private constructor(
    listener: Deno.TcpListener,
    handlers: RpcHandlers,
    options: ResolvedRpcServerOptions,
  ) {
    this.#listener = listener;
    this.#handlers = handlers;
    this.#options = options;
    this.#logger = options.logger.child("rpc");
    this.addr = formatHostPort(listener.addr.hostname, listener.addr.port);
    this.#accepting = this.#acceptLoop();
  }

  /**
   * Starts listening and serving.
   *
   * @param handlers Handlers by method name; other methods get `METHOD_NOT_FOUND`.
   * @param options Address and limits.
   * @returns The running server.
   * @throws {Deno.errors.AddrInUse} When the address is taken.
   * @throws {TypeError} On a malformed address.
   * @throws {RangeError} On an invalid limit.
   */
  static listen(handlers: RpcHandlers, options: RpcServerOptions = {}): RpcServer {
    const resolved = resolveRpcServerOptions(options);
    const { host, port } = parseHostPort(resolved.addr);
    const listener = Deno.listen({ hostname: host === "" ? "0.0.0.0" : host, port });
    return new RpcServer(listener, handlers, resolved);
  }

  /** The number of open connections. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Connections accepted since the server started, refused ones included. */
  get acceptedCount(): number {
    return this.#accepted;
  }

  /** Stops listening, closes every connection and waits until all are gone. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Same as {@link RpcServer.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #close(): Promise<void> {
    try {
      this.#listener.close();
    } catch {
      // Already closed by a failed accept loop; nothing else to release.
    }
    await this.#accepting;
    const served = [...this.#connections];
    for (const s of served) s.conn.close();
    await Promise.all(served.map((s) => s.conn.done));
  }

  async #acceptLoop(): Promise<void> {
    while (this.#closing === undefined) {
      let conn: Deno.TcpConn;
      try {
        conn = await this.#listener.accept();
      } catch (e) {
        if (this.#closing === undefined) this.#logger.error("Accept failed", { error: String(e) });
        return;
      }
      this.#accepted++;
      if (this.#closing !== undefined || this.#connections.size >= this.#options.maxConnections) {
        this.#logger.warn("Connection refused: at the limit", {
          limit: this.#options.maxConnections,
        });
        conn.close();
        continue;
      }
      this.#serve(conn);
    }
  }

  #serve(tcp: Deno.TcpConn): void {
    tcp.setNoDelay(true);
    const { clock, idleTimeoutMs } = this.#options;
    const session = new ServerSession(this.#handlers, {
      maxStreams: this.#options.maxStreamsPerConnection,
      logger: this.#logger,
    });
    const conn = new RpcConnection(tcp, {
      onFrame: (text) => session.onFrame(text),
      onClose: (reason) => {
        served.cancelIdle();
        session.closeAll();
        this.#connections.delete(served);
        if (reason) this.#logger.debug("Connection closed", { reason: reason.message });
      },
      maxFrameBytes: this.#options.maxFrameBytes,
      maxQueuedBytes: this.#options.maxQueuedBytes,
      clock,
    });
    const served: Served = { conn, cancelIdle: noop };
    session.attach(conn);
    this.#connections.add(served);
    const checkIdle = (): void => {
      const quietMs = clock.now() - conn.lastReadMs;
      if (session.streamCount === 0 && quietMs >= idleTimeoutMs) {
        this.#logger.debug("Closing idle connection", { quietMs });
        conn.close();
        return;
      }
      // Re-arm for the rest of the idle period: one timer per connection, not per read.
      const waitMs = session.streamCount > 0 ? idleTimeoutMs : idleTimeoutMs - quietMs;
      served.cancelIdle = clock.setTimer(Math.max(1, waitMs), checkIdle);
    };
    served.cancelIdle = clock.setTimer(idleTimeoutMs, checkIdle);
    conn.start();
  }
}

interface Served {
  readonly conn: RpcConnection;
  cancelIdle: () => void;
}

function noop(): void {}
