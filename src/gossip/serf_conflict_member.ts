/**
 * serf's `Member` struct, carried by a conflict response (gossip-wire.md §7.2).
 *
 * @module
 */
import { readStringMap, writeStringMap } from "./meta.ts";
import type { MsgpackReader, MsgpackWriter } from "./msgpack.ts";
import { readFields, readU16 } from "./wire_fields.ts";

/** serf's `Member` as carried by a conflict response. */
export interface SerfConflictMember {
  /** IP, 4 or 16 bytes. */
  readonly addr: Uint8Array;
  /** Gossip port. */
  readonly port: number;
  /** The name. */
  readonly name: string;
  /** The member tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** 0 none, 1 alive, 2 leaving, 3 left, 4 failed. */
  readonly status: number;
  /** memberlist protocol minimum (Vsn[0]). */
  readonly protocolMin: number;
  /** memberlist protocol maximum (Vsn[1]). */
  readonly protocolMax: number;
  /** memberlist protocol in use (Vsn[2]). */
  readonly protocolCur: number;
  /** serf protocol minimum (Vsn[3]). */
  readonly delegateMin: number;
  /** serf protocol maximum (Vsn[4]). */
  readonly delegateMax: number;
  /** serf protocol in use (Vsn[5]). */
  readonly delegateCur: number;
}

/**
 * Writes serf's `Member` struct, or nil.
 *
 * @param w The writer.
 * @param m The member, or null for an unknown name.
 */
export function writeConflictMember(w: MsgpackWriter, m: SerfConflictMember | null): void {
  if (m === null) return void w.nil();
  w.mapHeader(11).str("Addr").bytes(m.addr).str("DelegateCur").uint(m.delegateCur);
  w.str("DelegateMax").uint(m.delegateMax).str("DelegateMin").uint(m.delegateMin);
  w.str("Name").str(m.name).str("Port").uint(m.port).str("ProtocolCur").uint(m.protocolCur);
  w.str("ProtocolMax").uint(m.protocolMax).str("ProtocolMin").uint(m.protocolMin);
  w.str("Status").int(m.status).str("Tags");
  writeStringMap(w, m.tags);
}

const MEMBER_BYTE_FIELDS: Record<string, keyof SerfConflictMember> = {
  DelegateCur: "delegateCur",
  DelegateMax: "delegateMax",
  DelegateMin: "delegateMin",
  ProtocolCur: "protocolCur",
  ProtocolMax: "protocolMax",
  ProtocolMin: "protocolMin",
};

/**
 * Reads serf's `Member` struct (the caller handles nil).
 *
 * @param r The reader.
 * @returns The member.
 * @throws {WireError} On malformed input.
 */
export function readConflictMember(r: MsgpackReader): SerfConflictMember {
  const m: Record<string, unknown> = {
    addr: new Uint8Array(0),
    port: 0,
    name: "",
    tags: {},
    status: 0,
    protocolMin: 0,
    protocolMax: 0,
    protocolCur: 0,
    delegateMin: 0,
    delegateMax: 0,
    delegateCur: 0,
  };
  readFields(r, (key) => {
    if (key in MEMBER_BYTE_FIELDS) m[MEMBER_BYTE_FIELDS[key]] = r.readUint();
    else if (key === "Addr") m.addr = r.readBytes();
    else if (key === "Port") m.port = readU16(r);
    else if (key === "Name") m.name = r.readString();
    else if (key === "Status") m.status = r.readInt();
    else if (key === "Tags") m.tags = readStringMap(r);
    else return false;
    return true;
  });
  return m as unknown as SerfConflictMember;
}
