/**
 * A stream of results for one request id, consumed as an async iterator.
 *
 * @module
 */
import type { RegistryError } from "../../lib/errors.ts";

/**
 * Items of one streaming call, buffered until read. The iterator ends after
 * {@link RpcStream.cancel} or {@link RpcStream.end}, and throws the error
 * given to {@link RpcStream.fail}.
 */
export class RpcStream implements AsyncIterableIterator<unknown> {
  /** The request id the stream runs on. */
  readonly id: number;
  readonly #cancel: () => Promise<void>;
  readonly #items: unknown[] = [];
  #error: RegistryError | undefined;
  #ended = false;
  #wake: (() => void) | undefined;

  /**
   * Creates an open, empty stream.
   *
   * @param id The request id.
   * @param cancel Stops the stream at its source.
   */
  constructor(id: number, cancel: () => Promise<void>) {
    this.id = id;
    this.#cancel = cancel;
  }

  /**
   * Queues one item.
   *
   * @param item A result received on the stream's id.
   */
  push(item: unknown): void {
    if (this.#ended || this.#error) return;
    this.#items.push(item);
    this.#notify();
  }

  /**
   * Ends the stream with an error, after the items already queued.
   *
   * @param error Thrown by the iterator.
   */
  fail(error: RegistryError): void {
    if (this.#ended || this.#error) return;
    this.#error = error;
    this.#notify();
  }

  /** Ends the stream after the items already queued. */
  end(): void {
    this.#ended = true;
    this.#notify();
  }

  /**
   * Stops the stream at the server (`unwatch`) and ends it here.
   *
   * @returns Resolves once the server acknowledged, or the connection is gone.
   */
  cancel(): Promise<void> {
    this.end();
    return this.#cancel();
  }

  /**
   * Waits for the next item.
   *
   * @returns The next item, or `done` once the stream ended.
   * @throws {RegistryError} The error the stream failed with.
   */
  async next(): Promise<IteratorResult<unknown>> {
    while (this.#items.length === 0) {
      if (this.#error) throw this.#error;
      if (this.#ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    return { done: false, value: this.#items.shift() };
  }

  /**
   * Stops the stream when a `for await` loop exits early.
   *
   * @returns `done`.
   */
  async return(): Promise<IteratorResult<unknown>> {
    await this.cancel();
    return { done: true, value: undefined };
  }

  /**
   * Makes the stream usable in `for await`.
   *
   * @returns This stream.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<unknown> {
    return this;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
