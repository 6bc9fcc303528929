/**
 * serf query (4) and query response (5) bodies (gossip-wire.md §7.2).
 *
 * @module
 */
import type { MsgpackReader, MsgpackWriter } from "./msgpack.ts";
import { readFields, readU16, readU32 } from "./wire_fields.ts";

/** Query (4). `filters` are raw (`decodeFilter` reads them); `timeoutMs` travels as ns. */
export interface SerfQueryMessage {
  /** The message kind. */
  readonly type: "query";
  /** Lamport time (Go uint64). */
  readonly lTime: number;
  /** Random query id (uint32). */
  readonly id: number;
  /** IP, 4 or 16 bytes. */
  readonly addr: Uint8Array;
  /** Gossip port. */
  readonly port: number;
  /** The querier's name. */
  readonly sourceNode: string;
  /** Raw filters, each a type byte + msgpack. */
  readonly filters: readonly Uint8Array[];
  /** Bit 0: ack requested; bit 1: do not re-broadcast. */
  readonly flags: number;
  /** Extra relayed copies of each response. */
  readonly relayFactor: number;
  /** Query timeout (ns on the wire). */
  readonly timeoutMs: number;
  /** The name. */
  readonly name: string;
  /** Opaque payload bytes. */
  readonly payload: Uint8Array;
}

/** Query response or ack (5); `flags` 1 = ack. An empty payload travels as nil. */
export interface SerfQueryResponseMessage {
  /** The message kind. */
  readonly type: "queryResponse";
  /** Lamport time (Go uint64). */
  readonly lTime: number;
  /** Random query id (uint32). */
  readonly id: number;
  /** The responder's name. */
  readonly from: string;
  /** Flag bits. */
  readonly flags: number;
  /** Opaque payload bytes. */
  readonly payload: Uint8Array;
}

/**
 * Writes a query's msgpack body (no type byte).
 *
 * @param w The writer.
 * @param q The query.
 * @throws {RangeError} For invalid numeric fields.
 */
export function writeQuery(w: MsgpackWriter, q: SerfQueryMessage): void {
  w.mapHeader(11).str("Addr").bytes(q.addr).str("Filters");
  if (q.filters.length === 0) w.nil();
  else {
    w.arrayHeader(q.filters.length);
    for (const f of q.filters) w.bytes(f);
  }
  w.str("Flags").uint(q.flags).str("ID").uint(q.id).str("LTime").uint(q.lTime);
  w.str("Name").str(q.name).str("Payload").bytes(q.payload).str("Port").uint(q.port);
  w.str("RelayFactor").uint(q.relayFactor).str("SourceNode").str(q.sourceNode);
  w.str("Timeout").int(Math.round(q.timeoutMs * 1e6));
}

/**
 * Reads a query's msgpack body (after the type byte).
 *
 * @param r The reader.
 * @returns The query.
 * @throws {WireError} On malformed input.
 */
export function readQuery(r: MsgpackReader): SerfQueryMessage {
  const q = {
    type: "query" as const,
    lTime: 0,
    id: 0,
    addr: new Uint8Array(0) as Uint8Array,
    port: 0,
    sourceNode: "",
    filters: [] as Uint8Array[],
    flags: 0,
    relayFactor: 0,
    timeoutMs: 0,
    name: "",
    payload: new Uint8Array(0) as Uint8Array,
  };
  readFields(r, (key) => {
    if (key === "LTime") q.lTime = r.readUint();
    else if (key === "ID") q.id = readU32(r);
    else if (key === "Addr") q.addr = r.readBytes();
    else if (key === "Port") q.port = readU16(r);
    else if (key === "SourceNode") q.sourceNode = r.readString();
    else if (key === "Filters") q.filters = readByteList(r);
    else if (key === "Flags") q.flags = readU32(r);
    else if (key === "RelayFactor") q.relayFactor = r.readUint();
    else if (key === "Timeout") q.timeoutMs = r.readInt() / 1e6;
    else if (key === "Name") q.name = r.readString();
    else if (key === "Payload") q.payload = r.readBytes();
    else return false;
    return true;
  });
  return q;
}

function readByteList(r: MsgpackReader): Uint8Array[] {
  const n = r.readArrayHeader();
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(r.readBytes());
  return out;
}

/**
 * Reads a query response's msgpack body (after the type byte).
 *
 * @param r The reader.
 * @returns The response.
 * @throws {WireError} On malformed input.
 */
export function readQueryResponse(r: MsgpackReader): SerfQueryResponseMessage {
  let lTime = 0, id = 0, from = "", flags = 0, payload: Uint8Array = new Uint8Array(0);
  readFields(r, (key) => {
    if (key === "LTime") lTime = r.readUint();
    else if (key === "ID") id = readU32(r);
    else if (key === "From") from = r.readString();
    else if (key === "Flags") flags = readU32(r);
    else if (key === "Payload") payload = r.readBytes();
    else return false;
    return true;
  });
  return { type: "queryResponse", lTime, id, from, flags, payload };
}
