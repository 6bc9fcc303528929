/**
 * Dispatch for one server-side connection: parses each request, runs its
 * handler, and keeps the connection's open streams (watches).
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import type { Logger } from "../logger.ts";
import type { RpcConnection } from "./connection.ts";
import { encodeError, encodeResult, parseRequest, type RpcId } from "./envelope.ts";

/** What a handler may do besides returning its result. */
export interface RpcContext {
  /** The id of the request being handled. */
  readonly id: RpcId;
  /**
   * Sends one result frame on this request's id; for streams, call it once per event.
   *
   * @param result Any JSON-serializable value.
   */
  push(result: unknown): void;
  /**
   * Turns this call into a stream: the return value is ignored and frames are
   * sent with {@link RpcContext.push} until the stream is cancelled.
   *
   * @param cancel Runs once, on `cancelStream` or when the connection closes.
   * @throws {RegistryError} `INVALID_ARGUMENT` when the id already has an open
   *   stream on this connection, or the connection has too many streams.
   */
  stream(cancel: () => void): void;
  /**
   * Cancels a stream of this connection.
   *
   * @param id The id of the request that opened it.
   * @returns Whether a stream was open under that id.
   */
  cancelStream(id: RpcId): boolean;
}

/**
 * Handles one method: returns the result (or a promise of it), or throws a
 * {@link RegistryError} whose code and message become the error response.
 */
export type RpcHandler = (params: Readonly<Record<string, unknown>>, ctx: RpcContext) => unknown;

/** Handlers by method name. */
export type RpcHandlers = Readonly<Record<string, RpcHandler>>;

/** Limits of a {@link ServerSession}. */
export interface ServerSessionOptions {
  /** Most open streams on one connection. */
  readonly maxStreams: number;
  /** Where failures of handlers are logged. */
  readonly logger: Logger;
}

/** The request dispatcher bound to one connection. */
export class ServerSession {
  readonly #handlers: RpcHandlers;
  readonly #options: ServerSessionOptions;
  readonly #streams = new Map<RpcId, () => void>();
  #conn: RpcConnection | undefined;

  /**
   * Creates a session with no open streams.
   *
   * @param handlers Handlers by method name.
   * @param options Limits and logger.
   */
  constructor(handlers: RpcHandlers, options: ServerSessionOptions) {
    this.#handlers = handlers;
    this.#options = options;
  }

  /** The number of open streams; a connection with one is never idle. */
  get streamCount(): number {
    return this.#streams.size;
  }

  /**
   * Binds the session to its connection; call before the first frame.
   *
   * @param conn The connection responses go to.
   */
  attach(conn: RpcConnection): void {
    this.#conn = conn;
  }

  /**
   * Handles one request frame.
   *
   * @param text The frame's text.
   */
  onFrame(text: string): void {
    const parsed = parseRequest(text);
    if (!parsed.ok) {
      this.#conn?.send(encodeError(parsed.id, parsed.error));
      if (parsed.fatal) this.#conn?.end();
      return;
    }
    const { id, method, params } = parsed.request;
    const handler = Object.hasOwn(this.#handlers, method) ? this.#handlers[method] : undefined;
    if (handler === undefined) {
      const error = new RegistryError(
        "METHOD_NOT_FOUND",
        `Cannot call "${method}": no such method`,
      );
      this.#conn?.send(encodeError(id, error));
      return;
    }
    const ctx = new CallContext(this, id);
    let result: unknown;
    try {
      result = handler(params, ctx);
    } catch (e) {
      this.#sendFailure(id, method, e);
      return;
    }
    if (ctx.streaming) return;
    if (result instanceof Promise) {
      result.then((r) => this.send(id, r), (e) => this.#sendFailure(id, method, e));
    } else this.send(id, result);
  }

  /**
   * Sends a result frame.
   *
   * @param id The request id.
   * @param result The result.
   */
  send(id: RpcId, result: unknown): void {
    this.#conn?.send(encodeResult(id, result));
  }

  /**
   * Registers a stream (see {@link RpcContext.stream}).
   *
   * @param id The request id.
   * @param cancel Its cancel function.
   * @throws {RegistryError} `INVALID_ARGUMENT` on a duplicate id or too many streams.
   */
  openStream(id: RpcId, cancel: () => void): void {
    if (this.#streams.has(id)) {
      throw new RegistryError(
        "INVALID_ARGUMENT",
        `Cannot open stream: id ${JSON.stringify(id)} is in use`,
      );
    }
    if (this.#streams.size >= this.#options.maxStreams) {
      throw new RegistryError(
        "INVALID_ARGUMENT",
        `Cannot open stream: this connection already has ${this.#streams.size}`,
      );
    }
    this.#streams.set(id, cancel);
  }

  /**
   * Tells whether a stream is open under an id.
   *
   * @param id The request id.
   * @returns Whether it is open.
   */
  hasStream(id: RpcId): boolean {
    return this.#streams.has(id);
  }

  /**
   * Cancels one stream.
   *
   * @param id The request id.
   * @returns Whether a stream was open under that id.
   */
  cancelStream(id: RpcId): boolean {
    const cancel = this.#streams.get(id);
    if (cancel === undefined) return false;
    this.#streams.delete(id);
    this.#runCancel(cancel);
    return true;
  }

  /** Cancels every stream; called when the connection closes. */
  closeAll(): void {
    const cancels = [...this.#streams.values()];
    this.#streams.clear();
    for (const cancel of cancels) this.#runCancel(cancel);
  }

  #runCancel(cancel: () => void): void {
    try {
      cancel();
    } catch (e) {
      // A failing cancel must not keep the other streams open.
      this.#options.logger.error("Stream cancel failed", { error: String(e) });
    }
  }

  #sendFailure(id: RpcId, method: string, e: unknown): void {
    if (e instanceof RegistryError) {
      this.#conn?.send(encodeError(id, e));
      return;
    }
    this.#options.logger.error("Handler failed", { method, error: String(e) });
    const error = new RegistryError("INTERNAL", `Cannot answer "${method}": internal error`);
    this.#conn?.send(encodeError(id, error));
  }
}

class CallContext implements RpcContext {
  readonly id: RpcId;
  readonly #session: ServerSession;
  streaming = false;

  constructor(session: ServerSession, id: RpcId) {
    this.#session = session;
    this.id = id;
  }

  push(result: unknown): void {
    if (!this.streaming || this.#session.hasStream(this.id)) this.#session.send(this.id, result);
  }

  stream(cancel: () => void): void {
    this.#session.openStream(this.id, cancel);
    this.streaming = true;
  }

  cancelStream(id: RpcId): boolean {
    return this.#session.cancelStream(id);
  }
}
