/**
 * serf's push-pull state, `messagePushPull` (gossip-wire.md §7.5): the
 * body codec used by `serf_messages.ts`.
 *
 * @module
 */
import type { MsgpackReader, MsgpackWriter } from "./msgpack.ts";
import { readFields } from "./wire_fields.ts";

/** One slot of serf's event ring: the events seen at one event-clock time. */
export interface SerfUserEventSlot {
  /** Lamport time (Go uint64). */
  readonly lTime: number;
  /** The events. */
  readonly events: ReadonlyArray<{ readonly name: string; readonly payload: Uint8Array }>;
}

/** serf push-pull state (2), the user state of a memberlist push-pull. */
export interface SerfPushPullMessage {
  /** The message kind. */
  readonly type: "pushPull";
  /** Member clock. */
  readonly lTime: number;
  /** Member name → status LTime. */
  readonly statusLTimes: Readonly<Record<string, number>>;
  /** Names of members that left. */
  readonly leftMembers: readonly string[];
  /** Event clock. */
  readonly eventLTime: number;
  /** The event ring (Go sends all 512 slots, `null` for empty ones); `[]` is fine. */
  readonly events: readonly (SerfUserEventSlot | null)[];
  /** Query clock. */
  readonly queryLTime: number;
}

/**
 * Writes the msgpack body of a serf push-pull (no type byte).
 *
 * @param w The writer.
 * @param m The state.
 * @throws {RangeError} For negative or fractional times.
 */
export function writePushPullBody(w: MsgpackWriter, m: SerfPushPullMessage): void {
  w.mapHeader(6).str("EventLTime").uint(m.eventLTime).str("Events").arrayHeader(m.events.length);
  for (const slot of m.events) {
    if (slot === null) {
      w.nil();
      continue;
    }
    w.mapHeader(2).str("Events").arrayHeader(slot.events.length);
    for (const e of slot.events) {
      w.mapHeader(2).str("Name").str(e.name).str("Payload").bytes(e.payload);
    }
    w.str("LTime").uint(slot.lTime);
  }
  w.str("LTime").uint(m.lTime).str("LeftMembers").arrayHeader(m.leftMembers.length);
  for (const name of m.leftMembers) w.str(name);
  const names = Object.keys(m.statusLTimes);
  w.str("QueryLTime").uint(m.queryLTime).str("StatusLTimes").mapHeader(names.length);
  for (const name of names) w.str(name).uint(m.statusLTimes[name]);
}

/**
 * Reads the msgpack body of a serf push-pull (after the type byte).
 *
 * @param r The reader.
 * @returns The state.
 * @throws {WireError} (`./wire_error.ts`) On malformed input.
 */
export function readPushPullBody(r: MsgpackReader): SerfPushPullMessage {
  let lTime = 0, eventLTime = 0, queryLTime = 0;
  let events: (SerfUserEventSlot | null)[] = [], leftMembers: string[] = [];
  let statusLTimes: Record<string, number> = {};
  readFields(r, (key) => {
    if (key === "LTime") lTime = r.readUint();
    else if (key === "EventLTime") eventLTime = r.readUint();
    else if (key === "QueryLTime") queryLTime = r.readUint();
    else if (key === "Events") events = readSlots(r);
    else if (key === "LeftMembers") leftMembers = readStrings(r);
    else if (key === "StatusLTimes") statusLTimes = readTimes(r);
    else return false;
    return true;
  });
  return { type: "pushPull", lTime, statusLTimes, leftMembers, eventLTime, events, queryLTime };
}

function readStrings(r: MsgpackReader): string[] {
  const n = r.readArrayHeader();
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r.readString());
  return out;
}

function readTimes(r: MsgpackReader): Record<string, number> {
  const n = r.readMapHeader();
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const name = r.readString();
    out[name] = r.readUint();
  }
  return out;
}

function readSlots(r: MsgpackReader): (SerfUserEventSlot | null)[] {
  const n = r.readArrayHeader();
  const out: (SerfUserEventSlot | null)[] = [];
  for (let i = 0; i < n; i++) out.push(r.tryNil() ? null : readSlot(r));
  return out;
}

function readSlot(r: MsgpackReader): SerfUserEventSlot {
  let lTime = 0;
  const events: { name: string; payload: Uint8Array }[] = [];
  readFields(r, (key) => {
    if (key === "LTime") lTime = r.readUint();
    else if (key !== "Events") return false;
    else {
      const n = r.readArrayHeader();
      for (let i = 0; i < n; i++) events.push(readEvent(r));
    }
    return true;
  });
  return { lTime, events };
}

function readEvent(r: MsgpackReader): { name: string; payload: Uint8Array } {
  let name = "", payload: Uint8Array = new Uint8Array(0);
  readFields(r, (key) => {
    if (key === "Name") name = r.readString();
    else if (key === "Payload") payload = r.readBytes();
    else return false;
    return true;
  });
  return { name, payload };
}
