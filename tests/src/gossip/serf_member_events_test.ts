import {
  handleNodeConflict,
  handleNodeJoin,
  handleNodeLeave,
  handleNodeUpdate,
  sameTags,
  toMemberUpdate,
} from "../../../src/gossip/serf_member_events.ts";
import { NodeState } from "../../../src/gossip/messages.ts";
import { decodeSerfMessage } from "../../../src/gossip/serf_messages.ts";
import { assertEquals } from "../../_helpers/assert.ts";
import { coreFixture, FIXTURE_VSN, nodeRecord } from "./_serf_core_fixture.ts";

Deno.test("sameTags() compares keys and values, not order", () => {
  assertEquals(sameTags({ a: "1", b: "2" }, { b: "2", a: "1" }), true);
  assertEquals(sameTags({ a: "1" }, { a: "1", b: "2" }), false);
  assertEquals(sameTags({ a: "1" }, { a: "2" }), false);
  assertEquals(sameTags({}, {}), true);
});

Deno.test("toMemberUpdate() decodes the tags from the meta", () => {
  assertEquals(toMemberUpdate(nodeRecord("a", { dc: "x" }, "10.0.0.5")), {
    name: "a",
    ip: "10.0.0.5",
    port: 7946,
    tags: { dc: "x" },
    vsn: FIXTURE_VSN,
  });
});

Deno.test("handleNodeJoin() treats our own alive record as an update", () => {
  const f = coreFixture();
  handleNodeJoin(f.core, nodeRecord("me", {}, "10.0.0.1"));
  assertEquals(f.emitted.length, 0);
  handleNodeJoin(f.core, nodeRecord("me", { role: "web" }, "10.0.0.1"));
  assertEquals(f.emitted.map((e) => e.type), ["update"]);
  handleNodeJoin(f.core, nodeRecord("a"));
  assertEquals(f.emitted.map((e) => e.type), ["update", "join"]);
});

Deno.test("handleNodeLeave() reports left for a voluntary leave and failed otherwise", () => {
  const f = coreFixture();
  handleNodeJoin(f.core, nodeRecord("a"));
  handleNodeJoin(f.core, nodeRecord("b"));
  handleNodeLeave(f.core, nodeRecord("a", undefined, undefined, NodeState.LEFT));
  handleNodeLeave(f.core, nodeRecord("b", undefined, undefined, NodeState.DEAD));
  assertEquals(f.core.members.get("a")?.status, "left");
  assertEquals(f.core.members.get("b")?.status, "failed");
  assertEquals(f.core.members.get("b")?.leaveTimeMs, 1000);
});

Deno.test("handleNodeUpdate() records new versions quietly and reports a new address", () => {
  const f = coreFixture();
  handleNodeJoin(f.core, nodeRecord("a"));
  const vsn = [1, 5, 3, 2, 5, 5] as const;
  handleNodeUpdate(f.core, { ...nodeRecord("a"), vsn: [...vsn] });
  assertEquals(f.core.members.get("a")?.vsn, [...vsn]);
  assertEquals(f.emitted.map((e) => e.type), ["join"]);
  handleNodeUpdate(f.core, nodeRecord("a", undefined, "10.0.0.7"));
  assertEquals(f.emitted.map((e) => e.type), ["join", "update"]);
});

Deno.test("handleNodeConflict() logs every conflict and queries only about our own name", () => {
  const f = coreFixture();
  handleNodeConflict(f.core, nodeRecord("a"), nodeRecord("a", undefined, "10.0.0.8"));
  assertEquals(f.core.queues.depths().query, 0);
  handleNodeConflict(f.core, nodeRecord("me"), nodeRecord("me", undefined, "10.0.0.8"));
  const [q] = f.core.queues.take(2, 1400).map(decodeSerfMessage);
  assertEquals(q.type === "query" && q.name, "_serf_conflict");
  assertEquals(f.logs.filter((l) => l.message === "Name conflict").map((l) => l.fields), [
    { member: "a", addr: "10.0.0.9:7946", other: "10.0.0.8:7946" },
    { member: "me", addr: "10.0.0.9:7946", other: "10.0.0.8:7946" },
  ]);
});

Deno.test("handleNodeConflict() only logs when name conflict resolution is off", () => {
  const f = coreFixture({ enableNameConflictResolution: false });
  handleNodeConflict(f.core, nodeRecord("me"), nodeRecord("me", undefined, "10.0.0.8"));
  assertEquals(f.core.queues.depths().query, 0);
  assertEquals(f.logs.map((l) => l.level), ["warn"]);
});
