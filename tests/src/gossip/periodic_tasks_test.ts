import { PeriodicTasks } from "../../../src/gossip/periodic_tasks.ts";
import { assert, assertEquals } from "../../_helpers/assert.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";
import { seededRandom } from "../../_helpers/seeded_random.ts";

Deno.test("PeriodicTasks.every() starts within one interval and repeats at the current interval", () => {
  const clock = new ManualClock();
  const tasks = new PeriodicTasks(clock, seededRandom(4));
  const at: number[] = [];
  let interval = 100;
  tasks.every(() => interval, () => at.push(clock.now()));
  clock.advance(100);
  assertEquals(at.length, 1);
  assert(at[0] < 100);
  clock.advance(100);
  assertEquals(at[1] - at[0], 100);
  interval = 300;
  clock.advance(1000);
  assertEquals(at[3] - at[2], 300);
  tasks.stop();
  const count = at.length;
  clock.advance(5000);
  assertEquals(at.length, count);
});

Deno.test("PeriodicTasks.once() runs a task once after its delay, unless stopped first", () => {
  const clock = new ManualClock();
  const tasks = new PeriodicTasks(clock, seededRandom(5));
  const at: number[] = [];
  tasks.once(250, () => at.push(clock.now()));
  tasks.once(500, () => at.push(clock.now()));
  clock.advance(300);
  assertEquals(at, [250]);
  tasks.stop();
  clock.advance(1000);
  assertEquals(at, [250]);
});
