import { SerfTimers } from "../../../src/gossip/serf_timers.ts";
import { assertEquals } from "../../_helpers/assert.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";

Deno.test("SerfTimers.every() repeats until cancelAll()", () => {
  const clock = new ManualClock(0);
  const timers = new SerfTimers(clock);
  let n = 0;
  timers.every(100, () => n++);
  clock.advance(350);
  assertEquals(n, 3);
  timers.cancelAll();
  clock.advance(1000);
  assertEquals(n, 3);
  timers.after(1, () => n++);
  clock.advance(10);
  assertEquals(n, 3);
});

Deno.test("SerfTimers.within() tells whether the promise settled before the bound", async () => {
  const clock = new ManualClock(0);
  const timers = new SerfTimers(clock);
  const fast = timers.within(Promise.resolve(), 100);
  assertEquals(await fast, true);
  const slow = timers.within(new Promise<void>(() => {}), 100);
  clock.advance(100);
  assertEquals(await slow, false);
});
