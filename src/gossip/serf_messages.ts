/**
 * serf messages ⇄ bytes: one serf type byte + a msgpack map with Go's field
 * names in Go's order (gossip-wire.md §7.1, §7.2). LTime fields are Go
 * uint64: numbers here, exact up to 2^53 (larger values are refused).
 *
 * @module
 */
import { MsgpackReader, MsgpackWriter } from "./msgpack.ts";
import {
  readConflictMember,
  type SerfConflictMember,
  writeConflictMember,
} from "./serf_conflict_member.ts";
import {
  readQuery,
  readQueryResponse,
  type SerfQueryMessage,
  type SerfQueryResponseMessage,
  writeQuery,
} from "./serf_query_codec.ts";
import { readFields, readU16 } from "./wire_fields.ts";
import { readPushPullBody, type SerfPushPullMessage, writePushPullBody } from "./serf_push_pull.ts";
import { SerfMessageType } from "./wire_constants.ts";
import { WireError } from "./wire_error.ts";

export {
  decodeFilter,
  encodeNodeFilter,
  encodeTagFilter,
  type SerfQueryFilter,
} from "./serf_filters.ts";
export {
  type Coordinate,
  decodeCoordinate,
  encodeCoordinate,
  FRESH_COORDINATE,
} from "./serf_coordinate.ts";
export type { SerfPushPullMessage, SerfUserEventSlot } from "./serf_push_pull.ts";
export type { SerfQueryMessage, SerfQueryResponseMessage } from "./serf_query_codec.ts";
export type { SerfConflictMember } from "./serf_conflict_member.ts";

/** Join intent (1). */
export interface SerfJoinMessage {
  /** The serf message kind. */
  readonly type: "join";
  /** Lamport time (Go uint64). */
  readonly lTime: number;
  /** The member the message is about. */
  readonly node: string;
}

/** Leave intent (0); `prune` erases the member (`force-leave -prune`). */
export interface SerfLeaveMessage {
  /** The serf message kind. */
  readonly type: "leave";
  /** Lamport time (Go uint64). */
  readonly lTime: number;
  /** The member the message is about. */
  readonly node: string;
  /** Erase the member instead of keeping a tombstone. @default false */
  readonly prune?: boolean;
}

/** User event (3). */
export interface SerfUserEventMessage {
  /** The serf message kind. */
  readonly type: "userEvent";
  /** Lamport time (Go uint64). */
  readonly lTime: number;
  /** The name. */
  readonly name: string;
  /** Opaque payload bytes. */
  readonly payload: Uint8Array;
  /** "Can coalesce". */
  readonly cc: boolean;
}

/** Conflict response (6); `member` null when the name is unknown (nil on the wire). */
export interface SerfConflictResponseMessage {
  /** The serf message kind. */
  readonly type: "conflictResponse";
  /** The member as the responder knows it. */
  readonly member: SerfConflictMember | null;
}

/** Key request (7): the key for install/use/remove; empty for list. */
export interface SerfKeyRequestMessage {
  /** The serf message kind. */
  readonly type: "keyRequest";
  /** A raw AES key (empty for list-keys). */
  readonly key: Uint8Array;
}

/** Key response (8); keys in base64. */
export interface SerfKeyResponseMessage {
  /** The serf message kind. */
  readonly type: "keyResponse";
  /** Installed keys, base64, primary first. */
  readonly keys: readonly string[];
  /** An error message when `result` is false. */
  readonly message: string;
  /** The primary key, base64. */
  readonly primaryKey: string;
  /** Whether the operation succeeded. */
  readonly result: boolean;
}

/** Relay (9): forward `inner` (a serf message, type byte first) to `destIp:destPort`. */
export interface SerfRelayMessage {
  /** The serf message kind. */
  readonly type: "relay";
  /** The final destination IP (4 or 16 bytes). */
  readonly destIp: Uint8Array;
  /** The final destination port. */
  readonly destPort: number;
  /** The final destination member name. */
  readonly destName: string;
  /** The serf message to forward, type byte first. */
  readonly inner: Uint8Array;
}

/** Any serf message. */
export type SerfMessage =
  | SerfJoinMessage
  | SerfLeaveMessage
  | SerfPushPullMessage
  | SerfUserEventMessage
  | SerfQueryMessage
  | SerfQueryResponseMessage
  | SerfConflictResponseMessage
  | SerfKeyRequestMessage
  | SerfKeyResponseMessage
  | SerfRelayMessage;

/**
 * Encodes a serf message: type byte + msgpack (keys in Go's order).
 *
 * @param msg The message.
 * @returns The bytes (wrap in a memberlist user message `08` to send).
 * @throws {RangeError} For negative, fractional or oversized numeric fields.
 * @example
 * ```ts
 * import { encodeSerfMessage } from "./serf_messages.ts";
 * encodeSerfMessage({ type: "join", lTime: 1, node: "beta" });
 * // 01 82 a5 "LTime" 01 a4 "Node" a4 "beta"
 * ```
 */
export function encodeSerfMessage(msg: SerfMessage): Uint8Array {
  const w = new MsgpackWriter(128);
  switch (msg.type) {
    case "join":
      w.byte(SerfMessageType.JOIN).mapHeader(2).str("LTime").uint(msg.lTime);
      w.str("Node").str(msg.node);
      break;
    case "leave":
      w.byte(SerfMessageType.LEAVE).mapHeader(3).str("LTime").uint(msg.lTime);
      w.str("Node").str(msg.node).str("Prune").bool(msg.prune ?? false);
      break;
    case "pushPull":
      writePushPullBody(w.byte(SerfMessageType.PUSH_PULL), msg);
      break;
    case "userEvent":
      w.byte(SerfMessageType.USER_EVENT).mapHeader(4).str("CC").bool(msg.cc);
      w.str("LTime").uint(msg.lTime).str("Name").str(msg.name).str("Payload").bytes(msg.payload);
      break;
    case "query":
      writeQuery(w.byte(SerfMessageType.QUERY), msg);
      break;
    case "queryResponse":
      w.byte(SerfMessageType.QUERY_RESPONSE).mapHeader(5).str("Flags").uint(msg.flags);
      w.str("From").str(msg.from).str("ID").uint(msg.id).str("LTime").uint(msg.lTime);
      w.str("Payload").bytes(msg.payload.length > 0 ? msg.payload : undefined);
      break;
    default:
      writeRest(w, msg);
  }
  return w.finish();
}

function writeRest(
  w: MsgpackWriter,
  msg: Exclude<
    SerfMessage,
    { type: "join" | "leave" | "pushPull" | "userEvent" | "query" | "queryResponse" }
  >,
): void {
  switch (msg.type) {
    case "conflictResponse":
      writeConflictMember(w.byte(SerfMessageType.CONFLICT_RESPONSE), msg.member);
      return;
    case "keyRequest":
      w.byte(SerfMessageType.KEY_REQUEST).mapHeader(1).str("Key").bytes(msg.key);
      return;
    case "keyResponse":
      w.byte(SerfMessageType.KEY_RESPONSE).mapHeader(4).str("Keys").arrayHeader(msg.keys.length);
      for (const k of msg.keys) w.str(k);
      w.str("Message").str(msg.message).str("PrimaryKey").str(msg.primaryKey);
      w.str("Result").bool(msg.result);
      return;
    case "relay":
      w.byte(SerfMessageType.RELAY).mapHeader(2).str("DestAddr").mapHeader(3);
      w.str("IP").bytes(msg.destIp).str("Port").uint(msg.destPort).str("Zone").str("");
      w.str("DestName").str(msg.destName).raw(msg.inner);
      return;
  }
  throw new TypeError(`Cannot encode serf message "${(msg as { type: string }).type}"`);
}

/**
 * Decodes a serf message (type byte first). Unknown keys are skipped and
 * missing ones are zero, like Go.
 *
 * @param bytes The bytes.
 * @returns The message; byte fields are views into `bytes`.
 * @throws {WireError} `truncated`, `bad_msgpack` or `unknown_type`.
 * @example
 * ```ts
 * import { decodeSerfMessage, encodeSerfMessage } from "./serf_messages.ts";
 * decodeSerfMessage(encodeSerfMessage({ type: "join", lTime: 1, node: "b" }));
 * // { type: "join", lTime: 1, node: "b" }
 * ```
 */
export function decodeSerfMessage(bytes: Uint8Array): SerfMessage {
  if (bytes.length === 0) {
    throw new WireError("truncated", "Cannot decode serf message: it is empty");
  }
  const r = new MsgpackReader(bytes, 1);
  switch (bytes[0]) {
    case SerfMessageType.JOIN: {
      const { lTime, node } = readIntent(r);
      return { type: "join", lTime, node };
    }
    case SerfMessageType.LEAVE:
      return { type: "leave", ...readIntent(r) };
    case SerfMessageType.PUSH_PULL:
      return readPushPullBody(r);
    case SerfMessageType.USER_EVENT:
      return readUserEvent(r);
    case SerfMessageType.QUERY:
      return readQuery(r);
    case SerfMessageType.QUERY_RESPONSE:
      return readQueryResponse(r);
    case SerfMessageType.CONFLICT_RESPONSE:
      return { type: "conflictResponse", member: r.tryNil() ? null : readConflictMember(r) };
    case SerfMessageType.KEY_REQUEST:
      return readKeyRequest(r);
    case SerfMessageType.KEY_RESPONSE:
      return readKeyResponse(r);
    case SerfMessageType.RELAY:
      return readRelay(r, bytes);
  }
  throw new WireError("unknown_type", `Cannot decode serf message: type "${bytes[0]}" is unknown`);
}

function readIntent(r: MsgpackReader): { lTime: number; node: string; prune: boolean } {
  let lTime = 0, node = "", prune = false;
  readFields(r, (key) => {
    if (key === "LTime") lTime = r.readUint();
    else if (key === "Node") node = r.readString();
    else if (key === "Prune") prune = r.readBool();
    else return false;
    return true;
  });
  return { lTime, node, prune };
}

function readUserEvent(r: MsgpackReader): SerfUserEventMessage {
  let lTime = 0, name = "", payload: Uint8Array = new Uint8Array(0), cc = false;
  readFields(r, (key) => {
    if (key === "LTime") lTime = r.readUint();
    else if (key === "Name") name = r.readString();
    else if (key === "Payload") payload = r.readBytes();
    else if (key === "CC") cc = r.readBool();
    else return false;
    return true;
  });
  return { type: "userEvent", lTime, name, payload, cc };
}

function readKeyRequest(r: MsgpackReader): SerfKeyRequestMessage {
  let key: Uint8Array = new Uint8Array(0);
  readFields(r, (k) => k === "Key" ? (key = r.readBytes(), true) : false);
  return { type: "keyRequest", key };
}

function readKeyResponse(r: MsgpackReader): SerfKeyResponseMessage {
  let keys: string[] = [], message = "", primaryKey = "", result = false;
  readFields(r, (key) => {
    if (key === "Keys") keys = Array.from({ length: r.readArrayHeader() }, () => r.readString());
    else if (key === "Message") message = r.readString();
    else if (key === "PrimaryKey") primaryKey = r.readString();
    else if (key === "Result") result = r.readBool();
    else return false;
    return true;
  });
  return { type: "keyResponse", keys, message, primaryKey, result };
}

function readRelay(r: MsgpackReader, bytes: Uint8Array): SerfRelayMessage {
  let destIp: Uint8Array = new Uint8Array(0), destPort = 0, destName = "";
  readFields(r, (key) => {
    if (key === "DestName") destName = r.readString();
    else if (key !== "DestAddr") return false;
    else {
      readFields(r, (k) => {
        if (k === "IP") destIp = r.readBytes();
        else if (k === "Port") destPort = readU16(r);
        else return false;
        return true;
      });
    }
    return true;
  });
  const inner = bytes.subarray(r.offset);
  if (inner.length === 0) {
    throw new WireError("truncated", "Cannot decode relay: inner message is missing");
  }
  return { type: "relay", destIp, destPort, destName, inner };
}
