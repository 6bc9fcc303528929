import { LamportClock } from "../../../src/gossip/lamport_clock.ts";
import { assertEquals, assertThrows } from "../../_helpers/assert.ts";

Deno.test("LamportClock starts at 1 like serf's clocks", () => {
  assertEquals(new LamportClock().time(), 1);
});

Deno.test("LamportClock.increment() returns the new time", () => {
  const c = new LamportClock();
  assertEquals(c.increment(), 2);
  assertEquals(c.time(), 2);
});

Deno.test("LamportClock.witness() moves past a time not behind it and ignores older ones", () => {
  const c = new LamportClock(5);
  c.witness(3);
  assertEquals(c.time(), 5);
  c.witness(5);
  assertEquals(c.time(), 6);
  c.witness(10);
  assertEquals(c.time(), 11);
  c.witness(-1);
  c.witness(Number.NaN);
  assertEquals(c.time(), 11);
});

Deno.test("LamportClock rejects a negative start", () => {
  assertThrows(() => new LamportClock(-1), RangeError);
});
