import { RegistryError } from "../../../lib/errors.ts";
import { NodeState, type PushNodeState, type Vsn } from "../../../src/gossip/messages.ts";
import type { NodeEntry } from "../../../src/gossip/node_table.ts";
import {
  buildPushPull,
  joinSyncDelays,
  parseJoinAddress,
  pushPullScale,
  verifyProtocol,
} from "../../../src/gossip/push_pull.ts";
import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { alive, CoreHarness } from "../../_helpers/core_harness.ts";

const V: Vsn = [1, 5, 2, 2, 5, 4];

function entry(name: string, state: NodeState, vsn: Vsn = V): NodeEntry {
  return {
    name,
    addr: new Uint8Array([10, 0, 0, 1]),
    port: 1,
    meta: new Uint8Array(),
    vsn,
    incarnation: 1,
    state,
    stateChangeMs: 0,
  };
}

function pushed(
  name: string,
  state: NodeState,
  i: number,
  incarnation = 1,
  vsn: Vsn = V,
): PushNodeState {
  return {
    name,
    addr: new Uint8Array([10, 0, 0, i]),
    port: 7946,
    meta: new Uint8Array([0xff, 0x80]),
    vsn,
    incarnation,
    state,
  };
}

Deno.test("buildPushPull() lists every entry with its state and full Vsn", () => {
  const msg = buildPushPull(
    [entry("a", NodeState.ALIVE), entry("b", NodeState.LEFT)],
    true,
    new Uint8Array([2]),
  );
  assertEquals(msg.join, true);
  assertEquals(msg.nodes.map((n) => `${n.name}:${n.state}:${n.vsn.length}`), ["a:0:6", "b:3:6"]);
  assertEquals([...msg.userState], [2]);
});

Deno.test("verifyProtocol() accepts serf agents and rejects a member outside the range", () => {
  verifyProtocol([pushed("agent", NodeState.ALIVE, 2, 1, [1, 5, 2, 2, 5, 5])], [
    entry("self", NodeState.ALIVE),
  ]);
  assertThrows(
    () =>
      verifyProtocol([pushed("old", NodeState.ALIVE, 2, 1, [1, 1, 1, 2, 5, 4])], [
        entry("self", NodeState.ALIVE),
      ]),
    RegistryError,
  );
  assertThrows(
    () =>
      verifyProtocol([pushed("dead", NodeState.DEAD, 2, 1, [0, 0, 0, 0, 0, 0])], [
        entry("self", NodeState.ALIVE),
      ]),
    RegistryError,
    'protocol version "0"',
  );
});

Deno.test("Memberlist.mergeRemoteState() treats alive as alive, left as leave and dead as suspicion", () => {
  const h = new CoreHarness();
  h.core.start();
  h.core.handleMessage("x:1", alive("c", 4));
  h.core.mergeRemoteState({
    type: "pushPull",
    join: false,
    userState: new Uint8Array([9]),
    nodes: [
      pushed("a", NodeState.ALIVE, 2),
      pushed("b", NodeState.LEFT, 3),
      pushed("c", NodeState.DEAD, 4),
    ],
  });
  const states = Object.fromEntries(h.core.nodes().map((n) => [n.name, n.state]));
  assertEquals(states.a, NodeState.ALIVE);
  assertEquals(states.b, undefined, "an unknown left member is not added");
  assertEquals(states.c, NodeState.SUSPECT);
});

Deno.test("Memberlist.mergeRemoteState() refutes a stale dead record about us", () => {
  const h = new CoreHarness();
  h.core.start();
  h.core.mergeRemoteState({
    type: "pushPull",
    join: true,
    userState: new Uint8Array(),
    nodes: [{ ...pushed("self", NodeState.DEAD, 1, 7) }],
  });
  assertEquals(h.core.localNode().incarnation, 8);
  assertEquals(h.core.localNode().state, NodeState.ALIVE);
});

Deno.test("Memberlist.mergeRemoteState() merges nothing when versions are incompatible", () => {
  const h = new CoreHarness();
  h.core.start();
  assertThrows(() =>
    h.core.mergeRemoteState({
      type: "pushPull",
      join: true,
      userState: new Uint8Array(),
      nodes: [
        pushed("a", NodeState.ALIVE, 2),
        pushed("z", NodeState.ALIVE, 3, 1, [1, 5, 2, 2, 3, 3]),
      ],
    }), RegistryError);
  assertEquals(h.core.nodes().length, 1);
});

Deno.test("pushPullScale() keeps the interval up to 32 members, then scales by log2", () => {
  assertEquals(pushPullScale(30_000, 32), 30_000);
  assertEquals(pushPullScale(30_000, 33), 60_000);
  assertEquals(pushPullScale(30_000, 64), 60_000);
  assertEquals(pushPullScale(30_000, 65), 90_000);
  assertEquals(pushPullScale(30_000, 1000), 180_000);
});

Deno.test("parseJoinAddress() accepts [name/]host[:port] with our port as default", () => {
  assertEquals(parseJoinAddress("127.0.0.1", 7946), { name: "", addr: "127.0.0.1:7946" });
  assertEquals(parseJoinAddress("a/10.0.0.1:7000", 7946), { name: "a", addr: "10.0.0.1:7000" });
  assertEquals(parseJoinAddress("[::1]:7000", 7946), { name: "", addr: "[::1]:7000" });
  assertThrows(() => parseJoinAddress(":7000", 7946), TypeError);
});

Deno.test("joinSyncDelays() doubles from half a probe interval, stretched by under 50 %", () => {
  assertEquals(joinSyncDelays(3, 1000, () => 0), [500, 1000, 2000]);
  assertEquals(joinSyncDelays(2, 1000, () => 0.999), [749, 1499]);
  assertEquals(joinSyncDelays(0, 1000, () => 0.5), []);
});
