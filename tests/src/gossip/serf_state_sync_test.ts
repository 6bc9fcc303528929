import type { Intent } from "../../../src/gossip/intents.ts";
import { LamportClock } from "../../../src/gossip/lamport_clock.ts";
import { MemberTable } from "../../../src/gossip/serf_members.ts";
import {
  buildLocalState,
  mergeRemoteState,
  type SyncState,
} from "../../../src/gossip/serf_state_sync.ts";
import { UserEventBuffer, type UserEventMessage } from "../../../src/gossip/user_events.ts";
import { assertEquals } from "../../_helpers/assert.ts";

function state() {
  const log = { joins: [] as Intent[], leaves: [] as Intent[], events: [] as UserEventMessage[] };
  const events = new UserEventBuffer(8);
  const s: SyncState = {
    members: new MemberTable(),
    memberClock: new LamportClock(),
    events,
    queryClock: new LamportClock(),
    applyJoin: (i) => log.joins.push(i),
    applyLeave: (i) => log.leaves.push(i),
    receiveEvent: (e) => log.events.push(e),
  };
  return { s, log };
}

Deno.test("buildLocalState() lists status times, left members, clocks and the event ring", () => {
  const { s } = state();
  s.members.nodeJoined({ name: "a", ip: "1.1.1.1", port: 1, tags: {}, vsn: [1, 5, 2, 2, 5, 4] });
  s.members.get("a")!.status = "leaving";
  s.members.nodeLeft("a", false, 0);
  s.events.receive({ lTime: 2, name: "e", payload: new Uint8Array(), cc: false });
  const pp = buildLocalState(s);
  assertEquals(pp.statusLTimes, { a: 0 });
  assertEquals(pp.leftMembers, ["a"]);
  assertEquals([pp.lTime, pp.eventLTime, pp.queryLTime], [1, 3, 1]);
  assertEquals(pp.events.length, 8);
  assertEquals(pp.events[2]?.events[0].name, "e");
});

Deno.test("mergeRemoteState() witnesses clocks and replays leaves, joins and events", () => {
  const { s, log } = state();
  mergeRemoteState(s, {
    type: "pushPull",
    lTime: 10,
    statusLTimes: { a: 4, b: 6 },
    leftMembers: ["a"],
    eventLTime: 20,
    events: [null, { lTime: 17, events: [{ name: "x", payload: new Uint8Array([1]) }] }],
    queryLTime: 30,
  }, false);
  assertEquals([s.memberClock.time(), s.events.clock.time(), s.queryClock.time()], [10, 20, 30]);
  assertEquals(log.leaves, [{ lTime: 5, node: "a" }]);
  assertEquals(log.joins, [{ lTime: 6, node: "b" }]);
  assertEquals(log.events.map((e) => [e.lTime, e.name]), [[17, "x"]]);
});

Deno.test("mergeRemoteState() raises the event minimum time when ignoring old events", () => {
  const { s } = state();
  const pp = {
    type: "pushPull" as const,
    lTime: 0,
    statusLTimes: {},
    leftMembers: [],
    eventLTime: 9,
    events: [],
    queryLTime: 0,
  };
  mergeRemoteState(s, pp, true);
  assertEquals(s.events.minTime, 9);
});
