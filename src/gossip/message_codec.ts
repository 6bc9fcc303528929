/**
 * memberlist messages ⇄ bytes: one type byte followed by a msgpack map with
 * the Go field names in Go's (byte-sorted) order (gossip-wire.md §4). The
 * compound container (§2.7) and the shared field readers are re-exported.
 *
 * @module
 */
import type {
  AckMessage,
  AliveMessage,
  DeadMessage,
  IndirectPingMessage,
  NackMessage,
  PacketMessage,
  PingMessage,
  SuspectMessage,
  Vsn,
} from "./messages.ts";
import { MsgpackReader, MsgpackWriter } from "./msgpack.ts";
import { MessageType } from "./wire_constants.ts";
import { readFields, readU16, readU32, readVsn, vsnBytes } from "./wire_fields.ts";
import { WireError } from "./wire_error.ts";

/**
 * Encodes one memberlist message: its type byte, then its msgpack body.
 * Optional `source*` fields of ping and indirect ping are left out when
 * empty, like Go's omitempty.
 *
 * @param msg The message.
 * @returns The bytes, ready to send or to put in a compound.
 * @throws {RangeError} If a numeric field is negative or fractional.
 * @example
 * ```ts
 * import { encodeMessage } from "./message_codec.ts";
 * encodeMessage({ type: "nack", seqNo: 15 }); // 0b 81 a5 "SeqNo" 0f
 * ```
 */
export function encodeMessage(msg: PacketMessage): Uint8Array {
  const w = new MsgpackWriter(msg.type === "user" ? msg.payload.length + 1 : 128);
  switch (msg.type) {
    case "ping":
      writePing(w.byte(MessageType.PING), msg);
      break;
    case "indirectPing":
      writeIndirectPing(w.byte(MessageType.INDIRECT_PING), msg);
      break;
    case "ack":
      writeAckBody(w.byte(MessageType.ACK), msg);
      break;
    case "nack":
      w.byte(MessageType.NACK).mapHeader(1).str("SeqNo").uint(msg.seqNo);
      break;
    case "suspect":
      writeAccusation(w.byte(MessageType.SUSPECT), msg);
      break;
    case "dead":
      writeAccusation(w.byte(MessageType.DEAD), msg);
      break;
    case "alive":
      writeAlive(w.byte(MessageType.ALIVE), msg);
      break;
    case "user":
      w.byte(MessageType.USER).raw(msg.payload);
      break;
    default:
      throw new TypeError(`Cannot encode message type "${(msg as { type: string }).type}"`);
  }
  return w.finish();
}

function hasBytes(b: Uint8Array | undefined): b is Uint8Array {
  return b !== undefined && b.length > 0;
}

function sourceCount(msg: PingMessage | IndirectPingMessage): number {
  return (hasBytes(msg.sourceAddr) ? 1 : 0) + (msg.sourceNode ? 1 : 0) +
    (msg.sourcePort ? 1 : 0);
}

function writeSource(w: MsgpackWriter, msg: PingMessage | IndirectPingMessage): void {
  if (hasBytes(msg.sourceAddr)) w.str("SourceAddr").bytes(msg.sourceAddr);
  if (msg.sourceNode) w.str("SourceNode").str(msg.sourceNode);
  if (msg.sourcePort) w.str("SourcePort").uint(msg.sourcePort);
}

/**
 * Writes a ping's msgpack body (no type byte); the stream codec shares it.
 *
 * @param w The writer.
 * @param msg The ping.
 */
export function writePing(w: MsgpackWriter, msg: PingMessage): void {
  w.mapHeader(2 + sourceCount(msg));
  w.str("Node").str(msg.node).str("SeqNo").uint(msg.seqNo);
  writeSource(w, msg);
}

function writeIndirectPing(w: MsgpackWriter, msg: IndirectPingMessage): void {
  w.mapHeader(5 + sourceCount(msg));
  w.str("Nack").bool(msg.nack).str("Node").str(msg.node).str("Port").uint(msg.port);
  w.str("SeqNo").uint(msg.seqNo);
  writeSource(w, msg);
  w.str("Target").bytes(msg.target);
}

/**
 * Writes an ack's msgpack body (no type byte); a missing payload is nil.
 *
 * @param w The writer.
 * @param msg The ack.
 */
export function writeAckBody(w: MsgpackWriter, msg: AckMessage): void {
  w.mapHeader(2).str("Payload").bytes(msg.payload).str("SeqNo").uint(msg.seqNo);
}

function writeAccusation(w: MsgpackWriter, msg: SuspectMessage | DeadMessage): void {
  w.mapHeader(3).str("From").str(msg.from).str("Incarnation").uint(msg.incarnation);
  w.str("Node").str(msg.node);
}

function writeAlive(w: MsgpackWriter, msg: AliveMessage): void {
  w.mapHeader(6).str("Addr").bytes(msg.addr).str("Incarnation").uint(msg.incarnation);
  w.str("Meta").bytes(msg.meta).str("Node").str(msg.node).str("Port").uint(msg.port);
  w.str("Vsn").bytes(vsnBytes(msg.vsn));
}

/**
 * Decodes one memberlist message that starts at its type byte (ping,
 * indirect ping, ack, nack, suspect, dead, alive, user). Unknown keys are
 * skipped, missing ones are zero, trailing bytes after the body are ignored
 * (like Go). Wrappers (compound, compress, CRC, encrypt, label) and stream
 * messages are not handled here.
 *
 * @param bytes The message bytes.
 * @returns The typed message; byte fields are views into `bytes`.
 * @throws {WireError} `truncated`, `bad_msgpack`, `unknown_type` or `bad_message`.
 * @example
 * ```ts
 * import { decodeMessage } from "./message_codec.ts";
 * decodeMessage(new Uint8Array([0x0b, 0x81, 0xa5, 83, 101, 113, 78, 111, 0x0f]));
 * // { type: "nack", seqNo: 15 }
 * ```
 */
export function decodeMessage(bytes: Uint8Array): PacketMessage {
  if (bytes.length === 0) throw new WireError("truncated", "Cannot decode message: it is empty");
  const type = bytes[0];
  if (type === MessageType.USER) return { type: "user", payload: bytes.subarray(1) };
  const r = new MsgpackReader(bytes, 1);
  switch (type) {
    case MessageType.PING:
      return readPing(r);
    case MessageType.INDIRECT_PING:
      return readIndirectPing(r);
    case MessageType.ACK:
      return readAck(r);
    case MessageType.NACK:
      return readNack(r);
    case MessageType.SUSPECT:
      return { type: "suspect", ...readAccusation(r) };
    case MessageType.DEAD:
      return { type: "dead", ...readAccusation(r) };
    case MessageType.ALIVE:
      return readAlive(r);
  }
  throw new WireError(
    "unknown_type",
    `Cannot decode message: type "${type}" is not a packet message`,
  );
}

/**
 * Reads a ping body (after the type byte).
 *
 * @param r The reader.
 * @returns The ping.
 * @throws {WireError} On malformed input.
 */
export function readPing(r: MsgpackReader): PingMessage {
  let node = "", seqNo = 0, sourceNode = "", sourcePort = 0;
  let sourceAddr: Uint8Array | undefined;
  readFields(r, (key) => {
    if (key === "Node") node = r.readString();
    else if (key === "SeqNo") seqNo = readU32(r);
    else if (key === "SourceAddr") sourceAddr = r.readBytesOrNil();
    else if (key === "SourceNode") sourceNode = r.readString();
    else if (key === "SourcePort") sourcePort = readU16(r);
    else return false;
    return true;
  });
  return withSource({ type: "ping", node, seqNo }, sourceAddr, sourceNode, sourcePort);
}

function withSource<T extends PingMessage | IndirectPingMessage>(
  base: T,
  sourceAddr: Uint8Array | undefined,
  sourceNode: string,
  sourcePort: number,
): T {
  const out: Record<string, unknown> = { ...base };
  if (hasBytes(sourceAddr)) out.sourceAddr = sourceAddr;
  if (sourceNode) out.sourceNode = sourceNode;
  if (sourcePort) out.sourcePort = sourcePort;
  return out as T;
}

function readIndirectPing(r: MsgpackReader): IndirectPingMessage {
  let nack = false, node = "", port = 0, seqNo = 0, sourceNode = "", sourcePort = 0;
  let sourceAddr: Uint8Array | undefined, target: Uint8Array = new Uint8Array(0);
  readFields(r, (key) => {
    if (key === "Nack") nack = r.readBool();
    else if (key === "Node") node = r.readString();
    else if (key === "Port") port = readU16(r);
    else if (key === "SeqNo") seqNo = readU32(r);
    else if (key === "SourceAddr") sourceAddr = r.readBytesOrNil();
    else if (key === "SourceNode") sourceNode = r.readString();
    else if (key === "SourcePort") sourcePort = readU16(r);
    else if (key === "Target") target = r.readBytes();
    else return false;
    return true;
  });
  const base: IndirectPingMessage = { type: "indirectPing", nack, node, port, seqNo, target };
  return withSource(base, sourceAddr, sourceNode, sourcePort);
}

/**
 * Reads an ack body (after the type byte). An empty or nil payload is left out.
 *
 * @param r The reader.
 * @returns The ack.
 * @throws {WireError} On malformed input.
 */
export function readAck(r: MsgpackReader): AckMessage {
  let seqNo = 0;
  let payload: Uint8Array | undefined;
  readFields(r, (key) => {
    if (key === "SeqNo") seqNo = readU32(r);
    else if (key === "Payload") payload = r.readBytesOrNil();
    else return false;
    return true;
  });
  return hasBytes(payload) ? { type: "ack", seqNo, payload } : { type: "ack", seqNo };
}

function readNack(r: MsgpackReader): NackMessage {
  let seqNo = 0;
  readFields(r, (key) => key === "SeqNo" ? (seqNo = readU32(r), true) : false);
  return { type: "nack", seqNo };
}

function readAccusation(r: MsgpackReader): { from: string; incarnation: number; node: string } {
  let from = "", incarnation = 0, node = "";
  readFields(r, (key) => {
    if (key === "From") from = r.readString();
    else if (key === "Incarnation") incarnation = readU32(r);
    else if (key === "Node") node = r.readString();
    else return false;
    return true;
  });
  return { from, incarnation, node };
}

function readAlive(r: MsgpackReader): AliveMessage {
  let addr: Uint8Array = new Uint8Array(0), meta: Uint8Array = new Uint8Array(0);
  let incarnation = 0, node = "", port = 0;
  let vsn: Vsn = [0, 0, 0, 0, 0, 0];
  readFields(r, (key) => {
    if (key === "Addr") addr = r.readBytes();
    else if (key === "Incarnation") incarnation = readU32(r);
    else if (key === "Meta") meta = r.readBytes();
    else if (key === "Node") node = r.readString();
    else if (key === "Port") port = readU16(r);
    else if (key === "Vsn") vsn = readVsn(r);
    else return false;
    return true;
  });
  return { type: "alive", addr, incarnation, meta, node, port, vsn };
}

export { type CompoundParts, encodeCompound, splitCompound } from "./compound.ts";
export { readFields, readU16, readU32, readVsn, vsnBytes } from "./wire_fields.ts";
