import { decodeSerfMessage } from "../../../src/gossip/serf_messages.ts";
import { sendSerfEvent } from "../../../src/gossip/serf_send_event.ts";
import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { coreFixture } from "./_serf_core_fixture.ts";

Deno.test("sendSerfEvent() stamps the event clock, delivers locally and queues the event", () => {
  const f = coreFixture();
  const lTime = f.core.events.clock.time();
  sendSerfEvent(f.core, "deploy", new Uint8Array([7]), true);
  assertEquals(f.core.events.clock.time(), lTime + 1);
  assertEquals(f.emitted.map((e) => e.type === "user" && [e.name, e.lTime, e.coalesce]), [
    ["deploy", lTime, true],
  ]);
  const [msg] = f.core.queues.take(2, 1400).map(decodeSerfMessage);
  assertEquals(msg.type === "userEvent" && [msg.name, msg.lTime, msg.cc], ["deploy", lTime, true]);
});

Deno.test("sendSerfEvent() refuses an event above the size limit without side effects", () => {
  const f = coreFixture({ userEventSizeLimit: 64 });
  const lTime = f.core.events.clock.time();
  assertThrows(
    () => sendSerfEvent(f.core, "big", new Uint8Array(100), false),
    RangeError,
    "exceed 64",
  );
  assertEquals(f.core.events.clock.time(), lTime);
  assertEquals(f.emitted.length, 0);
  assertEquals(f.core.queues.depths().event, 0);
});
