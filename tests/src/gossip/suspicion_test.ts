import { Suspicion, suspicionTimeoutMs, suspicionTimeouts } from "../../../src/gossip/suspicion.ts";
import { LAN_PRESET } from "../../../src/gossip/memberlist_config.ts";
import { assert, assertEquals } from "../../_helpers/assert.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";

Deno.test("suspicionTimeouts() gives 4 s flat for 2-3 LAN members", () => {
  assertEquals(suspicionTimeouts(LAN_PRESET, 2), { minMs: 4000, maxMs: 24000, k: 0 });
  assertEquals(suspicionTimeouts(LAN_PRESET, 3).k, 0);
});

Deno.test("suspicionTimeouts() gives k = 2 and 4-24 s for 4-9 LAN members", () => {
  assertEquals(suspicionTimeouts(LAN_PRESET, 4), { minMs: 4000, maxMs: 24000, k: 2 });
  assertEquals(suspicionTimeouts(LAN_PRESET, 9), { minMs: 4000, maxMs: 24000, k: 2 });
});

Deno.test("suspicionTimeouts() scales the minimum by log10(n) from 10 members", () => {
  assertEquals(suspicionTimeouts(LAN_PRESET, 10).minMs, 4000);
  assertEquals(suspicionTimeouts(LAN_PRESET, 50).minMs, 6792);
  assertEquals(suspicionTimeouts(LAN_PRESET, 100).minMs, 8000);
});

Deno.test("suspicionTimeoutMs() shrinks from max to min as confirmations arrive", () => {
  const t = { minMs: 4000, maxMs: 24000, k: 2 };
  assertEquals(suspicionTimeoutMs(0, t), 24000);
  assertEquals(suspicionTimeoutMs(1, t), 11381);
  assertEquals(suspicionTimeoutMs(2, t), 4000);
  assertEquals(suspicionTimeoutMs(5, { ...t, k: 0 }), 4000);
});

Deno.test("Suspicion fires at max without confirmations", () => {
  const clock = new ManualClock();
  let fired = -1;
  new Suspicion(clock, "a", { minMs: 4000, maxMs: 24000, k: 2 }, (c) => fired = c);
  clock.advance(23_999);
  assertEquals(fired, -1);
  clock.advance(1);
  assertEquals(fired, 0);
});

Deno.test("Suspicion fires at min after k confirmations and ignores repeats", () => {
  const clock = new ManualClock();
  let firedAt = -1;
  const s = new Suspicion(
    clock,
    "a",
    { minMs: 4000, maxMs: 24000, k: 2 },
    () => firedAt = clock.now(),
  );
  clock.advance(1000);
  assertEquals(s.confirm("a"), false);
  assertEquals(s.confirm("b"), true);
  assertEquals(s.confirm("b"), false);
  clock.advance(5000);
  assertEquals(s.confirm("c"), true);
  assertEquals(s.confirm("d"), false);
  assertEquals(firedAt, -1, "a timeout already past fires on the next tick, not inside confirm()");
  clock.advance(0);
  assertEquals(firedAt, 6000);
  assertEquals(s.confirmations, 2);
});

Deno.test("Suspicion.cancel() stops the timer", () => {
  const clock = new ManualClock();
  let fired = false;
  const s = new Suspicion(clock, "a", { minMs: 10, maxMs: 60, k: 0 }, () => fired = true);
  s.cancel();
  clock.advance(100);
  assert(!fired);
});
