/**
 * An incremental reader over a chunked byte source (a TCP stream): it
 * buffers what arrives and hands out exact byte counts or one complete
 * msgpack value, pulling more chunks only as needed, so it never waits for
 * EOF (the Go dialer keeps its socket open while waiting for our reply).
 *
 * @module
 */
import { msgpackLength } from "./msgpack.ts";
import { WireError } from "./wire_error.ts";

/** Reads the next chunk, or `null` at end of stream (the `Stream.read` shape). */
export type ChunkSource = () => Promise<Uint8Array | null>;

/**
 * Buffers chunks from a {@link ChunkSource}.
 *
 * @example
 * ```ts
 * import { StreamReader } from "./stream_reader.ts";
 * const r = StreamReader.fromBytes(new Uint8Array([0x81, 0xa1, 0x41, 0x01, 0x07]));
 * await r.readMsgpack(64); // 81 a1 41 01
 * await r.readByte(); // 7
 * ```
 */
export class StreamReader {
  #source: ChunkSource;
  #buf: Uint8Array = new Uint8Array(0);
  #start = 0;
  #end = 0;
  #eof = false;

  /**
   * Wraps a chunk source.
   *
   * @param source Called for each further chunk.
   */
  constructor(source: ChunkSource) {
    this.#source = source;
  }

  /**
   * A reader over bytes already in memory (e.g. a decrypted payload).
   *
   * @param bytes The whole input.
   * @returns A reader that reaches EOF after `bytes`.
   */
  static fromBytes(bytes: Uint8Array): StreamReader {
    let done = false;
    return new StreamReader(() => {
      if (done) return Promise.resolve(null);
      done = true;
      return Promise.resolve(bytes);
    });
  }

  /** Bytes buffered and not yet consumed. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Pulls one more chunk; returns false at EOF. */
  async #pull(): Promise<boolean> {
    if (this.#eof) return false;
    const chunk = await this.#source();
    if (chunk === null) {
      this.#eof = true;
      return false;
    }
    this.#append(chunk);
    return true;
  }

  #append(chunk: Uint8Array): void {
    const live = this.#end - this.#start;
    if (this.#end + chunk.length > this.#buf.length) {
      if (live + chunk.length <= this.#buf.length) {
        this.#buf.copyWithin(0, this.#start, this.#end);
      } else {
        const next = new Uint8Array(Math.max(live + chunk.length, this.#buf.length * 2, 256));
        next.set(this.#buf.subarray(this.#start, this.#end));
        this.#buf = next;
      }
      this.#start = 0;
      this.#end = live;
    }
    this.#buf.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  /**
   * Waits until `n` bytes are buffered.
   *
   * @param n The byte count.
   * @throws {WireError} `truncated` if the stream ends first.
   */
  async ensure(n: number): Promise<void> {
    while (this.#end - this.#start < n) {
      if (!(await this.#pull())) {
        throw new WireError("truncated", `Cannot read stream: it ended "${n}" bytes short`);
      }
    }
  }

  /**
   * Returns the next byte without consuming it.
   *
   * @returns The byte.
   * @throws {WireError} `truncated` at EOF.
   */
  async peekByte(): Promise<number> {
    await this.ensure(1);
    return this.#buf[this.#start];
  }

  /**
   * Consumes one byte.
   *
   * @returns The byte.
   * @throws {WireError} `truncated` at EOF.
   */
  async readByte(): Promise<number> {
    await this.ensure(1);
    return this.#buf[this.#start++];
  }

  /**
   * Consumes exactly `n` bytes. Memory grows only as data arrives, so a
   * huge `n` from a peer costs nothing until the peer actually sends it;
   * callers still check declared lengths against their limits first.
   *
   * @param n The byte count.
   * @returns A copy of the bytes.
   * @throws {WireError} `truncated` if the stream ends first.
   */
  async readExact(n: number): Promise<Uint8Array> {
    await this.ensure(n);
    const out = this.#buf.slice(this.#start, this.#start + n);
    this.#start += n;
    return out;
  }

  /**
   * Consumes one complete msgpack value, reading more while it is incomplete.
   *
   * @param maxBytes The largest value accepted.
   * @returns A copy of the value's bytes (decode them with `MsgpackReader`).
   * @throws {WireError} `truncated` at EOF, `too_large` past `maxBytes`, `bad_msgpack`.
   */
  async readMsgpack(maxBytes: number): Promise<Uint8Array> {
    for (;;) {
      const view = this.#buf.subarray(this.#start, this.#end);
      const n = view.length === 0 ? -1 : msgpackLength(view, { maxBytes });
      if (n >= 0) return this.readExact(n);
      if (!(await this.#pull())) {
        throw new WireError("truncated", "Cannot read stream: it ended inside a msgpack value");
      }
    }
  }
}
