import { NodeState } from "../../../src/gossip/messages.ts";
import { assert, assertEquals } from "../../_helpers/assert.ts";
import { alive, CoreHarness } from "../../_helpers/core_harness.ts";

const SELF_ADDR = new Uint8Array([10, 0, 0, 1]);

function started(
  peers: number,
  vsn: [number, number, number, number, number, number] = [1, 5, 2, 2, 5, 4],
) {
  const h = new CoreHarness();
  h.core.start();
  for (let i = 2; i < 2 + peers; i++) {
    h.core.handleMessage(`10.0.0.${i}:7946`, alive(`p${i}`, i, 1, vsn));
  }
  h.clear();
  return h;
}

/** Advances 1 ms at a time until the first probe ping goes out; returns it. */
function firstPing(h: CoreHarness) {
  assert(h.clock.runUntil(() => h.messages("ping").length > 0, 200, 1));
  return h.messages("ping")[0];
}

function stateOf(h: CoreHarness, name: string): number | undefined {
  return h.core.nodes().find((n) => n.name === name)?.state;
}

Deno.test("Prober.probe() pings a member with Source fields and an ack keeps it alive", () => {
  const h = started(1);
  const ping = firstPing(h);
  assertEquals(ping.to, "10.0.0.2:7946");
  assertEquals(ping.msg.node, "p2");
  assertEquals([...ping.msg.sourceAddr!], [...SELF_ADDR]);
  assertEquals(ping.msg.sourcePort, 7946);
  assertEquals(ping.msg.sourceNode, "self");
  h.core.handleMessage(ping.to, { type: "ack", seqNo: ping.msg.seqNo });
  h.clock.advance(60);
  assertEquals(stateOf(h, "p2"), NodeState.ALIVE);
  assertEquals(h.tcpPings.length, 0, "an ack in time needs no fallback");
  assertEquals(h.messages("indirectPing").length, 0);
});

Deno.test("Prober.probe() sends indirect pings with nack and a TCP ping, then suspects", () => {
  const h = started(4);
  const ping = firstPing(h);
  const target = ping.msg.node;
  h.clock.advance(50);
  const indirect = h.messages("indirectPing");
  assertEquals(indirect.length, 3);
  assert(
    indirect.every((i) => i.msg.nack && i.msg.node === target && i.msg.seqNo === ping.msg.seqNo),
  );
  assert(indirect.every((i) => !i.to.startsWith(ping.to)));
  assertEquals(h.tcpPings.length, 1);
  assertEquals(h.tcpPings[0].to, ping.to);
  h.core.handleMessage(indirect[0].to, { type: "nack", seqNo: ping.msg.seqNo });
  h.core.tcpPingResult(ping.msg.seqNo, false);
  h.clock.advance(50);
  assertEquals(stateOf(h, target), NodeState.SUSPECT);
  assertEquals(h.core.healthScore, 2, "three nacks expected, one received");
});

Deno.test("Prober.probe() counts a relayed ack as success", () => {
  const h = started(3);
  const ping = firstPing(h);
  h.clock.advance(60);
  h.core.handleMessage("10.0.0.3:7946", { type: "ack", seqNo: ping.msg.seqNo });
  h.core.tcpPingResult(ping.msg.seqNo, false);
  h.clock.advance(100);
  assertEquals(stateOf(h, ping.msg.node), NodeState.ALIVE);
});

Deno.test("Prober.tcpPingResult() success avoids a suspicion", () => {
  const h = started(1);
  const ping = firstPing(h);
  h.clock.advance(50);
  assertEquals(h.messages("indirectPing").length, 0, "no other member to ask");
  h.clock.advance(49);
  h.core.tcpPingResult(ping.msg.seqNo, true);
  h.clock.advance(100);
  assertEquals(stateOf(h, "p2"), NodeState.ALIVE);
});

Deno.test("Prober.probe() without TCP-capable or nack-capable peers raises health by one", () => {
  const h = started(2, [1, 2, 2, 2, 5, 4]);
  const ping = firstPing(h);
  h.clock.advance(50);
  assertEquals(h.tcpPings.length, 0, "PMax 2 peers get no TCP ping");
  assert(h.messages("indirectPing").every((i) => !i.msg.nack));
  h.clock.advance(50);
  assertEquals(stateOf(h, ping.msg.node), NodeState.SUSPECT);
  assertEquals(h.core.healthScore, 1);
});

Deno.test("Prober.probe() sends a suspect member compound[ping, suspect] with a CRC", () => {
  const h = started(1);
  h.core.handleMessage("10.0.0.9:1", { type: "suspect", node: "p2", from: "x", incarnation: 1 });
  h.clear();
  firstPing(h);
  const pkt = h.sent.find((p) => p.messages[0].type === "ping")!;
  assertEquals(pkt.messages.map((m) => m.type), ["ping", "suspect"]);
  assertEquals(pkt.crc, true);
  const suspect = pkt.messages[1];
  assert(suspect.type === "suspect" && suspect.from === "self" && suspect.node === "p2");
});

Deno.test("Prober.probe() gives up on a TCP ping that never reports", () => {
  const h = started(1);
  const ping = firstPing(h);
  assertEquals(ping.to, "10.0.0.2:7946");
  h.clock.advance(149);
  assertEquals(stateOf(h, "p2"), NodeState.ALIVE);
  h.clock.advance(1);
  assertEquals(stateOf(h, "p2"), NodeState.SUSPECT);
});
