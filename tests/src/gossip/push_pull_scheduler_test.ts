import { FAST_PRESET, resolveMemberlistConfig } from "../../../src/gossip/memberlist_config.ts";
import { NodeState } from "../../../src/gossip/messages.ts";
import { NodeTable } from "../../../src/gossip/node_table.ts";
import { PeriodicTasks } from "../../../src/gossip/periodic_tasks.ts";
import { PushPullScheduler } from "../../../src/gossip/push_pull_scheduler.ts";
import { assertEquals } from "../../_helpers/assert.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";
import { seededRandom } from "../../_helpers/seeded_random.ts";

function member(name: string, i: number, state: NodeState = NodeState.ALIVE) {
  return {
    name,
    addr: new Uint8Array([10, 0, 0, i]),
    port: 7946,
    meta: new Uint8Array(0),
    vsn: [1, 5, 2, 2, 5, 4] as [number, number, number, number, number, number],
    incarnation: 1,
    state,
    stateChangeMs: 0,
  };
}

function scheduler(overrides: { pushPullIntervalMs?: number; joinSyncPushPulls?: number } = {}) {
  const clock = new ManualClock(0);
  const table = new NodeTable(seededRandom(1));
  const tasks = new PeriodicTasks(clock, seededRandom(2));
  const config = resolveMemberlistConfig({ name: "self", ...overrides }, FAST_PRESET);
  const asked: string[] = [];
  const pushPulls = new PushPullScheduler({
    config,
    random: () => 0,
    table,
    tasks,
    pushPull: (to) => asked.push(to),
  });
  table.add(member("self", 1));
  return { clock, table, tasks, asked, pushPulls };
}

Deno.test("PushPullScheduler.tick() asks for a push-pull with another alive member only", () => {
  const s = scheduler();
  s.pushPulls.tick();
  assertEquals(s.asked, [], "alone: nobody to ask");
  s.table.add(member("dead", 2, NodeState.DEAD));
  s.pushPulls.tick();
  assertEquals(s.asked, []);
  s.table.add(member("peer", 3));
  s.pushPulls.tick();
  assertEquals(s.asked, ["10.0.0.3:7946"]);
});

Deno.test("PushPullScheduler.start() repeats every interval, and not at all when it is 0", () => {
  const on = scheduler();
  on.table.add(member("peer", 2));
  on.pushPulls.start();
  on.clock.advance(4000);
  assertEquals(on.asked.length, 2, "one per 2 s interval");
  const off = scheduler({ pushPullIntervalMs: 0 });
  off.table.add(member("peer", 2));
  off.pushPulls.start();
  off.clock.advance(10_000);
  assertEquals(off.asked, []);
});

Deno.test("PushPullScheduler.scheduleJoinSync() ends with the join address when it is an alive member", () => {
  const s = scheduler({ joinSyncPushPulls: 3 });
  s.table.add(member("seed", 2));
  s.table.add(member("other", 3));
  s.pushPulls.scheduleJoinSync("10.0.0.3:7946");
  const at: number[] = [];
  for (let t = 0; t < 3000; t += 10) {
    const before = s.asked.length;
    s.clock.advance(10);
    if (s.asked.length > before) at.push(s.clock.now());
  }
  assertEquals(at, [50, 100, 200], "0.5, 1 and 2 probe intervals of 100 ms");
  assertEquals(s.asked[2], "10.0.0.3:7946");
});

Deno.test("PushPullScheduler.scheduleJoinSync() falls back to a random alive member, and stops with the tasks", () => {
  const s = scheduler({ joinSyncPushPulls: 2 });
  s.table.add(member("peer", 2));
  s.pushPulls.scheduleJoinSync("10.9.9.9:7946");
  s.clock.advance(60);
  assertEquals(s.asked, ["10.0.0.2:7946"]);
  s.tasks.stop();
  s.clock.advance(1000);
  assertEquals(s.asked, ["10.0.0.2:7946"]);
});
