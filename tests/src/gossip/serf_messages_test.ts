import { assert, assertEquals, assertThrows } from "../../_helpers/assert.ts";
import {
  decodeSerfMessage,
  encodeNodeFilter,
  encodeSerfMessage,
  encodeTagFilter,
  type SerfMessage,
} from "../../../src/gossip/serf_messages.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";
import {
  bytesOf,
  hexOf,
  JOIN_WITH_CRC,
  LEAVE_INTENT,
  QUERY,
  QUERY_ACK,
  SERF_PUSH_PULL,
} from "./_wire_vectors.ts";

const LOCALHOST = new Uint8Array([127, 0, 0, 1]);

function roundTrip(bytes: Uint8Array): SerfMessage {
  const msg = decodeSerfMessage(bytes);
  assertEquals(hexOf(encodeSerfMessage(msg)), hexOf(bytes));
  return msg;
}

function reason(fn: () => unknown): string {
  return (assertThrows(fn, WireError) as WireError).reason;
}

Deno.test("decodeSerfMessage() reads the captured join and leave intents byte for byte", () => {
  assertEquals(roundTrip(JOIN_WITH_CRC.subarray(6)), { type: "join", lTime: 1, node: "beta" });
  assertEquals(roundTrip(LEAVE_INTENT.subarray(6)), {
    type: "leave",
    lTime: 3,
    node: "beta",
    prune: false,
  });
});

Deno.test("decodeSerfMessage() reads the captured query and re-encodes it", () => {
  const q = roundTrip(QUERY.subarray(1));
  assertEquals(q, {
    type: "query",
    lTime: 1,
    id: 0x5f22fba1,
    addr: LOCALHOST,
    port: 7946,
    sourceNode: "alpha",
    filters: [],
    flags: 1,
    relayFactor: 0,
    timeoutMs: 2000,
    name: "uptime",
    payload: new TextEncoder().encode("hello"),
  });
});

Deno.test("decodeSerfMessage() reads the captured query ack with a nil payload", () => {
  assertEquals(roundTrip(QUERY_ACK.subarray(1)), {
    type: "queryResponse",
    lTime: 1,
    id: 0x5f22fba1,
    from: "alpha",
    flags: 1,
    payload: new Uint8Array(0),
  });
});

Deno.test("decodeSerfMessage() reads the captured 588-byte push-pull state", () => {
  const pp = roundTrip(SERF_PUSH_PULL);
  assert(pp.type === "pushPull");
  assertEquals(pp.events.length, 512);
  assert(pp.events.every((e) => e === null));
  assertEquals([pp.lTime, pp.eventLTime, pp.queryLTime], [1, 1, 1]);
  assertEquals(pp.statusLTimes, { beta: 0 });
  assertEquals(pp.leftMembers, []);
});

Deno.test("encodeSerfMessage() round-trips every message type", () => {
  const msgs: SerfMessage[] = [
    {
      type: "pushPull",
      lTime: 2 ** 40,
      statusLTimes: { a: 1, b: 300 },
      leftMembers: ["b"],
      eventLTime: 9,
      events: [null, { lTime: 8, events: [{ name: "deploy", payload: bytesOf("7631") }] }],
      queryLTime: 4,
    },
    { type: "userEvent", lTime: 7, name: "deploy", payload: bytesOf("7631"), cc: true },
    {
      type: "query",
      lTime: 5,
      id: 77,
      addr: new Uint8Array(16),
      port: 7370,
      sourceNode: "n",
      filters: [encodeNodeFilter(["a", "b"]), encodeTagFilter("group", "web.*")],
      flags: 3,
      relayFactor: 2,
      timeoutMs: 1500,
      name: "q",
      payload: new Uint8Array(0),
    },
    { type: "queryResponse", lTime: 5, id: 77, from: "x", flags: 0, payload: bytesOf("01") },
    { type: "conflictResponse", member: null },
    {
      type: "conflictResponse",
      member: {
        addr: LOCALHOST,
        port: 7946,
        name: "alpha",
        tags: { role: "web" },
        status: 1,
        protocolMin: 1,
        protocolMax: 5,
        protocolCur: 2,
        delegateMin: 2,
        delegateMax: 5,
        delegateCur: 4,
      },
    },
    { type: "keyRequest", key: new Uint8Array(32).fill(7) },
    { type: "keyResponse", keys: ["a2V5"], message: "", primaryKey: "a2V5", result: true },
    {
      type: "relay",
      destIp: LOCALHOST,
      destPort: 7946,
      destName: "alpha",
      inner: QUERY_ACK.subarray(1),
    },
  ];
  for (const msg of msgs) assertEquals(decodeSerfMessage(encodeSerfMessage(msg)), msg);
});

Deno.test("encodeSerfMessage() writes the list-keys request like serf", () => {
  const bytes = encodeSerfMessage({ type: "keyRequest", key: new Uint8Array(0) });
  assertEquals(hexOf(bytes), hexOf(bytesOf(`07 81 a3 "Key" a0`)));
});

Deno.test("encodeSerfMessage() writes a relay header then the inner message", () => {
  const bytes = encodeSerfMessage({
    type: "relay",
    destIp: LOCALHOST,
    destPort: 7946,
    destName: "a",
    inner: bytesOf("05 80"),
  });
  assertEquals(
    hexOf(bytes),
    hexOf(bytesOf(
      `09 82 a8 "DestAddr" 83 a2 "IP" a4 7f000001 a4 "Port" cd 1f0a a4 "Zone" a0
       a8 "DestName" a1 "a" 05 80`,
    )),
  );
});

Deno.test("decodeSerfMessage() throws typed errors for garbage", () => {
  assertEquals(reason(() => decodeSerfMessage(new Uint8Array(0))), "truncated");
  assertEquals(reason(() => decodeSerfMessage(bytesOf("0a 80"))), "unknown_type");
  assertEquals(reason(() => decodeSerfMessage(bytesOf(`01 81 a5 "LTime" ff`))), "bad_msgpack");
  assertEquals(reason(() => decodeSerfMessage(bytesOf(`09 80`))), "truncated");
  for (let cut = 1; cut < QUERY.length - 1; cut++) {
    assertEquals(reason(() => decodeSerfMessage(QUERY.subarray(1, cut))), "truncated", `${cut}`);
  }
});
