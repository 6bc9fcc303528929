import { UserEventBuffer } from "../../../src/gossip/user_events.ts";
import { assertEquals, assertThrows } from "../../_helpers/assert.ts";

function ev(lTime: number, name = "deploy", payload = "v1") {
  return { lTime, name, payload: new TextEncoder().encode(payload), cc: false };
}

Deno.test("UserEventBuffer.receive() accepts an event once", () => {
  const b = new UserEventBuffer(512);
  assertEquals(b.receive(ev(3)), true);
  assertEquals(b.receive(ev(3)), false);
  assertEquals(b.clock.time(), 4);
});

Deno.test("UserEventBuffer.receive() keeps distinct events with the same time", () => {
  const b = new UserEventBuffer(512);
  assertEquals(b.receive(ev(3, "a")), true);
  assertEquals(b.receive(ev(3, "b")), true);
  assertEquals(b.receive(ev(3, "a", "other")), true);
  assertEquals(b.slots()[3]?.events.length, 3);
});

Deno.test("UserEventBuffer.receive() drops events below the minimum time", () => {
  const b = new UserEventBuffer(512);
  b.raiseMinTime(10);
  b.raiseMinTime(5);
  assertEquals(b.minTime, 10);
  assertEquals(b.receive(ev(9)), false);
  assertEquals(b.receive(ev(10)), true);
});

Deno.test("UserEventBuffer.receive() drops events older than the ring", () => {
  const b = new UserEventBuffer(4);
  b.receive(ev(20));
  assertEquals(b.receive(ev(16)), false);
  assertEquals(b.receive(ev(17)), true);
});

Deno.test("UserEventBuffer.receive() reuses a slot for a newer time", () => {
  const b = new UserEventBuffer(4);
  b.receive(ev(1));
  b.receive(ev(5));
  assertEquals(b.slots()[1]?.lTime, 5);
  assertEquals(b.slots().length, 4);
});

Deno.test("UserEventBuffer rejects a zero size", () => {
  assertThrows(() => new UserEventBuffer(0), RangeError);
});
