import { applyJoinIntent, applyLeaveIntent } from "../../../src/gossip/intents.ts";
import { LamportClock } from "../../../src/gossip/lamport_clock.ts";
import { MemberTable } from "../../../src/gossip/serf_members.ts";
import { assertEquals } from "../../_helpers/assert.ts";

const VSN = [1, 5, 2, 2, 5, 4] as const;
function table(...names: string[]): MemberTable {
  const t = new MemberTable();
  for (const name of names) t.nodeJoined({ name, ip: "127.0.0.1", port: 1, tags: {}, vsn: VSN });
  return t;
}
const CTX = { localName: "me", localAlive: true, nowMs: 0 };

Deno.test("applyJoinIntent() witnesses the intent time", () => {
  const clock = new LamportClock();
  applyJoinIntent(table("a"), clock, { lTime: 9, node: "a" }, 0);
  assertEquals(clock.time(), 10);
});

Deno.test("applyJoinIntent() buffers an intent about an unknown member and re-gossips it once", () => {
  const t = table();
  const clock = new LamportClock();
  assertEquals(applyJoinIntent(t, clock, { lTime: 3, node: "x" }, 0).rebroadcast, true);
  assertEquals(applyJoinIntent(t, clock, { lTime: 3, node: "x" }, 0).rebroadcast, false);
  assertEquals(t.recentIntent("x", "join"), 3);
});

Deno.test("applyJoinIntent() ignores an intent not newer than the member's status time", () => {
  const t = table("a");
  const clock = new LamportClock();
  assertEquals(applyJoinIntent(t, clock, { lTime: 4, node: "a" }, 0).rebroadcast, true);
  assertEquals(applyJoinIntent(t, clock, { lTime: 4, node: "a" }, 0).rebroadcast, false);
});

Deno.test("applyJoinIntent() brings a leaving member back to alive", () => {
  const t = table("a");
  t.get("a")!.status = "leaving";
  const out = applyJoinIntent(t, new LamportClock(), { lTime: 2, node: "a" }, 0);
  assertEquals(out.events.map((e) => e.type), ["join"]);
  assertEquals(t.get("a")?.status, "alive");
});

Deno.test("applyLeaveIntent() marks an alive member leaving and re-gossips", () => {
  const t = table("a");
  const out = applyLeaveIntent(t, new LamportClock(), { lTime: 2, node: "a" }, CTX);
  assertEquals(out.rebroadcast, true);
  assertEquals(out.events.map((e) => e.type), ["leaving"]);
  assertEquals(t.get("a")?.status, "leaving");
});

Deno.test("applyLeaveIntent() turns a failed member into left (forced leave)", () => {
  const t = table("a");
  t.nodeLeft("a", false, 5);
  const out = applyLeaveIntent(t, new LamportClock(), { lTime: 2, node: "a" }, {
    ...CTX,
    nowMs: 9,
  });
  assertEquals(out.events.map((e) => e.type), ["left"]);
  assertEquals(t.get("a")?.leaveTimeMs, 9);
});

Deno.test("applyLeaveIntent() about us while alive asks for a refutation, not a re-gossip", () => {
  const t = table("me");
  const out = applyLeaveIntent(t, new LamportClock(), { lTime: 2, node: "me" }, CTX);
  assertEquals(out.refute, true);
  assertEquals(out.rebroadcast, false);
  assertEquals(t.get("me")?.status, "alive");
});

Deno.test("applyLeaveIntent() about us while leaving applies it", () => {
  const t = table("me");
  const out = applyLeaveIntent(t, new LamportClock(), { lTime: 2, node: "me" }, {
    ...CTX,
    localAlive: false,
  });
  assertEquals(out.refute, false);
  assertEquals(t.get("me")?.status, "leaving");
});

Deno.test("applyLeaveIntent() with prune names the member to erase", () => {
  const t = table("a");
  const out = applyLeaveIntent(t, new LamportClock(), { lTime: 2, node: "a", prune: true }, CTX);
  assertEquals(out.prune, "a");
});

Deno.test("applyLeaveIntent() ignores a stale intent", () => {
  const t = table("a");
  t.get("a")!.statusLTime = 5;
  const out = applyLeaveIntent(t, new LamportClock(), { lTime: 5, node: "a" }, CTX);
  assertEquals(out.rebroadcast, false);
  assertEquals(t.get("a")?.status, "alive");
});
