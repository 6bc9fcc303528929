/**
 * Framing: bytes ⇄ frames. A frame is a 4-byte unsigned big-endian length
 * followed by that many payload bytes (UTF-8 JSON, which this layer does not
 * look at). Pure: no I/O, no clocks.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import {
  DEFAULT_MAX_FRAME_BYTES,
  FRAME_HEADER_BYTES,
  MAX_FRAME_BYTES_LIMIT,
} from "./rpc_constants.ts";

const encoder = new TextEncoder();
const INITIAL_HELD_BYTES = 256;
const SHRINK_ABOVE_BYTES = 64 * 1024;

/**
 * Prefixes a payload with its length header.
 *
 * @param payload The frame body.
 * @returns A new buffer holding header and payload.
 * @throws {RangeError} When the payload is longer than a header can express.
 */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_FRAME_BYTES_LIMIT) {
    throw new RangeError(`Cannot encode frame: payload of ${payload.length} bytes is too long`);
  }
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  writeHeader(out, 0, payload.length);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

/**
 * Encodes a string as UTF-8 into one frame, with a single allocation.
 *
 * @param text The frame body, usually JSON.
 * @returns A buffer holding header and UTF-8 payload.
 */
export function encodeTextFrame(text: string): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + text.length * 3);
  const used = writeTextFrame(text, out, 0);
  return out.subarray(0, used);
}

/**
 * Writes `text` as one frame into `target` at `offset`. The caller must leave
 * room for the worst case: `4 + 3 * text.length` bytes.
 *
 * @param text The frame body.
 * @param target The buffer to write into.
 * @param offset Where the header starts.
 * @returns The number of bytes written (header included).
 * @throws {RangeError} When the worst case does not fit in `target`.
 */
export function writeTextFrame(text: string, target: Uint8Array, offset: number): number {
  if (target.length - offset < FRAME_HEADER_BYTES + text.length * 3) {
    throw new RangeError("Cannot write frame: target buffer is too small");
  }
  const { written } = encoder.encodeInto(text, target.subarray(offset + FRAME_HEADER_BYTES));
  writeHeader(target, offset, written);
  return FRAME_HEADER_BYTES + written;
}

function writeHeader(target: Uint8Array, offset: number, length: number): void {
  target[offset] = length >>> 24;
  target[offset + 1] = (length >>> 16) & 0xff;
  target[offset + 2] = (length >>> 8) & 0xff;
  target[offset + 3] = length & 0xff;
}

function readHeader(source: Uint8Array, offset: number): number {
  return ((source[offset] << 24) >>> 0) + (source[offset + 1] << 16) +
    (source[offset + 2] << 8) + source[offset + 3];
}

/** Options of {@link FrameDecoder}. */
export interface FrameDecoderOptions {
  /**
   * Largest accepted payload; a longer declared length fails before any
   * allocation. Higher admits bigger requests but lets one peer make the
   * process hold that much memory. @default 1048576 (1 MiB)
   */
  readonly maxFrameBytes?: number;
}

/** Receives one decoded payload; it is only valid until the callback returns. */
export type FrameHandler = (payload: Uint8Array) => void;

/**
 * An incremental decoder: feed it chunks of any size, it calls back once per
 * complete frame, in order. Payloads are views into the pushed chunk or into
 * one reused internal buffer, so a handler must decode (or copy) a payload
 * before returning.
 *
 * @example
 * ```ts
 * import { encodeTextFrame, FrameDecoder } from "./frame.ts";
 * const decoder = new FrameDecoder();
 * const texts: string[] = [];
 * decoder.push(encodeTextFrame('{"id":1}'), (p) => texts.push(new TextDecoder().decode(p)));
 * ```
 */
export class FrameDecoder {
  readonly #max: number;
  #held: Uint8Array = new Uint8Array(INITIAL_HELD_BYTES);
  #heldLen = 0;
  #failed = false;

  /**
   * Creates a decoder with nothing buffered.
   *
   * @param options The frame size limit.
   * @throws {RangeError} When `maxFrameBytes` is not an integer from 0 to 2^32-1.
   */
  constructor(options: FrameDecoderOptions = {}) {
    const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isInteger(max) || max < 0 || max > MAX_FRAME_BYTES_LIMIT) {
      throw new RangeError(`Cannot create frame decoder: maxFrameBytes "${max}" is out of range`);
    }
    this.#max = max;
  }

  /** Bytes received that do not yet form a complete frame (a truncated frame). */
  get pendingBytes(): number {
    return this.#heldLen;
  }

  /**
   * Consumes a chunk, calling `onFrame` for every frame it completes.
   *
   * @param chunk The next bytes from the peer (any size, even empty).
   * @param onFrame Called synchronously once per complete payload.
   * @throws {RegistryError} `FRAME_TOO_LARGE` when a header declares more than
   *   the limit; the decoder is then unusable, and the caller should close the
   *   connection.
   */
  push(chunk: Uint8Array, onFrame: FrameHandler): void {
    if (this.#failed) throw tooLarge(-1, this.#max);
    let offset = this.#heldLen > 0 ? this.#fillHeld(chunk, onFrame) : 0;
    while (offset >= 0 && chunk.length - offset >= FRAME_HEADER_BYTES) {
      const length = this.#checkLength(readHeader(chunk, offset));
      const end = offset + FRAME_HEADER_BYTES + length;
      if (end > chunk.length) break;
      onFrame(chunk.subarray(offset + FRAME_HEADER_BYTES, end));
      offset = end;
    }
    if (offset >= 0 && offset < chunk.length) this.#hold(chunk.subarray(offset));
  }

  /**
   * Completes the held partial frame from the start of `chunk`.
   * Returns the offset where unconsumed bytes start, or -1 when the whole
   * chunk went into the held buffer.
   */
  #fillHeld(chunk: Uint8Array, onFrame: FrameHandler): number {
    let offset = 0;
    if (this.#heldLen < FRAME_HEADER_BYTES) {
      offset = Math.min(FRAME_HEADER_BYTES - this.#heldLen, chunk.length);
      this.#held.set(chunk.subarray(0, offset), this.#heldLen);
      this.#heldLen += offset;
      if (this.#heldLen < FRAME_HEADER_BYTES) return -1;
    }
    const total = FRAME_HEADER_BYTES + this.#checkLength(readHeader(this.#held, 0));
    this.#reserve(total);
    const take = Math.min(total - this.#heldLen, chunk.length - offset);
    this.#held.set(chunk.subarray(offset, offset + take), this.#heldLen);
    this.#heldLen += take;
    offset += take;
    if (this.#heldLen < total) return -1;
    this.#heldLen = 0;
    onFrame(this.#held.subarray(FRAME_HEADER_BYTES, total));
    // Give back the memory of an unusually large frame once it is consumed.
    if (this.#held.length > SHRINK_ABOVE_BYTES) this.#held = new Uint8Array(INITIAL_HELD_BYTES);
    return offset;
  }

  #hold(rest: Uint8Array): void {
    if (rest.length >= FRAME_HEADER_BYTES) {
      this.#reserve(FRAME_HEADER_BYTES + this.#checkLength(readHeader(rest, 0)));
    }
    this.#held.set(rest, 0);
    this.#heldLen = rest.length;
  }

  #reserve(size: number): void {
    if (this.#held.length >= size) return;
    const grown = new Uint8Array(Math.max(size, this.#held.length * 2));
    grown.set(this.#held.subarray(0, this.#heldLen));
    this.#held = grown;
  }

  #checkLength(length: number): number {
    if (length > this.#max) {
      this.#failed = true;
      throw tooLarge(length, this.#max);
    }
    return length;
  }
}

function tooLarge(length: number, max: number): RegistryError {
  const what = length < 0 ? "an earlier frame" : `a frame of ${length} bytes`;
  return new RegistryError("FRAME_TOO_LARGE", `Cannot read ${what}: the limit is ${max} bytes`);
}
