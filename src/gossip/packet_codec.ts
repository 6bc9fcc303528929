/**
 * The UDP edge: whole datagrams ⇄ memberlist messages (gossip-wire.md §2.2).
 *
 * Receive strips, in order: the label header (`F4`), encryption (AAD = the
 * label bytes), an outer CRC (`0C`); then dispatches recursively through
 * compress (`09`) and compound (`07`) wrappers, at most
 * `MAX_PACKET_NESTING` deep. Failures of the outer layers reject the whole
 * packet. Inside a compound, a bad part is skipped and recorded, like Go,
 * which logs it and handles the other parts.
 *
 * @module
 */
import type { PacketMessage } from "./messages.ts";
import type { Keyring } from "./keyring.ts";
import { crc32 } from "./crc32.ts";
import { lzwCompress, lzwDecompress } from "./lzw.ts";
import { decodeMessage, encodeCompound, readFields, splitCompound } from "./message_codec.ts";
import { MsgpackReader, MsgpackWriter } from "./msgpack.ts";
import {
  COMPRESSION_LZW,
  CRC_HEADER_SIZE,
  LABEL_MAX,
  MAX_PACKET_DECOMPRESSED,
  MAX_PACKET_NESTING,
  MessageType,
} from "./wire_constants.ts";
import { WireError } from "./wire_error.ts";

const utf8 = new TextEncoder();
const EMPTY = new Uint8Array(0);

/** Options of {@link decodePacket}. */
export interface DecodePacketOptions {
  /** Keys to decrypt with; without one, packets must be plaintext. @default none */
  readonly keyring?: Keyring;
  /** Our label; traffic with another label is dropped. @default "" (no label) */
  readonly label?: string;
  /** Accept unlabeled packets even with a label set (a labeled one is then an error). @default false */
  readonly skipInboundLabelCheck?: boolean;
  /** With a keyring: refuse plaintext (false = rolling-upgrade mode, accept both). @default true */
  readonly verifyIncoming?: boolean;
}

/** Everything {@link decodePacketDetailed} found in one datagram. */
export interface DecodedPacket {
  /** The messages that decoded, in order. */
  readonly messages: PacketMessage[];
  /** Compound parts that were skipped, and why (truncated parts included). */
  readonly dropped: WireError[];
}

/**
 * Splits a label header off the front of a packet or stream start.
 *
 * @param bytes The input.
 * @returns The label ("" if none) and the rest.
 * @throws {WireError} `bad_label` for an empty or cut-off header.
 */
export function stripLabel(bytes: Uint8Array): { label: string; rest: Uint8Array } {
  if (bytes.length === 0 || bytes[0] !== MessageType.HAS_LABEL) return { label: "", rest: bytes };
  if (bytes.length < 2) throw new WireError("bad_label", "Cannot read label: header is cut off");
  const n = bytes[1];
  if (n === 0) throw new WireError("bad_label", "Cannot read label: header is empty");
  if (bytes.length < 2 + n) throw new WireError("bad_label", "Cannot read label: it is cut off");
  return {
    label: new TextDecoder().decode(bytes.subarray(2, 2 + n)),
    rest: bytes.subarray(2 + n),
  };
}

/**
 * Applies memberlist's label rule to a received label.
 *
 * @param received The label found ("" = none).
 * @param ours Our label.
 * @param skipCheck `SkipInboundLabelCheck`.
 * @returns The label to use as authenticated data.
 * @throws {WireError} `label_mismatch`.
 */
export function checkLabel(received: string, ours: string, skipCheck: boolean): string {
  if (skipCheck) {
    if (received !== "") {
      throw new WireError(
        "label_mismatch",
        `Cannot accept label "${received}": checks are skipped`,
      );
    }
    return ours;
  }
  if (received !== ours) {
    throw new WireError("label_mismatch", `Cannot accept label "${received}": expected "${ours}"`);
  }
  return ours;
}

/**
 * The label header bytes for a label ("" → none).
 *
 * @param label The label.
 * @returns `F4 | len | label`, or empty.
 * @throws {RangeError} If the label exceeds 255 bytes.
 */
export function labelHeader(label: string): Uint8Array {
  if (label === "") return EMPTY;
  const bytes = utf8.encode(label);
  if (bytes.length > LABEL_MAX) throw new RangeError(`Label "${label}" exceeds 255 bytes`);
  const out = new Uint8Array(2 + bytes.length);
  out[0] = MessageType.HAS_LABEL;
  out[1] = bytes.length;
  out.set(bytes, 2);
  return out;
}

/**
 * Decodes one datagram into its messages (see the module notes for the order).
 *
 * @param bytes The datagram.
 * @param opts Keyring and label settings.
 * @returns The messages and the skipped compound parts.
 * @throws {WireError} When the packet as a whole is unusable (label, decryption, CRC, top-level message).
 */
export async function decodePacketDetailed(
  bytes: Uint8Array,
  opts: DecodePacketOptions = {},
): Promise<DecodedPacket> {
  const { label, rest } = stripLabel(bytes);
  const aadLabel = checkLabel(label, opts.label ?? "", opts.skipInboundLabelCheck ?? false);
  let buf = rest;
  if (opts.keyring) {
    try {
      buf = await opts.keyring.decryptPayload(rest, utf8.encode(aadLabel));
    } catch (e) {
      // Rolling-upgrade mode: undecryptable input is taken as plaintext.
      if (opts.verifyIncoming ?? true) throw e;
    }
  }
  if (buf.length >= CRC_HEADER_SIZE && buf[0] === MessageType.HAS_CRC) {
    const want = new DataView(buf.buffer, buf.byteOffset + 1, 4).getUint32(0);
    buf = buf.subarray(CRC_HEADER_SIZE);
    const got = crc32(buf);
    if (got !== want) {
      throw new WireError("bad_crc", `Cannot accept packet: CRC "${got}" differs from "${want}"`);
    }
  }
  const out: DecodedPacket = { messages: [], dropped: [] };
  dispatch(buf, 0, out);
  return out;
}

/**
 * Decodes one datagram into its messages; skipped compound parts are
 * ignored unless nothing decoded at all, in which case the first one is thrown.
 *
 * @param bytes The datagram.
 * @param opts Keyring and label settings.
 * @returns The messages, in order.
 * @throws {WireError} With a reason to count the drop by.
 * @example
 * ```ts
 * import { decodePacket } from "./packet_codec.ts";
 * await decodePacket(new Uint8Array([0x0b, 0x81, 0xa5, 83, 101, 113, 78, 111, 0x0f]));
 * // [{ type: "nack", seqNo: 15 }]
 * ```
 */
export async function decodePacket(
  bytes: Uint8Array,
  opts: DecodePacketOptions = {},
): Promise<PacketMessage[]> {
  const { messages, dropped } = await decodePacketDetailed(bytes, opts);
  if (messages.length === 0 && dropped.length > 0) throw dropped[0];
  return messages;
}

function dispatch(buf: Uint8Array, depth: number, out: DecodedPacket): void {
  if (depth > MAX_PACKET_NESTING) {
    throw new WireError(
      "too_deep",
      `Cannot decode packet: wrappers nest beyond "${MAX_PACKET_NESTING}"`,
    );
  }
  if (buf.length === 0) throw new WireError("truncated", "Cannot decode packet: message is empty");
  const type = buf[0];
  if (type === MessageType.COMPRESS) {
    return dispatch(decompressMessage(buf, MAX_PACKET_DECOMPRESSED), depth + 1, out);
  }
  if (type !== MessageType.COMPOUND) return void out.messages.push(decodeMessage(buf));
  const { parts, truncated } = splitCompound(buf);
  for (const part of parts) {
    try {
      dispatch(part, depth + 1, out);
    } catch (e) {
      // One bad part must not lose its siblings; the caller sees it in `dropped`.
      if (!(e instanceof WireError)) throw e;
      out.dropped.push(e);
    }
  }
  for (let i = 0; i < truncated; i++) {
    out.dropped.push(new WireError("truncated", "Cannot decode compound part: it is cut off"));
  }
}

/**
 * Decodes a compress message (`09` + `{Algo, Buf}`) into the message it wraps.
 *
 * @param buf The message, from its `09` type byte.
 * @param maxOutput The most decompressed bytes allowed.
 * @returns The decompressed message (starting with its own type byte).
 * @throws {WireError} `bad_compression` for another algorithm or bad LZW, `too_large`, `bad_msgpack`.
 */
export function decompressMessage(buf: Uint8Array, maxOutput: number): Uint8Array {
  const r = new MsgpackReader(buf, 1);
  let algo = -1;
  let data: Uint8Array = EMPTY;
  readFields(r, (key) => {
    if (key === "Algo") algo = r.readUint();
    else if (key === "Buf") data = r.readBytes();
    else return false;
    return true;
  });
  if (algo !== COMPRESSION_LZW) {
    throw new WireError("bad_compression", `Cannot decompress: algorithm "${algo}" is unknown`);
  }
  const plain = lzwDecompress(data, maxOutput);
  if (plain.length === 0) {
    throw new WireError("bad_compression", "Cannot decompress: result is empty");
  }
  return plain;
}

/**
 * Wraps a message in a compress message: `09` + `{Algo: 0, Buf: lzw}`.
 *
 * @param msg The message to compress.
 * @returns The compress message.
 */
export function compressMessage(msg: Uint8Array): Uint8Array {
  const data = lzwCompress(msg);
  const w = new MsgpackWriter(data.length + 16).byte(MessageType.COMPRESS);
  return w.mapHeader(2).str("Algo").uint(COMPRESSION_LZW).str("Buf").bytes(data).finish();
}

/** Options of {@link encodePacket}. */
export interface EncodePacketOptions {
  /** Add the `0C` CRC wrapper (do so only for peers with PMax ≥ 5). */
  readonly crc: boolean;
  /** LZW-compress, kept only if strictly shorter. @default false */
  readonly compress?: boolean;
  /** Encrypt with the primary key. @default none */
  readonly keyring?: Keyring;
  /** Prefix this label ("" = none). @default "" */
  readonly label?: string;
}

/**
 * Builds one datagram from encoded messages, in Go's wrapper order:
 * compound (several parts), compress, CRC, encrypt, label.
 *
 * @param parts One encoded message, or several for a compound.
 * @param opts Wrapper settings.
 * @returns The datagram.
 * @throws {RangeError} For no parts, more than 255, or a label over 255 bytes.
 * @example
 * ```ts
 * import { encodePacket } from "./packet_codec.ts";
 * await encodePacket(new Uint8Array([0x0b, 0x80]), { crc: true }); // 0c <crc> 0b 80
 * ```
 */
export async function encodePacket(
  parts: readonly Uint8Array[] | Uint8Array,
  opts: EncodePacketOptions,
): Promise<Uint8Array> {
  let msg: Uint8Array;
  if (parts instanceof Uint8Array) msg = parts;
  else if (parts.length === 0) throw new RangeError("Cannot encode packet: no message given");
  else msg = parts.length === 1 ? parts[0] : encodeCompound(parts);
  if (opts.compress) {
    const packed = compressMessage(msg);
    if (packed.length < msg.length) msg = packed;
  }
  if (opts.crc) {
    const out = new Uint8Array(CRC_HEADER_SIZE + msg.length);
    out[0] = MessageType.HAS_CRC;
    new DataView(out.buffer).setUint32(1, crc32(msg));
    out.set(msg, CRC_HEADER_SIZE);
    msg = out;
  }
  const label = opts.label ?? "";
  const header = labelHeader(label);
  if (opts.keyring) msg = await opts.keyring.encryptPayload(msg, utf8.encode(label));
  if (header.length === 0) return msg;
  const out = new Uint8Array(header.length + msg.length);
  out.set(header);
  out.set(msg, header.length);
  return out;
}
