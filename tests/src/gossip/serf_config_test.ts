import {
  DEFAULT_SERF_CONFIG,
  defaultQueryTimeoutMs,
  resolveSerfConfig,
} from "../../../src/gossip/serf_config.ts";
import { assertEquals, assertThrows } from "../../_helpers/assert.ts";

Deno.test("resolveSerfConfig() fills serf's library defaults", () => {
  const c = resolveSerfConfig();
  assertEquals(c.protocolVersion, 4);
  assertEquals(c.broadcastTimeoutMs, 5000);
  assertEquals(c.leavePropagateDelayMs, 1000);
  assertEquals(c.reapIntervalMs, 15000);
  assertEquals(c.tombstoneTimeoutMs, 86_400_000);
  assertEquals(c.eventBuffer, 512);
  assertEquals(c, DEFAULT_SERF_CONFIG);
});

Deno.test("resolveSerfConfig() keeps overrides and ignores undefined ones", () => {
  const c = resolveSerfConfig({ tombstoneTimeoutMs: 10, protocolVersion: undefined });
  assertEquals(c.tombstoneTimeoutMs, 10);
  assertEquals(c.protocolVersion, 4);
});

Deno.test("resolveSerfConfig() rejects out-of-range values", () => {
  assertThrows(() => resolveSerfConfig({ protocolVersion: 6 }), RangeError, "protocol");
  assertThrows(() => resolveSerfConfig({ reapIntervalMs: 0 }), RangeError, "reapIntervalMs");
  assertThrows(() => resolveSerfConfig({ leavePropagateDelayMs: -1 }), RangeError);
});

Deno.test("defaultQueryTimeoutMs() is 3.2 s up to 9 members and doubles at 10", () => {
  const c = resolveSerfConfig();
  assertEquals(defaultQueryTimeoutMs(c, 1), 3200);
  assertEquals(defaultQueryTimeoutMs(c, 9), 3200);
  assertEquals(defaultQueryTimeoutMs(c, 10), 6400);
});
