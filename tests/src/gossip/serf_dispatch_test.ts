import { noopLogger } from "../../../src/logger.ts";
import type { GossipEvent } from "../../../src/gossip/member.ts";
import { LamportClock } from "../../../src/gossip/lamport_clock.ts";
import { resolveSerfConfig } from "../../../src/gossip/serf_config.ts";
import {
  broadcastJoin,
  dispatchSerfMessage,
  type SerfCore,
} from "../../../src/gossip/serf_dispatch.ts";
import { MemberTable } from "../../../src/gossip/serf_members.ts";
import { decodeSerfMessage } from "../../../src/gossip/serf_messages.ts";
import type { SerfQueries } from "../../../src/gossip/serf_queries.ts";
import { SerfQueues } from "../../../src/gossip/serf_queues.ts";
import { SerfTimers } from "../../../src/gossip/serf_timers.ts";
import { UserEventBuffer } from "../../../src/gossip/user_events.ts";
import { assertEquals } from "../../_helpers/assert.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";

function core(alive = true) {
  const clock = new ManualClock(0);
  const emitted: GossipEvent[] = [];
  const members = new MemberTable();
  const c: SerfCore = {
    name: "me",
    config: resolveSerfConfig({ broadcastTimeoutMs: 100, leavePropagateDelayMs: 50 }),
    clock,
    log: noopLogger,
    members,
    memberClock: new LamportClock(),
    events: new UserEventBuffer(16),
    queues: new SerfQueues(4, () => members.size),
    queries: { receive: () => true, record: () => {}, relay: () => {} } as unknown as SerfQueries,
    timers: new SerfTimers(clock),
    isAlive: () => alive,
    emit: (e) => emitted.push(e),
    count: () => {},
  };
  for (const name of ["me", "a"]) {
    members.nodeJoined({ name, ip: "10.0.0.1", port: 1, tags: {}, vsn: [1, 5, 2, 2, 5, 4] });
  }
  return { c, clock, emitted };
}

Deno.test("dispatchSerfMessage() re-gossips new intents and events, not duplicates", () => {
  const { c, emitted } = core();
  assertEquals(dispatchSerfMessage(c, { type: "join", lTime: 3, node: "a" }), true);
  assertEquals(dispatchSerfMessage(c, { type: "join", lTime: 3, node: "a" }), false);
  const ev = {
    type: "userEvent" as const,
    lTime: 1,
    name: "x",
    payload: new Uint8Array(),
    cc: true,
  };
  assertEquals(dispatchSerfMessage(c, ev), true);
  assertEquals(dispatchSerfMessage(c, ev), false);
  assertEquals(emitted.map((e) => e.type), ["user"]);
});

Deno.test("dispatchSerfMessage() never re-gossips query responses or relays", () => {
  const { c } = core();
  const r = {
    type: "queryResponse" as const,
    lTime: 1,
    id: 1,
    from: "a",
    flags: 0,
    payload: new Uint8Array(),
  };
  assertEquals(dispatchSerfMessage(c, r), false);
});

Deno.test("dispatchSerfMessage() prunes a leaving member after the broadcast and propagate delay", () => {
  const { c, clock, emitted } = core();
  dispatchSerfMessage(c, { type: "leave", lTime: 5, node: "a", prune: true });
  assertEquals(c.members.get("a")?.status, "leaving");
  clock.advance(149);
  assertEquals(c.members.get("a")?.status, "leaving");
  clock.advance(1);
  assertEquals(c.members.get("a"), undefined);
  assertEquals(emitted.map((e) => e.type), ["leaving", "reap"]);
});

Deno.test("broadcastJoin() queues our join intent at the given time", () => {
  const { c } = core();
  broadcastJoin(c, 4);
  const [msg] = c.queues.take(1, 1400).map(decodeSerfMessage);
  assertEquals(msg, { type: "join", lTime: 4, node: "me" });
  assertEquals(c.memberClock.time(), 5);
});
