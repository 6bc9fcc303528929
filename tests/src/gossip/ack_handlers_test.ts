import { AckHandlers } from "../../../src/gossip/ack_handlers.ts";
import { assertEquals } from "../../_helpers/assert.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";

function recorder() {
  const log: string[] = [];
  return {
    log,
    callbacks: (tag: string) => ({
      onAck: () => log.push(`${tag}:ack`),
      onNack: () => log.push(`${tag}:nack`),
      onTimeout: () => log.push(`${tag}:timeout`),
    }),
  };
}

Deno.test("AckHandlers.ack() runs the handler once and cancels its timeout", () => {
  const clock = new ManualClock();
  const acks = new AckHandlers(clock);
  const r = recorder();
  acks.set(1, 100, r.callbacks("a"));
  acks.nack({ type: "nack", seqNo: 1 });
  acks.ack({ type: "ack", seqNo: 1 });
  acks.ack({ type: "ack", seqNo: 1 });
  clock.advance(200);
  assertEquals(r.log, ["a:nack", "a:ack"]);
});

Deno.test("AckHandlers times out, ignores unknown numbers and replaces a handler", () => {
  const clock = new ManualClock();
  const acks = new AckHandlers(clock);
  const r = recorder();
  acks.set(1, 100, r.callbacks("old"));
  acks.set(1, 50, r.callbacks("new"));
  acks.ack({ type: "ack", seqNo: 9 });
  clock.advance(50);
  assertEquals(r.log, ["new:timeout"]);
  clock.advance(100);
  assertEquals(r.log, ["new:timeout"]);
});

Deno.test("AckHandlers.stop() cancels handlers and after() timers", () => {
  const clock = new ManualClock();
  const acks = new AckHandlers(clock);
  const r = recorder();
  acks.set(1, 100, r.callbacks("a"));
  acks.after(10, () => r.log.push("after"));
  acks.after(5, () => r.log.push("early"));
  clock.advance(5);
  acks.stop();
  clock.advance(500);
  assertEquals(r.log, ["early"]);
});
