import { handleNodeJoin, handleNodeLeave } from "../../../src/gossip/serf_member_events.ts";
import {
  reapMembers,
  reconnectMember,
  startSerfMaintenance,
} from "../../../src/gossip/serf_maintenance.ts";
import { assertEquals } from "../../_helpers/assert.ts";
import { coreFixture, nodeRecord } from "./_serf_core_fixture.ts";

Deno.test("startSerfMaintenance() starts no reconnect timer when its interval is 0", () => {
  const on = coreFixture();
  startSerfMaintenance(on.core, () => on.host, () => 0);
  assertEquals(on.core.timers.size, 3);
  const off = coreFixture({ reconnectIntervalMs: 0 });
  startSerfMaintenance(off.core, () => off.host, () => 0);
  assertEquals(off.core.timers.size, 2);
});

Deno.test("reapMembers() reports a failed member once past the reconnect timeout", () => {
  const f = coreFixture({ reconnectTimeoutMs: 1000 });
  handleNodeJoin(f.core, nodeRecord("a"));
  handleNodeLeave(f.core, nodeRecord("a"));
  f.clock.advance(1000);
  reapMembers(f.core);
  assertEquals(f.emitted.map((e) => e.type), ["join", "failed"]);
  f.clock.advance(1);
  reapMembers(f.core);
  assertEquals(f.emitted.map((e) => e.type), ["join", "failed", "reap"]);
  assertEquals(f.core.members.get("a"), undefined);
});

Deno.test("reconnectMember() joins a failed member by name only while alive", () => {
  const f = coreFixture();
  reconnectMember(f.core, () => f.host, () => 0);
  assertEquals(f.joins, []);
  handleNodeJoin(f.core, nodeRecord("a", undefined, "10.0.0.5"));
  handleNodeLeave(f.core, nodeRecord("a", undefined, "10.0.0.5"));
  f.alive = false;
  reconnectMember(f.core, () => f.host, () => 0);
  assertEquals(f.joins, []);
  f.alive = true;
  reconnectMember(f.core, () => f.host, () => 0);
  assertEquals(f.joins, [["a/10.0.0.5:7946"]]);
});

Deno.test("reconnectMember() logs a failed join at debug", async () => {
  const f = coreFixture({}, { join: () => Promise.reject(new Error("refused")) });
  handleNodeJoin(f.core, nodeRecord("a"));
  handleNodeLeave(f.core, nodeRecord("a"));
  reconnectMember(f.core, () => f.host, () => 0);
  await new Promise((r) => setTimeout(r, 0));
  assertEquals(f.logs.map((l) => [l.level, l.message, l.fields.member]), [
    ["debug", "Reconnect failed", "a"],
  ]);
});
