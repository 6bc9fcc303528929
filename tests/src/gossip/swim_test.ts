import { NodeState } from "../../../src/gossip/messages.ts";
import { assert, assertEquals } from "../../_helpers/assert.ts";
import { alive, CoreHarness } from "../../_helpers/core_harness.ts";

Deno.test("Memberlist.start() announces the local member at incarnation 1 and tells the delegate", () => {
  const h = new CoreHarness();
  h.core.start();
  const self = h.core.localNode();
  assertEquals(self.incarnation, 1);
  assertEquals(self.state, NodeState.ALIVE);
  assertEquals(self.ip, "10.0.0.1");
  assertEquals(self.port, 7946);
  assertEquals([...self.vsn], [1, 5, 2, 2, 5, 4]);
  assertEquals(h.delegate.events.map((e) => `${e.type}:${e.name}`), ["join:self"]);
  assertEquals(h.core.numAliveNodes(), 1);
});

Deno.test("Memberlist gossips broadcasts each interval with a CRC only to PMax >= 5 peers", () => {
  const h = new CoreHarness({ name: "self", gossipNodes: 5 });
  h.core.start();
  h.core.handleMessage("x:1", alive("agent", 2, 1, [1, 5, 2, 2, 5, 5]));
  h.core.handleMessage("x:1", alive("old", 3, 1, [1, 4, 2, 2, 5, 4]));
  h.clear();
  h.clock.advance(20);
  const gossip = h.sent.filter((p) => p.messages.every((m) => m.type === "alive"));
  assertEquals(gossip.map((p) => `${p.to}:${p.crc}`).sort(), [
    "10.0.0.2:7946:true",
    "10.0.0.3:7946:false",
  ]);
});

Deno.test("Memberlist retransmits each broadcast RetransmitMult × ceil(log10(n+1)) times", () => {
  const h = new CoreHarness({ name: "self", gossipNodes: 1 });
  h.core.start();
  h.core.handleMessage("x:1", alive("a", 2));
  h.clear();
  h.clock.advance(2000);
  const aboutA = h.messages("alive").filter((m) => m.msg.node === "a");
  assertEquals(aboutA.length, 4, "n = 2 gives 4 transmissions");
  assertEquals(h.core.pendingBroadcasts, 0);
});

Deno.test("Memberlist gossips to recently dead members but not to left ones", () => {
  const h = new CoreHarness({ name: "self", gossipNodes: 5 });
  h.core.start();
  h.core.handleMessage("x:1", alive("dead", 2));
  h.core.handleMessage("x:1", alive("left", 3));
  h.core.handleMessage("x:1", { type: "dead", node: "dead", from: "x", incarnation: 1 });
  h.core.handleMessage("x:1", { type: "dead", node: "left", from: "left", incarnation: 1 });
  h.clear();
  h.clock.advance(20);
  const targets = new Set(h.sent.map((p) => p.to));
  assert(targets.has("10.0.0.2:7946"));
  assert(!targets.has("10.0.0.3:7946"));
});

Deno.test("Memberlist purges dead members after GossipToTheDeadTime at the end of a probe round", () => {
  const h = new CoreHarness();
  h.core.start();
  h.core.handleMessage("x:1", alive("a", 2));
  h.core.handleMessage("x:1", alive("gone", 3));
  h.core.handleMessage("x:1", { type: "dead", node: "gone", from: "x", incarnation: 1 });
  h.clock.advance(2000);
  assert(h.core.nodes().some((n) => n.name === "gone"));
  h.clock.advance(1500);
  assert(!h.core.nodes().some((n) => n.name === "gone"));
});

Deno.test("Memberlist asks for a periodic push-pull with an alive member", () => {
  const h = new CoreHarness({ name: "self", probeIntervalMs: 60_000 });
  h.core.start();
  h.core.handleMessage("x:1", alive("a", 2));
  h.clock.advance(4000);
  assertEquals(h.pushPulls, ["10.0.0.2:7946", "10.0.0.2:7946"], "one per 2 s interval");
});

/** Feeds alive messages for members at 10.0.0.2.. with a rising incarnation (refuting suspicions). */
function refresh(h: CoreHarness, names: string[], incarnation: number): void {
  names.forEach((name, i) => h.core.handleMessage("x:1", alive(name, i + 2, incarnation)));
}

Deno.test("Memberlist.syncAfterJoin() asks for push-pulls at 0.5, 1 and 2 probe intervals, the last with the join address", () => {
  const h = new CoreHarness({ name: "self", probeIntervalMs: 100, pushPullIntervalMs: 0 });
  const names = ["a", "b", "c", "d", "e"];
  h.core.start();
  refresh(h, names, 1);
  h.core.syncAfterJoin("10.0.0.6:7946");
  const t0 = h.clock.now();
  const counts: number[] = [];
  let incarnation = 1;
  for (const t of [49, 75, 99, 150, 199, 300, 2000]) {
    // Unanswered probes make members suspect; they refute, so they stay push-pull candidates.
    refresh(h, names, ++incarnation);
    h.clock.advance(t0 + t - h.clock.now());
    counts.push(h.pushPulls.length);
  }
  assertEquals(counts, [0, 1, 1, 2, 2, 3, 3]);
  assertEquals(h.pushPulls[2], "10.0.0.6:7946");
});

Deno.test("Memberlist.syncAfterJoin() falls back to a random alive member when the join address is unknown", () => {
  const h = new CoreHarness({ name: "self", probeIntervalMs: 100, pushPullIntervalMs: 0 });
  h.core.start();
  refresh(h, ["a"], 1);
  h.core.syncAfterJoin("10.9.9.9:7946");
  for (let i = 2; i < 8; i++) {
    refresh(h, ["a"], i);
    h.clock.advance(50);
  }
  assertEquals(h.pushPulls, ["10.0.0.2:7946", "10.0.0.2:7946", "10.0.0.2:7946"]);
});

Deno.test("Memberlist.syncAfterJoin() gossips our own alive again", () => {
  const h = new CoreHarness({ name: "self", probeIntervalMs: 60_000, pushPullIntervalMs: 0 });
  h.core.start();
  refresh(h, ["a"], 1);
  h.clock.advance(2000);
  assertEquals(h.core.pendingBroadcasts, 0);
  h.clear();
  h.core.syncAfterJoin("10.0.0.2:7946");
  h.clock.advance(20);
  assert(h.messages("alive").some((m) => m.msg.node === "self" && m.msg.incarnation === 1));
});

Deno.test("Memberlist.syncAfterJoin() does nothing when joinSyncPushPulls is 0 or after stop()", () => {
  const off = new CoreHarness({ name: "self", joinSyncPushPulls: 0, pushPullIntervalMs: 0 });
  off.core.start();
  off.core.handleMessage("x:1", alive("a", 2));
  off.clock.advance(2000);
  const before = off.core.pendingBroadcasts;
  off.core.syncAfterJoin("10.0.0.2:7946");
  assertEquals(off.core.pendingBroadcasts, before, "no alive re-queued either");
  off.clock.advance(5000);
  assertEquals(off.pushPulls, []);
  const stopped = new CoreHarness({ name: "self", pushPullIntervalMs: 0 });
  stopped.core.start();
  stopped.core.handleMessage("x:1", alive("a", 2));
  stopped.core.syncAfterJoin("10.0.0.2:7946");
  stopped.core.stop();
  stopped.clock.advance(5000);
  assertEquals(stopped.pushPulls, []);
});

Deno.test("Memberlist.updateMeta() gossips the new meta at incarnation + 1 and reports when done", () => {
  const h = new CoreHarness();
  h.core.start();
  h.core.handleMessage("x:1", alive("a", 2));
  h.clear();
  h.delegate.meta = new Uint8Array([0xff, 0x81, 0xa1, 0x6b, 0xa1, 0x76]);
  let done = false;
  assert(h.core.updateMeta(() => done = true));
  assertEquals(h.core.localNode().incarnation, 2);
  h.clock.advance(500);
  assert(done);
  const mine = h.messages("alive").filter((m) => m.msg.node === "self");
  assertEquals(mine[0].msg.incarnation, 2);
  assertEquals([...mine[0].msg.meta], [...h.delegate.meta]);
});

Deno.test("Memberlist.leave() reports whether another member is alive", () => {
  const alone = new CoreHarness();
  alone.core.start();
  assertEquals(alone.core.leave(() => {}), false);
  const h = new CoreHarness();
  h.core.start();
  h.core.handleMessage("x:1", alive("a", 2));
  assertEquals(h.core.leave(() => {}), true);
  assertEquals(h.core.localNode().state, NodeState.LEFT);
});

Deno.test("Memberlist.handleStreamPing() acks our name or an empty one", () => {
  const h = new CoreHarness();
  h.core.start();
  assertEquals(h.core.handleStreamPing({ type: "ping", node: "self", seqNo: 3 }), {
    type: "ack",
    seqNo: 3,
  });
  assertEquals(h.core.handleStreamPing({ type: "ping", node: "", seqNo: 4 })?.seqNo, 4);
  assertEquals(h.core.handleStreamPing({ type: "ping", node: "other", seqNo: 5 }), null);
});

Deno.test("Memberlist.handleMessage() passes user messages to the delegate and ignores bad addresses", () => {
  const h = new CoreHarness();
  h.core.start();
  h.core.handleMessage("x:1", { type: "user", payload: new Uint8Array([1, 2]) });
  assertEquals(h.delegate.userMessages.map((m) => [...m]), [[1, 2]]);
  h.core.handleMessage("x:1", { ...alive("bad", 2), addr: new Uint8Array([1, 2, 3]) });
  assertEquals(h.core.nodes().length, 1);
});

Deno.test("Memberlist.stop() stops every periodic task", () => {
  const h = new CoreHarness();
  h.core.start();
  h.core.handleMessage("x:1", alive("a", 2));
  h.core.stop();
  h.clear();
  h.clock.advance(10_000);
  assertEquals(h.sent.length, 0);
  assertEquals(h.pushPulls.length, 0);
});
