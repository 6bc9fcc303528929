import {
  formatAddr,
  MemberTable,
  type MemberUpdate,
  toGossipMember,
} from "../../../src/gossip/serf_members.ts";
import { assertEquals } from "../../_helpers/assert.ts";

const VSN = [1, 5, 2, 2, 5, 4] as const;
function node(name: string, tags: Record<string, string> = {}): MemberUpdate {
  return { name, ip: "127.0.0.1", port: 7946, tags, vsn: VSN };
}
const LIMITS = { reconnectTimeoutMs: 100, tombstoneTimeoutMs: 50, intentTimeoutMs: 30 };

Deno.test("MemberTable.nodeJoined() creates an alive member and reports a join", () => {
  const t = new MemberTable();
  const ev = t.nodeJoined(node("a", { role: "web" }));
  assertEquals(ev.type, "join");
  assertEquals(ev.member.status, "alive");
  assertEquals(ev.member.addr, "127.0.0.1:7946");
  assertEquals(ev.member.tags, { role: "web" });
  assertEquals(ev.member.delegate, { min: 2, max: 5, cur: 4 });
});

Deno.test("MemberTable.nodeJoined() applies a buffered leave intent as leaving", () => {
  const t = new MemberTable();
  t.upsertIntent("a", "leave", 7, 0);
  const ev = t.nodeJoined(node("a"));
  assertEquals(ev.member.status, "leaving");
  assertEquals(t.get("a")?.statusLTime, 7);
});

Deno.test("MemberTable.nodeLeft() turns leaving into left and alive into failed", () => {
  const t = new MemberTable();
  t.nodeJoined(node("a"));
  t.nodeJoined(node("b"));
  t.get("a")!.status = "leaving";
  assertEquals(t.nodeLeft("a", false, 10)?.type, "left");
  assertEquals(t.nodeLeft("b", false, 10)?.type, "failed");
  assertEquals(t.nodeLeft("b", false, 11), undefined);
  assertEquals(t.nodeLeft("zz", false, 11), undefined);
});

Deno.test("MemberTable.nodeLeft() treats a voluntary memberlist leave of an alive member as left", () => {
  const t = new MemberTable();
  t.nodeJoined(node("a"));
  assertEquals(t.nodeLeft("a", true, 10)?.type, "left");
});

Deno.test("MemberTable.nodeJoined() brings a failed member back alive", () => {
  const t = new MemberTable();
  t.nodeJoined(node("a"));
  t.nodeLeft("a", false, 10);
  const ev = t.nodeJoined(node("a", { v: "2" }));
  assertEquals(ev.member.status, "alive");
  assertEquals(ev.member.tags, { v: "2" });
  assertEquals(t.get("a")?.leaveTimeMs, 0);
});

Deno.test("MemberTable.reap() erases left and failed members after their timeouts", () => {
  const t = new MemberTable();
  for (const n of ["a", "b", "c"]) t.nodeJoined(node(n));
  t.get("a")!.status = "leaving";
  t.nodeLeft("a", false, 0);
  t.nodeLeft("b", false, 0);
  assertEquals(t.reap(50, LIMITS), []);
  assertEquals(t.reap(51, LIMITS).map((e) => [e.type, e.member.name]), [["reap", "a"]]);
  assertEquals(t.reap(101, LIMITS).map((e) => e.member.name), ["b"]);
  assertEquals(t.all().map((m) => m.name), ["c"]);
});

Deno.test("MemberTable.reap() drops old intents", () => {
  const t = new MemberTable();
  t.upsertIntent("x", "join", 3, 0);
  t.reap(31, LIMITS);
  assertEquals(t.recentIntent("x", "join"), undefined);
});

Deno.test("MemberTable.upsertIntent() keeps only the newest intent per name", () => {
  const t = new MemberTable();
  assertEquals(t.upsertIntent("x", "join", 3, 0), true);
  assertEquals(t.upsertIntent("x", "leave", 2, 0), false);
  assertEquals(t.upsertIntent("x", "leave", 4, 0), true);
  assertEquals(t.recentIntent("x", "join"), undefined);
  assertEquals(t.recentIntent("x", "leave"), 4);
});

Deno.test("formatAddr() brackets IPv6", () => {
  assertEquals(formatAddr("::1", 1), "[::1]:1");
  assertEquals(formatAddr("10.0.0.1", 2), "10.0.0.1:2");
});

Deno.test("toGossipMember() returns a frozen copy", () => {
  const t = new MemberTable();
  t.nodeJoined(node("a", { k: "v" }));
  const m = toGossipMember(t.get("a")!);
  t.get("a")!.tags.k = "changed";
  assertEquals(m.tags.k, "v");
  assertEquals(Object.isFrozen(m), true);
});
