/**
 * The TCP edge: one memberlist stream message ⇄ bytes (gossip-wire.md §2.2,
 * §4). Reading strips an optional label header (listener side only), the
 * `0A` encryption framing (AAD = `0A` + length + label) and a `09` compress
 * wrapper, then parses ping, ack, push-pull, user or err. Every declared
 * size is checked against a limit before it is waited for.
 *
 * @module
 */
import type { ErrorResponseMessage, StreamMessage, UserMessage } from "./messages.ts";
import type { Keyring } from "./keyring.ts";
import { readAck, readFields, readPing, writeAckBody, writePing } from "./message_codec.ts";
import { type MsgpackReader, MsgpackWriter } from "./msgpack.ts";
import { checkLabel, compressMessage, decompressMessage, labelHeader } from "./packet_codec.ts";
import { checkCount, readPushPull, readStreamObject, writePushPull } from "./push_pull_codec.ts";
import { StreamReader } from "./stream_reader.ts";
import {
  ENCRYPTION_OVERHEAD_V1,
  MAX_STREAM_DECOMPRESSED,
  MAX_STREAM_ENCRYPTED,
  MAX_STREAM_USER_STATE,
  MessageType,
  STREAM_ENCRYPT_HEADER_SIZE,
} from "./wire_constants.ts";
import { WireError } from "./wire_error.ts";

export { type ChunkSource, StreamReader } from "./stream_reader.ts";

const utf8 = new TextEncoder();

/** Options of {@link readStreamMessage}. */
export interface ReadStreamOptions {
  /** Keys for `0A` framing; without one, an encrypted stream is refused. @default none */
  readonly keyring?: Keyring;
  /** Our label (also the AAD of encrypted replies). @default "" */
  readonly label?: string;
  /** Accept an unlabeled stream even with a label set. @default false */
  readonly skipInboundLabelCheck?: boolean;
  /** With a keyring: refuse plaintext streams. @default true */
  readonly verifyIncoming?: boolean;
  /** `true` when reading the reply on a stream we dialed: replies carry no label header. */
  readonly isDialer: boolean;
}

/** Anything with a `read()` like `Stream` in `transport.ts`, or a ready {@link StreamReader}. */
export type StreamInput = { read(): Promise<Uint8Array | null> } | StreamReader;

/**
 * Reads one message from a stream without waiting for EOF.
 *
 * @param stream The stream (or a reader already wrapping it).
 * @param opts Keyring, label and role.
 * @returns The message.
 * @throws {WireError} `truncated` (EOF early), `label_mismatch`, `bad_label`,
 *   `unexpected_encryption`, `not_encrypted`, `decrypt_failed`, `too_large`,
 *   `bad_msgpack`, `bad_compression`, `unknown_type`, `bad_message`.
 * @example
 * ```ts
 * import { readStreamMessage, StreamReader } from "./stream_codec.ts";
 * const bytes = new Uint8Array([0x0d, 0x81, 0xa5, 69, 114, 114, 111, 114, 0xa1, 0x78]);
 * await readStreamMessage(StreamReader.fromBytes(bytes), { isDialer: true });
 * // { type: "err", error: "x" }
 * ```
 */
export async function readStreamMessage(
  stream: StreamInput,
  opts: ReadStreamOptions,
): Promise<StreamMessage> {
  let r = stream instanceof StreamReader ? stream : new StreamReader(() => stream.read());
  const label = opts.isDialer ? opts.label ?? "" : await readLabel(r, opts);
  let type = await r.readByte();
  if (type === MessageType.ENCRYPT) {
    if (!opts.keyring) {
      throw new WireError(
        "unexpected_encryption",
        "Cannot read stream: it is encrypted and no key is set",
      );
    }
    r = StreamReader.fromBytes(await decryptFrame(r, opts.keyring, label));
    type = await r.readByte();
  } else if (opts.keyring && (opts.verifyIncoming ?? true)) {
    throw new WireError(
      "not_encrypted",
      "Cannot read stream: encryption is on but it is plaintext",
    );
  }
  if (type === MessageType.COMPRESS) {
    const wrapper = await r.readMsgpack(MAX_STREAM_ENCRYPTED + 16);
    const plain = decompressMessage(
      prefixed(MessageType.COMPRESS, wrapper),
      MAX_STREAM_DECOMPRESSED,
    );
    r = StreamReader.fromBytes(plain);
    type = await r.readByte();
  }
  return readBody(r, type);
}

async function readLabel(r: StreamReader, opts: ReadStreamOptions): Promise<string> {
  let received = "";
  if (await r.peekByte() === MessageType.HAS_LABEL) {
    await r.readByte();
    const n = await r.readByte();
    if (n === 0) {
      throw new WireError("bad_label", "Cannot read label: header is empty");
    }
    received = new TextDecoder().decode(await r.readExact(n));
  }
  return checkLabel(received, opts.label ?? "", opts.skipInboundLabelCheck ?? false);
}

async function decryptFrame(r: StreamReader, keyring: Keyring, label: string): Promise<Uint8Array> {
  const header = await r.readExact(4);
  const length = new DataView(header.buffer).getUint32(0);
  if (length > MAX_STREAM_ENCRYPTED) {
    throw new WireError(
      "too_large",
      `Cannot read stream: encrypted length "${length}" exceeds 20 MiB`,
    );
  }
  const blob = await r.readExact(length);
  const plain = await keyring.decryptPayload(blob, streamAad(length, label));
  if (plain.length === 0) {
    throw new WireError("truncated", "Cannot read stream: decrypted payload is empty");
  }
  return plain;
}

function streamAad(length: number, label: string): Uint8Array {
  const lab = utf8.encode(label);
  const aad = new Uint8Array(STREAM_ENCRYPT_HEADER_SIZE + lab.length);
  aad[0] = MessageType.ENCRYPT;
  new DataView(aad.buffer).setUint32(1, length);
  aad.set(lab, STREAM_ENCRYPT_HEADER_SIZE);
  return aad;
}

function prefixed(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + body.length);
  out[0] = type;
  out.set(body, 1);
  return out;
}

async function readBody(r: StreamReader, type: number): Promise<StreamMessage> {
  switch (type) {
    case MessageType.PING:
      return readPing(await readStreamObject(r));
    case MessageType.ACK:
      return readAck(await readStreamObject(r));
    case MessageType.PUSH_PULL:
      return await readPushPull(r);
    case MessageType.USER:
      return await readUser(r);
    case MessageType.ERR:
      return readErr(await readStreamObject(r));
  }
  throw new WireError("unknown_type", `Cannot read stream: type "${type}" is not a stream message`);
}

async function readUser(r: StreamReader): Promise<UserMessage> {
  const h = await readStreamObject(r);
  let len = 0;
  readFields(h, (key) => key === "UserMsgLen" ? (len = h.readInt(), true) : false);
  checkCount(len, MAX_STREAM_USER_STATE, "user message length");
  return { type: "user", payload: await r.readExact(len) };
}

function readErr(r: MsgpackReader): ErrorResponseMessage {
  let error = "";
  readFields(r, (key) => key === "Error" ? (error = r.readString(), true) : false);
  return { type: "err", error };
}

/** Options of {@link encodeStreamMessage}. */
export interface EncodeStreamOptions {
  /** LZW-compress the message (Go does whenever compression is on, with no size check). */
  readonly compress: boolean;
  /** Encrypt with the primary key in `0A` framing. @default none */
  readonly keyring?: Keyring;
  /** The label: in the AAD always, in a header only with `writeLabel`. @default "" */
  readonly label?: string;
  /** Write the label header (only the dialer does, once, at the start). */
  readonly writeLabel: boolean;
}

/**
 * Encodes one stream message with Go's wrappers: compress, then encrypt,
 * then (dialer only) the label header.
 *
 * @param msg The message.
 * @param opts Wrapper settings.
 * @returns The bytes to write.
 * @throws {RangeError} For a label over 255 bytes or invalid field values.
 * @example
 * ```ts
 * import { encodeStreamMessage } from "./stream_codec.ts";
 * await encodeStreamMessage({ type: "err", error: "x" }, { compress: false, writeLabel: false });
 * // 0d 81 a5 "Error" a1 "x"
 * ```
 */
export async function encodeStreamMessage(
  msg: StreamMessage,
  opts: EncodeStreamOptions,
): Promise<Uint8Array> {
  let bytes = encodePlainStreamMessage(msg);
  if (opts.compress) bytes = compressMessage(bytes);
  const label = opts.label ?? "";
  if (opts.keyring) {
    const length = bytes.length + ENCRYPTION_OVERHEAD_V1;
    const blob = await opts.keyring.encryptPayload(bytes, streamAad(length, label));
    const framed = new Uint8Array(STREAM_ENCRYPT_HEADER_SIZE + blob.length);
    framed.set(streamAad(blob.length, ""));
    framed.set(blob, STREAM_ENCRYPT_HEADER_SIZE);
    bytes = framed;
  }
  if (!opts.writeLabel || label === "") return bytes;
  const header = labelHeader(label);
  const out = new Uint8Array(header.length + bytes.length);
  out.set(header);
  out.set(bytes, header.length);
  return out;
}

/**
 * Encodes a stream message without any wrapper (type byte onwards).
 *
 * @param msg The message.
 * @returns The bytes.
 * @throws {RangeError} For invalid field values.
 */
export function encodePlainStreamMessage(msg: StreamMessage): Uint8Array {
  const w = new MsgpackWriter(256);
  switch (msg.type) {
    case "ping":
      writePing(w.byte(MessageType.PING), msg);
      break;
    case "ack":
      writeAckBody(w.byte(MessageType.ACK), msg);
      break;
    case "pushPull":
      writePushPull(w, msg);
      break;
    case "user":
      w.byte(MessageType.USER).mapHeader(1).str("UserMsgLen").uint(msg.payload.length);
      w.raw(msg.payload);
      break;
    case "err":
      w.byte(MessageType.ERR).mapHeader(1).str("Error").str(msg.error);
      break;
    default:
      throw new TypeError(`Cannot encode stream message "${(msg as { type: string }).type}"`);
  }
  return w.finish();
}
