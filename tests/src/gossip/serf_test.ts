import { RegistryError } from "../../../lib/errors.ts";
import type { NodeRecord } from "../../../src/gossip/delegate.ts";
import type { GossipEvent } from "../../../src/gossip/member.ts";
import { NodeState, type Vsn } from "../../../src/gossip/messages.ts";
import { encodeTags } from "../../../src/gossip/meta.ts";
import { Serf } from "../../../src/gossip/serf.ts";
import type { SerfConfig } from "../../../src/gossip/serf_config.ts";
import { decodeSerfMessage, encodeSerfMessage } from "../../../src/gossip/serf_messages.ts";
import type { SerfHost } from "../../../src/gossip/serf_options.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../../_helpers/assert.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";

const VSN: Vsn = [1, 5, 2, 2, 5, 4];

function record(name: string, ip = "10.0.0.9", state: number = NodeState.ALIVE): NodeRecord {
  return {
    name,
    ip,
    port: 7946,
    meta: encodeTags({ role: name }),
    vsn: VSN,
    incarnation: 1,
    state: state as NodeRecord["state"],
    stateChangeMs: 0,
  };
}

interface Harness {
  serf: Serf;
  clock: ManualClock;
  events: GossipEvent[];
  sent: { addr: string; bytes: Uint8Array }[];
  joins: string[][];
  host: SerfHost;
}

function harness(
  name = "me",
  config: Partial<SerfConfig> = {},
  hostOverrides: Partial<SerfHost> = {},
  random = () => 0.5,
): Harness {
  const clock = new ManualClock(1000);
  const events: GossipEvent[] = [];
  const sent: Harness["sent"] = [];
  const joins: string[][] = [];
  const serf = new Serf({ name, clock, random, onEvent: (e) => events.push(e), config });
  const host: SerfHost = {
    localNode: () => record(name, "10.0.0.1"),
    sendUserPacket: (addr, bytes) => {
      sent.push({ addr, bytes });
      return Promise.resolve();
    },
    join: (addrs) => {
      joins.push(addrs);
      return Promise.resolve(1);
    },
    leave: () => Promise.resolve(),
    updateMeta: () => Promise.resolve(),
    gossipNow: () => {},
    ...hostOverrides,
  };
  serf.attach(host);
  return { serf, clock, events, sent, joins, host };
}

function types(events: GossipEvent[], member: string): string[] {
  return events.flatMap((e) => "member" in e && e.member.name === member ? [e.type] : []);
}

/** Resolves a promise that needs manual-clock time. */
async function settle<T>(clock: ManualClock, p: Promise<T>, maxMs = 30_000): Promise<T> {
  let done = false;
  p.then(() => done = true, () => done = true);
  for (let t = 0; t < maxMs && !done; t += 10) {
    clock.advance(10);
    await new Promise((r) => setTimeout(r, 0));
  }
  return await p;
}

Deno.test("Serf.attach() records the local member alive and reports its join", () => {
  const h = harness();
  assertEquals(h.serf.members().map((m) => [m.name, m.status, m.addr]), [[
    "me",
    "alive",
    "10.0.0.1:7946",
  ]]);
  assertEquals(types(h.events, "me"), ["join"]);
});

Deno.test("Serf.notifyJoin() applies a buffered join intent's time and re-gossips the intent once", () => {
  const h = harness();
  const intent = encodeSerfMessage({ type: "join", lTime: 7, node: "peer" });
  h.serf.notifyUserMessage(intent);
  h.serf.notifyUserMessage(intent);
  assertEquals(h.serf.getBroadcasts(2, 1400).length, 1);
  h.serf.notifyJoin(record("peer"));
  const pp = decodeSerfMessage(h.serf.localState(false));
  assertEquals(pp.type === "pushPull" && pp.statusLTimes.peer, 7);
  assertEquals(types(h.events, "peer"), ["join"]);
});

Deno.test("Serf refutes a leave intent about itself with a fresh join intent", () => {
  const h = harness();
  h.serf.notifyUserMessage(
    encodeSerfMessage({ type: "leave", lTime: 5, node: "me", prune: false }),
  );
  const out = h.serf.getBroadcasts(2, 1400).map(decodeSerfMessage);
  assertEquals(out.map((m) => m.type), ["join"]);
  assertEquals(h.serf.members()[0].status, "alive");
});

Deno.test("Serf.notifyLeave() marks a leaving member left and an alive one failed", () => {
  const h = harness();
  h.serf.notifyJoin(record("a"));
  h.serf.notifyJoin(record("b"));
  h.serf.notifyUserMessage(encodeSerfMessage({ type: "leave", lTime: 3, node: "a", prune: false }));
  h.serf.notifyLeave(record("a", undefined, NodeState.LEFT));
  h.serf.notifyLeave(record("b", undefined, NodeState.DEAD));
  assertEquals(types(h.events, "a"), ["join", "leaving", "left"]);
  assertEquals(types(h.events, "b"), ["join", "failed"]);
});

Deno.test("Serf.notifyUpdate() reports changed tags once and ignores an unchanged record", () => {
  const h = harness();
  h.serf.notifyJoin(record("a"));
  h.serf.notifyUpdate(record("a"));
  h.serf.notifyUpdate({ ...record("a"), meta: encodeTags({ role: "db" }) });
  assertEquals(types(h.events, "a"), ["join", "update"]);
});

Deno.test("Serf.mergeRemoteState() replays left members, status times and events once", async () => {
  const a = harness("a");
  a.serf.notifyJoin(record("x"));
  a.serf.notifyJoin(record("gone"));
  a.serf.notifyUserMessage(
    encodeSerfMessage({ type: "leave", lTime: 4, node: "gone", prune: false }),
  );
  a.serf.notifyLeave(record("gone", undefined, NodeState.LEFT));
  a.serf.sendEvent("deploy", new Uint8Array([1]));
  const b = harness("b", {}, {
    join: () => {
      b.serf.mergeRemoteState(a.serf.localState(true), true);
      return Promise.resolve(1);
    },
  });
  b.serf.notifyJoin(record("gone"));
  assertEquals(await b.serf.join(["a"]), 1);
  assertEquals(types(b.events, "gone"), ["join", "leaving"]);
  assertEquals(b.events.filter((e) => e.type === "user").length, 1);
  b.serf.mergeRemoteState(a.serf.localState(false), false);
  assertEquals(b.events.filter((e) => e.type === "user").length, 1);
});

Deno.test("Serf.join() with ignoreOld skips events older than the seed's event clock", async () => {
  const a = harness("a");
  a.serf.sendEvent("old", new Uint8Array());
  const b = harness("b", {}, {
    join: () => {
      b.serf.mergeRemoteState(a.serf.localState(true), true);
      return Promise.resolve(1);
    },
  });
  await b.serf.join(["a"], true);
  assertEquals(b.events.filter((e) => e.type === "user").length, 0);
});

Deno.test("Serf.leave() waits for the intent to be gossiped, then leaves memberlist", async () => {
  let memberlistLeft = false;
  const h = harness("me", {}, {
    leave: () => {
      memberlistLeft = true;
      return Promise.resolve();
    },
  });
  h.serf.notifyJoin(record("peer"));
  const leaving = h.serf.leave();
  assertEquals(h.serf.state, "leaving");
  for (let i = 0; i < 4; i++) h.serf.getBroadcasts(2, 1400); // 4 transmissions finish it (n = 2)
  await settle(h.clock, leaving);
  assert(memberlistLeft);
  assertEquals(h.serf.state, "left");
  assertEquals(types(h.events, "me"), ["join", "leaving"]);
  await assertRejects(() => h.serf.leave(), RegistryError, "state is left");
});

Deno.test("Serf.leave() asks memberlist to gossip the leave intent at once", async () => {
  let rounds = 0;
  const h = harness("me", {}, { gossipNow: () => rounds++ });
  h.serf.notifyJoin(record("peer"));
  const leaving = h.serf.leave();
  assertEquals(rounds, 1);
  for (let i = 0; i < 4; i++) h.serf.getBroadcasts(2, 1400);
  await settle(h.clock, leaving);
});

Deno.test("Serf.leave() reports LEAVE_TIMEOUT after finishing when memberlist could not confirm", async () => {
  const h = harness("me", {}, {
    leave: () => Promise.reject(new RegistryError("LEAVE_TIMEOUT", "slow")),
  });
  const err = await assertRejects(() => settle(h.clock, h.serf.leave()), RegistryError);
  assertEquals((err as RegistryError).code, "LEAVE_TIMEOUT");
  assertEquals(h.serf.state, "left");
});

Deno.test("Serf reaps failed members after the reconnect timeout", () => {
  const h = harness("me", {
    reconnectTimeoutMs: 1000,
    reapIntervalMs: 500,
    reconnectIntervalMs: 0,
  });
  h.serf.notifyJoin(record("a"));
  h.serf.notifyLeave(record("a"));
  h.clock.advance(1600);
  assertEquals(types(h.events, "a"), ["join", "failed", "reap"]);
  assertEquals(h.serf.members().length, 1);
});

Deno.test("Serf retries a failed member by name and address on the reconnect timer", () => {
  const h = harness("me", { reconnectIntervalMs: 100 }, {}, () => 0);
  h.serf.notifyJoin(record("a", "10.0.0.5"));
  h.serf.notifyLeave(record("a", "10.0.0.5"));
  h.clock.advance(100);
  assertEquals(h.joins, [["a/10.0.0.5:7946"]]);
});

Deno.test("Serf counts undecodable serf messages", () => {
  const h = harness();
  h.serf.notifyUserMessage(new Uint8Array([0x42, 0xff]));
  h.serf.mergeRemoteState(new Uint8Array([2, 0xc1]), false);
  assertEquals(h.serf.stats().serf_bad_message, 1);
  assertEquals(h.serf.stats().serf_bad_push_pull, 1);
});

Deno.test("Serf.sendEvent() rejects an event above the size limit and delivers others locally", () => {
  const h = harness();
  assertThrows(() => h.serf.sendEvent("big", new Uint8Array(600)), RangeError, "exceed");
  h.serf.sendEvent("small", new Uint8Array(3));
  assertEquals(h.events.filter((e) => e.type === "user").length, 1);
  assertEquals(h.serf.stats().serf_event_queue, 1);
});

Deno.test("Serf.setTags() rejects tags above 512 bytes with TAGS_TOO_LARGE", async () => {
  const h = harness();
  const err = await assertRejects(() => h.serf.setTags({ big: "x".repeat(600) }), RegistryError);
  assertEquals((err as RegistryError).code, "TAGS_TOO_LARGE");
  await h.serf.setTags({ role: "web" });
  assertEquals(types(h.events, "me"), ["join", "update"]);
});

Deno.test("Serf.query() answers its own ack locally and gossips the query", async () => {
  const h = harness();
  const result = h.serf.query("ping", new Uint8Array(), { requestAck: true, timeoutMs: 100 });
  assertEquals(h.serf.getBroadcasts(2, 1400).map(decodeSerfMessage)[0].type, "query");
  h.clock.advance(100);
  assertEquals((await result).acks, ["me"]);
  assertEquals(h.sent.length, 0);
});
