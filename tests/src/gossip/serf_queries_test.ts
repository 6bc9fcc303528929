import { noopLogger } from "../../../src/logger.ts";
import type { NodeRecord } from "../../../src/gossip/delegate.ts";
import { PendingQueries, QUERY_FLAG_ACK, QueryInbox } from "../../../src/gossip/queries.ts";
import { resolveSerfConfig } from "../../../src/gossip/serf_config.ts";
import { MemberTable } from "../../../src/gossip/serf_members.ts";
import { decodeSerfMessage, encodeSerfMessage } from "../../../src/gossip/serf_messages.ts";
import type { SerfHost } from "../../../src/gossip/serf_options.ts";
import { type QueryHandler, SerfQueries } from "../../../src/gossip/serf_queries.ts";
import { assert, assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";

const local: NodeRecord = {
  name: "me",
  ip: "10.0.0.1",
  port: 7946,
  meta: new Uint8Array([0xff, 0x80]),
  vsn: [1, 5, 2, 2, 5, 4],
  incarnation: 1,
  state: 0,
  stateChangeMs: 0,
};

function engine(handler?: QueryHandler) {
  const clock = new ManualClock(0);
  const sent: { addr: string; bytes: Uint8Array }[] = [];
  const counts: Record<string, number> = {};
  let lost = 0;
  const host: SerfHost = {
    localNode: () => local,
    sendUserPacket: (addr, bytes) => (sent.push({ addr, bytes }), Promise.resolve()),
    join: () => Promise.resolve(1),
    leave: () => Promise.resolve(),
    updateMeta: () => Promise.resolve(),
    gossipNow: () => {},
  };
  const members = new MemberTable();
  const q = new SerfQueries({
    name: "me",
    config: resolveSerfConfig(),
    clock,
    random: () => 0.25,
    logger: noopLogger,
    inbox: new QueryInbox(512),
    pending: new PendingQueries(clock),
    tags: () => ({ role: "web" }),
    members,
    host: () => host,
    handler,
    count: (k) => counts[k] = (counts[k] ?? 0) + 1,
    onConflictLost: () => lost++,
  });
  return { q, clock, sent, counts, members, lost: () => lost };
}

function query(name: string, flags: number, extra: Record<string, unknown> = {}) {
  return {
    type: "query" as const,
    lTime: 3,
    id: 11,
    addr: new Uint8Array([10, 0, 0, 2]),
    port: 8000,
    sourceNode: "asker",
    filters: [],
    flags,
    relayFactor: 0,
    timeoutMs: 500,
    name,
    payload: new TextEncoder().encode("p"),
    ...extra,
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

Deno.test("SerfQueries.receive() acks to the querier's address and sends the handler's answer", async () => {
  const e = engine((q) => new TextEncoder().encode(`re:${new TextDecoder().decode(q.payload)}`));
  assertEquals(e.q.receive(query("hello", QUERY_FLAG_ACK)), true);
  await flush();
  const out = e.sent.map((s) => ({ addr: s.addr, msg: decodeSerfMessage(s.bytes) }));
  assertEquals(out.map((o) => o.addr), ["10.0.0.2:8000", "10.0.0.2:8000"]);
  const [ack, resp] = out.map((o) => o.msg);
  assertEquals(ack.type === "queryResponse" && [ack.flags, ack.from, ack.id], [1, "me", 11]);
  assertEquals(resp.type === "queryResponse" && new TextDecoder().decode(resp.payload), "re:p");
});

Deno.test("SerfQueries.receive() drops an answer that comes after the query's timeout", async () => {
  let answer!: (b: Uint8Array) => void;
  const e = engine(() => new Promise((r) => answer = r));
  e.q.receive(query("slow", 0));
  e.clock.advance(501);
  answer(new Uint8Array([1]));
  await flush();
  assertEquals(e.sent.length, 0);
  assertEquals(e.counts.serf_query_answer_late, 1);
});

Deno.test("SerfQueries.receive() answers _serf_ping with the ack only and never calls the handler", async () => {
  let called = false;
  const e = engine(() => (called = true, new Uint8Array()));
  e.q.receive(query("_serf_ping", QUERY_FLAG_ACK));
  await flush();
  assertEquals(e.sent.length, 1);
  assert(!called);
});

Deno.test("SerfQueries.receive() skips a query whose filter does not decode", async () => {
  const e = engine(() => new Uint8Array([1]));
  const verdict = e.q.receive(query("f", QUERY_FLAG_ACK, { filters: [new Uint8Array([9, 9])] }));
  await flush();
  assertEquals(verdict, true);
  assertEquals(e.sent.length, 0);
});

Deno.test("SerfQueries.send() refuses a query above the size limit", () => {
  const e = engine();
  assertThrows(() => e.q.send("big", new Uint8Array(2000), {}), RangeError, "exceed");
});

Deno.test("SerfQueries.relay() forwards the inner message to its destination", () => {
  const e = engine();
  const inner = encodeSerfMessage({
    type: "queryResponse",
    lTime: 1,
    id: 1,
    from: "x",
    flags: 1,
    payload: new Uint8Array(),
  });
  e.q.relay({
    type: "relay",
    destIp: new Uint8Array([10, 0, 0, 3]),
    destPort: 9,
    destName: "d",
    inner,
  });
  assertEquals(e.sent.map((s) => s.addr), ["10.0.0.3:9"]);
  assertEquals(e.sent[0].bytes, inner);
});

Deno.test("SerfQueries.resolveConflict() shuts down when most answers show another address", async () => {
  const e = engine();
  const bytes = e.q.resolveConflict();
  const q = decodeSerfMessage(bytes);
  if (q.type !== "query") throw new Error("not a query");
  const member = (ip: number[]) => ({
    addr: new Uint8Array(ip),
    port: 7946,
    name: "me",
    tags: {},
    status: 1,
    protocolMin: 1,
    protocolMax: 5,
    protocolCur: 2,
    delegateMin: 2,
    delegateMax: 5,
    delegateCur: 4,
  });
  for (
    const [from, ip] of [["a", [10, 0, 0, 99]], ["b", [10, 0, 0, 99]], ["c", [
      10,
      0,
      0,
      1,
    ]]] as const
  ) {
    const payload = encodeSerfMessage({ type: "conflictResponse", member: member([...ip]) });
    e.q.record({ type: "queryResponse", lTime: q.lTime, id: q.id, from, flags: 0, payload });
  }
  e.clock.advance(q.timeoutMs);
  await flush();
  assertEquals(e.lost(), 1);
});

Deno.test("SerfQueries.receive() also sends RelayFactor relayed copies through other members", async () => {
  const e = engine(() => new Uint8Array([1]));
  for (const [i, name] of ["r1", "r2", "r3"].entries()) {
    e.members.nodeJoined({
      name,
      ip: `10.0.1.${i}`,
      port: 7946,
      tags: {},
      vsn: [1, 5, 2, 2, 5, 5],
    });
  }
  e.q.receive(query("hello", 0, { relayFactor: 1 }));
  await flush();
  const msgs = e.sent.map((s) => decodeSerfMessage(s.bytes));
  assertEquals(msgs.map((m) => m.type).sort(), ["queryResponse", "relay"]);
  const relay = e.sent[msgs.findIndex((m) => m.type === "relay")];
  assert(relay.addr.startsWith("10.0.1."));
  const inner = msgs.find((m) => m.type === "relay");
  assertEquals(inner?.type === "relay" && [inner.destPort, inner.destName], [8000, "asker"]);
});
