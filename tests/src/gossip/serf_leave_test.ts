import { RegistryError } from "../../../lib/errors.ts";
import { handleNodeJoin } from "../../../src/gossip/serf_member_events.ts";
import { leaveTimeoutError, runLeaveSequence } from "../../../src/gossip/serf_leave.ts";
import { assertEquals, assertRejects } from "../../_helpers/assert.ts";
import { type CoreFixture, coreFixture, nodeRecord } from "./_serf_core_fixture.ts";

const FAST = { broadcastTimeoutMs: 100, leavePropagateDelayMs: 50 };

/** Advances the clock in steps until `p` settles. */
async function settle<T>(f: CoreFixture, p: Promise<T>): Promise<T> {
  let done = false;
  p.then(() => done = true, () => done = true);
  for (let t = 0; t < 5000 && !done; t += 10) {
    f.clock.advance(10);
    await new Promise((r) => setTimeout(r, 0));
  }
  return await p;
}

/** Advances the clock by `ms`, then lets promise callbacks run. */
async function step(f: CoreFixture, ms: number): Promise<void> {
  f.clock.advance(ms);
  await new Promise((r) => setTimeout(r, 0));
}

/** Tracks whether `p` has settled. */
function track<T>(p: Promise<T>): { settled: boolean; p: Promise<T> } {
  const t = { settled: false, p };
  p.then(() => t.settled = true, () => t.settled = true);
  return t;
}

Deno.test("runLeaveSequence() alone: applies our leave intent, skips the gossip wait", async () => {
  let rounds = 0;
  const f = coreFixture(FAST, { gossipNow: () => rounds++ });
  f.alive = false;
  const lTime = f.core.memberClock.time();
  const run = track(runLeaveSequence(f.core, () => f.host));
  assertEquals(rounds, 0);
  assertEquals(f.core.members.get("me")?.status, "leaving");
  assertEquals(f.core.members.get("me")?.statusLTime, lTime);
  assertEquals(f.core.memberClock.time(), lTime + 1);
  await step(f, 0);
  await step(f, 49);
  assertEquals(run.settled, false);
  await step(f, 1);
  assertEquals(run.settled, true);
  assertEquals(await run.p, true);
});

Deno.test("runLeaveSequence() returns false when the intent is not gossiped in time", async () => {
  let rounds = 0;
  const f = coreFixture(FAST, { gossipNow: () => rounds++ });
  handleNodeJoin(f.core, nodeRecord("peer"));
  f.alive = false;
  const run = track(runLeaveSequence(f.core, () => f.host));
  assertEquals(rounds, 1);
  assertEquals(f.core.queues.depths().intent, 1);
  await step(f, 100);
  await step(f, 49);
  assertEquals(run.settled, false);
  await step(f, 1);
  assertEquals(await run.p, false);
});

Deno.test("runLeaveSequence() returns true once the intent is gossiped", async () => {
  const f = coreFixture(FAST);
  handleNodeJoin(f.core, nodeRecord("peer"));
  f.alive = false;
  const run = track(runLeaveSequence(f.core, () => f.host));
  for (let i = 0; i < 4; i++) f.core.queues.take(2, 1400); // 4 transmissions finish it (n = 2)
  await step(f, 0);
  await step(f, 50);
  assertEquals(await run.p, true);
});

Deno.test("runLeaveSequence() counts a memberlist LEAVE_TIMEOUT and rethrows other errors", async () => {
  const slow = coreFixture(FAST, {
    leave: () => Promise.reject(new RegistryError("LEAVE_TIMEOUT", "slow")),
  });
  assertEquals(await settle(slow, runLeaveSequence(slow.core, () => slow.host)), false);
  const broken = coreFixture(FAST, { leave: () => Promise.reject(new Error("boom")) });
  await assertRejects(() => runLeaveSequence(broken.core, () => broken.host), Error, "boom");
});

Deno.test("leaveTimeoutError() names the member and the broadcast timeout", () => {
  const err = leaveTimeoutError(coreFixture(FAST).core);
  assertEquals(err.code, "LEAVE_TIMEOUT");
  assertEquals(err.message, 'Cannot confirm the leave of "me": not gossiped within 100 ms');
});
