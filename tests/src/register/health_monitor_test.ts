import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import {
  HealthDamper,
  HealthMonitor,
  type HealthState,
} from "../../../src/register/health_monitor.ts";
import { ManualClock, settle } from "./_fakes.ts";

Deno.test("HealthDamper.record() turns healthy on the first pass and stays unknown before it", () => {
  const d = new HealthDamper(3, 3);
  assertEquals([d.record(false), d.record(false), d.state], [undefined, undefined, "unknown"]);
  assertEquals(d.record(true), "healthy");
});

Deno.test("HealthDamper.record() needs rise passes in a row to come back", () => {
  const d = new HealthDamper(3, 1);
  d.record(true);
  assertEquals(d.record(false), "unhealthy");
  assertEquals([d.record(true), d.record(true), d.record(false)], [
    undefined,
    undefined,
    undefined,
  ]);
  assertEquals([d.record(true), d.record(true), d.record(true)], [undefined, undefined, "healthy"]);
  assertEquals(d.state, "healthy");
});

Deno.test("HealthDamper.record() needs fall failures in a row to go down", () => {
  const d = new HealthDamper(1, 2);
  d.record(true);
  assertEquals([d.record(false), d.record(true), d.record(false)], [
    undefined,
    undefined,
    undefined,
  ]);
  assertEquals(d.record(false), "unhealthy");
});

Deno.test("HealthDamper refuses non-positive thresholds", () => {
  assertThrows(() => new HealthDamper(0, 1), RangeError, "rise");
  assertThrows(() => new HealthDamper(1, 1.5), RangeError, "fall");
});

Deno.test("HealthMonitor probes now, then every interval, and reports damped changes", async () => {
  const clock = new ManualClock();
  const script = [true, false, true, true, true];
  let probes = 0;
  const changes: HealthState[] = [];
  const monitor = new HealthMonitor({
    probe: () => Promise.resolve(script[probes++] ?? true),
    intervalMs: 1000,
    rise: 2,
    fall: 1,
    clock,
    onChange: (s) => changes.push(s),
  });
  monitor.start();
  await settle();
  assertEquals([probes, changes], [1, ["healthy"]]);
  await clock.advance(999);
  assertEquals(probes, 1);
  await clock.advance(1);
  assertEquals(changes, ["healthy", "unhealthy"]);
  await clock.advance(1000);
  assertEquals(changes, ["healthy", "unhealthy"]);
  await clock.advance(1000);
  assertEquals(changes, ["healthy", "unhealthy", "healthy"]);
  assertEquals(probes, 4);
  await monitor.close();
  await clock.advance(5000);
  assertEquals(probes, 4);
  assertEquals(clock.pending, 0);
});

Deno.test("HealthMonitor counts a probe that throws as a failure", async () => {
  const clock = new ManualClock();
  let calls = 0;
  const changes: HealthState[] = [];
  const monitor = new HealthMonitor({
    probe: () => calls++ === 0 ? Promise.resolve(true) : Promise.reject(new Error("boom")),
    intervalMs: 10,
    rise: 1,
    fall: 1,
    clock,
    onChange: (s) => changes.push(s),
  });
  monitor.start();
  await clock.advance(10);
  assertEquals(changes, ["healthy", "unhealthy"]);
  await monitor.close();
});

Deno.test("HealthMonitor.close() waits for a probe in flight and drops its result", async () => {
  const clock = new ManualClock();
  let finish!: (ok: boolean) => void;
  const changes: HealthState[] = [];
  const monitor = new HealthMonitor({
    probe: () => new Promise<boolean>((r) => finish = r),
    intervalMs: 10,
    rise: 1,
    fall: 1,
    clock,
    onChange: (s) => changes.push(s),
  });
  monitor.start();
  await settle();
  let closed = false;
  const closing = monitor.close().then(() => closed = true);
  await settle();
  assertEquals(closed, false);
  finish(true);
  await closing;
  assertEquals([changes, clock.pending], [[], 0]);
});

Deno.test("HealthMonitor probes a starting service every second at most until its first pass", async () => {
  const clock = new ManualClock();
  const at: number[] = [];
  const changes: HealthState[] = [];
  const monitor = new HealthMonitor({
    probe: () => {
      at.push(clock.now());
      return Promise.resolve(at.length >= 3);
    },
    intervalMs: 5000,
    rise: 2,
    fall: 1,
    clock,
    onChange: (s) => changes.push(s),
  });
  monitor.start();
  await clock.advance(7000);
  assertEquals(at, [0, 1000, 2000, 7000]);
  assertEquals(changes, ["healthy"]);
  await monitor.close();
});
