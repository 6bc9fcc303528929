import { NodeState } from "../../../src/gossip/messages.ts";
import { type NodeEntry, NodeTable, toNodeRecord } from "../../../src/gossip/node_table.ts";
import { assert, assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { seededRandom } from "../../_helpers/seeded_random.ts";

function entry(name: string, state: NodeState = NodeState.ALIVE, changed = 0): NodeEntry {
  return {
    name,
    addr: new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 10, 0, 0, 1]),
    port: 1,
    meta: new Uint8Array(),
    vsn: [1, 5, 2, 2, 5, 4],
    incarnation: 1,
    state,
    stateChangeMs: changed,
  };
}

Deno.test("NodeTable.nextProbeTarget() visits every live member once per round, skipping self and dead", () => {
  const t = new NodeTable(seededRandom(3));
  for (const n of ["self", "a", "b", "c"]) t.add(entry(n));
  t.add(entry("d", NodeState.DEAD));
  t.add(entry("l", NodeState.LEFT));
  let wraps = 0;
  const seen: string[] = [];
  for (let i = 0; i < 3; i++) seen.push(t.nextProbeTarget("self", () => wraps++)!.name);
  assertEquals(seen.sort(), ["a", "b", "c"]);
  t.nextProbeTarget("self", () => wraps++);
  assertEquals(wraps, 1);
});

Deno.test("NodeTable.nextProbeTarget() returns undefined when nobody qualifies", () => {
  const t = new NodeTable(seededRandom(3));
  t.add(entry("self"));
  assertEquals(t.nextProbeTarget("self", () => {}), undefined);
});

Deno.test("NodeTable.purge() removes dead and left members that changed before the cutoff", () => {
  const t = new NodeTable(seededRandom(3));
  t.add(entry("old", NodeState.DEAD, 10));
  t.add(entry("new", NodeState.DEAD, 100));
  t.add(entry("left", NodeState.LEFT, 10));
  t.add(entry("ok", NodeState.ALIVE, 0));
  assertEquals(t.purge(50).sort(), ["left", "old"]);
  assertEquals(t.size, 2);
  assertEquals(t.get("old"), undefined);
});

Deno.test("NodeTable.setState() keeps the alive count and the change time", () => {
  const t = new NodeTable(seededRandom(3));
  const a = entry("a");
  t.add(a);
  assertEquals(t.aliveCount, 1);
  t.setState(a, NodeState.SUSPECT, 5);
  assertEquals(t.aliveCount, 0);
  assertEquals(a.stateChangeMs, 5);
  assertThrows(() => t.add(entry("a")), RangeError);
});

Deno.test("NodeTable.randomSample() returns distinct accepted entries", () => {
  const t = new NodeTable(seededRandom(9));
  for (let i = 0; i < 20; i++) t.add(entry(`n${i}`, i % 2 ? NodeState.ALIVE : NodeState.DEAD));
  const picked = t.randomSample(5, (e) => e.state === NodeState.ALIVE);
  assertEquals(picked.length, 5);
  assertEquals(new Set(picked.map((e) => e.name)).size, 5);
  assert(picked.every((e) => e.state === NodeState.ALIVE));
  assertEquals(t.randomSample(50, (e) => e.state === NodeState.ALIVE).length, 10);
});

Deno.test("toNodeRecord() shows an IPv4-mapped address as IPv4", () => {
  assertEquals(toNodeRecord(entry("a")).ip, "10.0.0.1");
});
