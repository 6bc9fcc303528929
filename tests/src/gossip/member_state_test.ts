import { Awareness } from "../../../src/gossip/awareness.ts";
import { BroadcastQueue } from "../../../src/gossip/broadcast_queue.ts";
import {
  FAST_PRESET,
  LAN_PRESET,
  resolveMemberlistConfig,
} from "../../../src/gossip/memberlist_config.ts";
import { MemberState } from "../../../src/gossip/member_state.ts";
import { decodeMessage } from "../../../src/gossip/message_codec.ts";
import { NodeState, type PacketMessage } from "../../../src/gossip/messages.ts";
import { NodeTable } from "../../../src/gossip/node_table.ts";
import { noopLogger } from "../../../src/logger.ts";
import { assert, assertEquals } from "../../_helpers/assert.ts";
import { TestDelegate } from "../../_helpers/cluster.ts";
import { alive } from "../../_helpers/core_harness.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";
import { seededRandom } from "../../_helpers/seeded_random.ts";

function setup(reclaimMs = 0) {
  const clock = new ManualClock(1000);
  const table = new NodeTable(seededRandom(1));
  const broadcasts = new BroadcastQueue({ retransmitMult: 4, numNodes: () => table.size });
  const awareness = new Awareness(8);
  const delegate = new TestDelegate(() => clock.now());
  const config = resolveMemberlistConfig(
    { name: "self", deadNodeReclaimTimeMs: reclaimMs },
    LAN_PRESET,
  );
  const state = new MemberState({
    config,
    clock,
    table,
    broadcasts,
    awareness,
    delegate,
    logger: noopLogger,
  });
  state.aliveNode(alive("self", 1), { bootstrap: true });
  broadcasts.clear();
  delegate.events.length = 0;
  const queued = (): PacketMessage[] => {
    const out = broadcasts.take(0, 100_000).map(decodeMessage);
    broadcasts.clear();
    return out;
  };
  return { clock, table, broadcasts, awareness, delegate, state, queued };
}

Deno.test("MemberState.aliveNode() adds a new member, fires join and re-gossips", () => {
  const s = setup();
  s.state.aliveNode(alive("a", 2));
  assertEquals(s.table.get("a")?.state, NodeState.ALIVE);
  assertEquals(s.delegate.events.map((e) => `${e.type}:${e.name}`), ["join:a"]);
  assertEquals(s.queued().map((m) => m.type), ["alive"]);
});

Deno.test("MemberState.aliveNode() ignores an old or equal incarnation and a bad Vsn", () => {
  const s = setup();
  s.state.aliveNode(alive("a", 2, 3));
  s.queued();
  s.state.aliveNode({ ...alive("a", 2, 3), meta: new Uint8Array([0xff, 0x81]) });
  s.state.aliveNode(alive("a", 2, 2));
  s.state.aliveNode(alive("b", 3, 1, [0, 5, 2, 2, 5, 4]));
  assertEquals(s.queued().length, 0);
  assertEquals(s.table.get("b"), undefined);
});

Deno.test("MemberState.aliveNode() fires update when a newer alive changes meta", () => {
  const s = setup();
  s.state.aliveNode(alive("a", 2));
  s.state.aliveNode({
    ...alive("a", 2, 2),
    meta: new Uint8Array([0xff, 0x81, 0xa1, 0x6b, 0xa1, 0x76]),
  });
  assertEquals(s.delegate.events.map((e) => e.type), ["join", "update"]);
  assertEquals(s.table.get("a")?.incarnation, 2);
});

Deno.test("MemberState.aliveNode() refuses a live name at another address and tells the delegate", () => {
  const s = setup();
  s.state.aliveNode(alive("a", 2));
  s.state.aliveNode(alive("a", 9, 5));
  assertEquals([...s.table.get("a")!.addr], [10, 0, 0, 2]);
  const conflict = s.delegate.events.find((e) => e.type === "conflict");
  assertEquals(conflict?.name, "a");
});

Deno.test("MemberState.aliveNode() refuses a move out of dead but accepts one out of left", () => {
  const s = setup();
  s.state.aliveNode(alive("a", 2));
  s.state.deadNode({ type: "dead", node: "a", from: "x", incarnation: 1 });
  s.state.aliveNode(alive("a", 9, 2));
  assertEquals(s.table.get("a")?.state, NodeState.DEAD);
  s.state.aliveNode(alive("b", 3));
  s.state.deadNode({ type: "dead", node: "b", from: "b", incarnation: 1 });
  s.state.aliveNode(alive("b", 8, 1));
  assertEquals(s.table.get("b")?.state, NodeState.ALIVE);
  assertEquals([...s.table.get("b")!.addr], [10, 0, 0, 8]);
});

Deno.test("MemberState.aliveNode() reclaims a dead name after deadNodeReclaimTimeMs", () => {
  const s = setup(1000);
  s.state.aliveNode(alive("a", 2));
  s.state.deadNode({ type: "dead", node: "a", from: "x", incarnation: 1 });
  s.clock.advance(1001);
  s.state.aliveNode(alive("a", 9, 1));
  assertEquals(s.table.get("a")?.state, NodeState.ALIVE);
});

Deno.test("MemberState.suspectNode() about us refutes with a higher incarnation and worse health", () => {
  const s = setup();
  s.state.suspectNode({ type: "suspect", node: "self", from: "a", incarnation: 5 });
  assertEquals(s.table.get("self")?.incarnation, 6);
  assertEquals(s.table.get("self")?.state, NodeState.ALIVE);
  assertEquals(s.awareness.score, 1);
  const [refutation] = s.queued();
  assert(refutation.type === "alive" && refutation.incarnation === 6);
});

Deno.test("MemberState.aliveNode() about us with a newer incarnation refutes it", () => {
  const s = setup();
  s.state.aliveNode({ ...alive("self", 1, 3) });
  assertEquals(s.table.get("self")?.incarnation, 4);
});

Deno.test("MemberState.suspectNode() declares the member dead after the suspicion timeout", () => {
  const s = setup();
  s.state.aliveNode(alive("a", 2));
  s.state.suspectNode({ type: "suspect", node: "a", from: "self", incarnation: 1 });
  assertEquals(s.table.get("a")?.state, NodeState.SUSPECT);
  s.clock.advance(3999);
  assertEquals(s.table.get("a")?.state, NodeState.SUSPECT);
  s.clock.advance(1);
  assertEquals(s.table.get("a")?.state, NodeState.DEAD);
  assertEquals(s.delegate.events.at(-1)?.type, "leave");
  assertEquals(s.delegate.events.at(-1)?.state, NodeState.DEAD);
});

Deno.test("MemberState.aliveNode() with a higher incarnation cancels a suspicion", () => {
  const s = setup();
  s.state.aliveNode(alive("a", 2));
  s.state.suspectNode({ type: "suspect", node: "a", from: "self", incarnation: 1 });
  s.state.aliveNode(alive("a", 2, 2));
  s.clock.advance(10_000);
  assertEquals(s.table.get("a")?.state, NodeState.ALIVE);
});

Deno.test("MemberState.suspectNode() confirmations from others are re-gossiped up to k", () => {
  const s = setup();
  for (let i = 2; i < 7; i++) s.state.aliveNode(alive(`p${i}`, i));
  s.state.suspectNode({ type: "suspect", node: "p2", from: "p3", incarnation: 1 });
  s.queued();
  s.state.suspectNode({ type: "suspect", node: "p2", from: "p4", incarnation: 1 });
  s.state.suspectNode({ type: "suspect", node: "p2", from: "p4", incarnation: 1 });
  s.state.suspectNode({ type: "suspect", node: "p2", from: "p5", incarnation: 1 });
  s.state.suspectNode({ type: "suspect", node: "p2", from: "p6", incarnation: 1 });
  assertEquals(s.queued().length, 1, "the queue keeps the newest suspect per member");
  s.clock.advance(4000);
  assertEquals(
    s.table.get("p2")?.state,
    NodeState.DEAD,
    "k = 2 confirmations bring it down to 4 s",
  );
});

Deno.test("MemberState.deadNode() with From == Node marks the member left", () => {
  const s = setup();
  s.state.aliveNode(alive("a", 2));
  s.state.deadNode({ type: "dead", node: "a", from: "a", incarnation: 1 });
  assertEquals(s.table.get("a")?.state, NodeState.LEFT);
  assertEquals(s.delegate.events.at(-1)?.state, NodeState.LEFT);
  s.state.deadNode({ type: "dead", node: "a", from: "x", incarnation: 1 });
  assertEquals(s.table.get("a")?.state, NodeState.LEFT);
});

Deno.test("MemberState.deadNode() about us refutes unless we are leaving", () => {
  const s = setup();
  s.state.deadNode({ type: "dead", node: "self", from: "a", incarnation: 1 });
  assertEquals(s.table.get("self")?.state, NodeState.ALIVE);
  assertEquals(s.table.get("self")?.incarnation, 2);
  s.queued();
  s.state.leave(() => {});
  assertEquals(s.table.get("self")?.state, NodeState.LEFT);
  const [dead] = s.queued();
  assert(dead.type === "dead" && dead.from === "self" && dead.node === "self");
  assert(s.state.leaving);
  s.state.deadNode({ type: "dead", node: "self", from: "a", incarnation: 5 });
  assertEquals(s.table.get("self")?.incarnation, 2, "no refutation while leaving");
});

Deno.test("MemberState.leave() runs its callback once the dead broadcast is fully retransmitted", () => {
  const s = setup();
  s.state.aliveNode(alive("a", 2));
  s.broadcasts.clear();
  let done = false;
  s.state.leave(() => done = true);
  for (let i = 0; i < 3; i++) s.broadcasts.take(0, 10_000);
  assert(!done);
  s.broadcasts.take(0, 10_000);
  assert(done);
  s.state.aliveNode(alive("self", 1, 9));
  assertEquals(
    s.table.get("self")?.state,
    NodeState.LEFT,
    "alive about us is ignored after leaving",
  );
});

Deno.test("MemberState.stop() cancels running suspicions", () => {
  const s = setup();
  s.state.aliveNode(alive("a", 2));
  s.state.suspectNode({ type: "suspect", node: "a", from: "self", incarnation: 1 });
  s.state.stop();
  s.clock.advance(100_000);
  assertEquals(s.table.get("a")?.state, NodeState.SUSPECT);
  void FAST_PRESET;
});
