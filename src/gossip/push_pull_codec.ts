/**
 * The memberlist push-pull stream message (gossip-wire.md §4): `06`, a
 * `{Join, Nodes, UserStateLen}` header, `Nodes` node-state maps, then
 * `UserStateLen` raw bytes.
 *
 * @module
 */
import type { PushNodeState, PushPullMessage } from "./messages.ts";
import { MsgpackReader, type MsgpackWriter } from "./msgpack.ts";
import type { StreamReader } from "./stream_reader.ts";
import { MAX_PUSH_PULL_NODES, MAX_STREAM_USER_STATE, MessageType } from "./wire_constants.ts";
import { WireError } from "./wire_error.ts";
import { readFields, readU16, readU32, readVsn, vsnBytes } from "./wire_fields.ts";

/** Largest msgpack header or node state accepted on a stream (node Meta is ≤ 512 bytes). */
export const MAX_STREAM_OBJECT = 64 * 1024;

/**
 * Reads one bounded msgpack value from a stream.
 *
 * @param r The stream reader.
 * @returns A reader over exactly that value.
 * @throws {WireError} `truncated`, `too_large` or `bad_msgpack`.
 */
export async function readStreamObject(r: StreamReader): Promise<MsgpackReader> {
  return new MsgpackReader(await r.readMsgpack(MAX_STREAM_OBJECT));
}

/**
 * Checks a declared count or length from a peer.
 *
 * @param value The declared value.
 * @param max The limit.
 * @param what What it counts, for the message.
 * @returns The value.
 * @throws {WireError} `too_large` above `max`, `bad_message` when negative.
 */
export function checkCount(value: number, max: number, what: string): number {
  if (value > max) {
    throw new WireError("too_large", `Cannot read stream: ${what} "${value}" exceeds "${max}"`);
  }
  if (value < 0) {
    throw new WireError("bad_message", `Cannot read stream: ${what} "${value}" is negative`);
  }
  return value;
}

/**
 * Reads a push-pull after its `06` type byte: header, node states, user state.
 *
 * @param r The stream reader.
 * @returns The message.
 * @throws {WireError} `too_large` for counts past the limits, `bad_message`, `truncated`, `bad_msgpack`.
 */
export async function readPushPull(r: StreamReader): Promise<PushPullMessage> {
  const h = await readStreamObject(r);
  let join = false, count = 0, userStateLen = 0;
  readFields(h, (key) => {
    if (key === "Join") join = h.readBool();
    else if (key === "Nodes") count = h.readInt();
    else if (key === "UserStateLen") userStateLen = h.readInt();
    else return false;
    return true;
  });
  checkCount(count, MAX_PUSH_PULL_NODES, "node count");
  checkCount(userStateLen, MAX_STREAM_USER_STATE, "user state length");
  const nodes: PushNodeState[] = [];
  for (let i = 0; i < count; i++) nodes.push(readNodeState(await readStreamObject(r)));
  const userState = await r.readExact(userStateLen);
  return { type: "pushPull", join, nodes, userState };
}

function readNodeState(r: MsgpackReader): PushNodeState {
  const s = {
    addr: new Uint8Array(0) as Uint8Array,
    incarnation: 0,
    meta: new Uint8Array(0) as Uint8Array,
    name: "",
    port: 0,
    state: 0,
    vsn: [0, 0, 0, 0, 0, 0] as PushNodeState["vsn"],
  };
  readFields(r, (key) => {
    if (key === "Addr") s.addr = r.readBytes();
    else if (key === "Incarnation") s.incarnation = readU32(r);
    else if (key === "Meta") s.meta = r.readBytes();
    else if (key === "Name") s.name = r.readString();
    else if (key === "Port") s.port = readU16(r);
    else if (key === "State") s.state = r.readInt();
    else if (key === "Vsn") s.vsn = readVsn(r);
    else return false;
    return true;
  });
  if (s.state < 0 || s.state > 3) {
    throw new WireError("bad_message", `Cannot read push-pull: node state "${s.state}" is unknown`);
  }
  return s as PushNodeState;
}

/**
 * Writes a push-pull: `06`, header, node states, user state.
 *
 * @param w The writer.
 * @param msg The message.
 * @throws {RangeError} For invalid field values.
 */
export function writePushPull(w: MsgpackWriter, msg: PushPullMessage): void {
  w.byte(MessageType.PUSH_PULL).mapHeader(3).str("Join").bool(msg.join);
  w.str("Nodes").uint(msg.nodes.length).str("UserStateLen").uint(msg.userState.length);
  for (const n of msg.nodes) {
    w.mapHeader(7).str("Addr").bytes(n.addr).str("Incarnation").uint(n.incarnation);
    w.str("Meta").bytes(n.meta).str("Name").str(n.name).str("Port").uint(n.port);
    w.str("State").uint(n.state).str("Vsn").bytes(vsnBytes(n.vsn));
  }
  w.raw(msg.userState);
}
