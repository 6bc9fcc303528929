import {
  FAST_PRESET,
  LAN_PRESET,
  LOCAL_PRESET,
  resolveMemberlistConfig,
} from "../../../src/gossip/memberlist_config.ts";
import { assertEquals, assertThrows } from "../../_helpers/assert.ts";

Deno.test("resolveMemberlistConfig() fills LAN defaults and Vsn [1,5,2,2,5,4]", () => {
  const c = resolveMemberlistConfig({ name: "a" });
  assertEquals(c.probeIntervalMs, 1000);
  assertEquals(c.probeTimeoutMs, 500);
  assertEquals(c.gossipIntervalMs, 200);
  assertEquals(c.suspicionMult, 4);
  assertEquals(c.pushPullIntervalMs, 30_000);
  assertEquals(c.joinSyncPushPulls, 3);
  assertEquals([...c.vsn], [1, 5, 2, 2, 5, 4]);
  assertEquals(c.advertiseAddr, "");
});

Deno.test("resolveMemberlistConfig() applies the local preset and overrides", () => {
  const c = resolveMemberlistConfig(
    { name: "a", vsn: [1, 5, 2, 2, 5, 5], gossipNodes: 4 },
    LOCAL_PRESET,
  );
  assertEquals(c.probeTimeoutMs, 200);
  assertEquals(c.indirectChecks, 1);
  assertEquals(c.gossipNodes, 4);
  assertEquals(c.vsn[5], 5);
  assertEquals(LAN_PRESET.tcpTimeoutMs > FAST_PRESET.tcpTimeoutMs, true);
});

Deno.test("resolveMemberlistConfig() rejects an empty name, bad numbers and bad Vsn", () => {
  assertThrows(() => resolveMemberlistConfig({ name: "" }), TypeError);
  assertThrows(() => resolveMemberlistConfig({ name: "a", probeIntervalMs: 0 }), RangeError);
  assertThrows(() => resolveMemberlistConfig({ name: "a", gossipNodes: -1 }), RangeError);
  assertThrows(() => resolveMemberlistConfig({ name: "a", vsn: [0, 5, 2, 2, 5, 4] }), RangeError);
  assertThrows(() => resolveMemberlistConfig({ name: "a", vsn: [1, 5, 2, 2, 5, 9] }), RangeError);
});
