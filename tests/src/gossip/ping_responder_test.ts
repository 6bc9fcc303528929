import { sourcedPing } from "../../../src/gossip/ping_responder.ts";
import { assertEquals } from "../../_helpers/assert.ts";
import { alive, CoreHarness } from "../../_helpers/core_harness.ts";

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

Deno.test("PingResponder.handlePing() acks to SourceAddr:SourcePort with the delegate's payload", () => {
  const h = started(0);
  h.delegate.ackPayload = () => new Uint8Array([1, 2]);
  h.core.handleMessage("10.9.9.9:1", {
    type: "ping",
    node: "self",
    seqNo: 7,
    sourceAddr: new Uint8Array([10, 0, 0, 5]),
    sourcePort: 9000,
    sourceNode: "x",
  });
  const [ack] = h.messages("ack");
  assertEquals(ack.to, "10.0.0.5:9000");
  assertEquals(ack.msg.seqNo, 7);
  assertEquals([...ack.msg.payload!], [1, 2]);
  assertEquals(h.sent[0].crc, false);
});

Deno.test("PingResponder.handlePing() answers an unnamed ping at the packet source and ignores other names", () => {
  const h = started(0);
  h.core.handleMessage("10.9.9.9:1", { type: "ping", node: "", seqNo: 1 });
  h.core.handleMessage("10.9.9.9:1", { type: "ping", node: "other", seqNo: 2 });
  assertEquals(h.messages("ack").map((a) => `${a.to}#${a.msg.seqNo}`), ["10.9.9.9:1#1"]);
});

Deno.test("PingResponder.handleIndirectPing() pings the target and forwards its ack", () => {
  const h = started(0);
  h.core.handleMessage("10.0.0.3:7946", {
    type: "indirectPing",
    seqNo: 77,
    node: "p2",
    target: new Uint8Array([10, 0, 0, 2]),
    port: 7946,
    nack: true,
    sourceAddr: new Uint8Array([10, 0, 0, 3]),
    sourcePort: 7000,
    sourceNode: "p3",
  });
  const [ping] = h.messages("ping");
  assertEquals(ping.to, "10.0.0.2:7946");
  assertEquals(ping.msg.node, "p2");
  h.core.handleMessage(ping.to, {
    type: "ack",
    seqNo: ping.msg.seqNo,
    payload: new Uint8Array([9]),
  });
  h.clock.advance(100);
  const acks = h.messages("ack");
  assertEquals(acks.map((a) => `${a.to}#${a.msg.seqNo}`), ["10.0.0.3:7000#77"]);
  assertEquals(h.messages("nack").length, 0);
});

Deno.test("PingResponder.handleIndirectPing() sends a nack after ProbeTimeout without an ack", () => {
  const h = started(0);
  h.core.handleMessage("10.0.0.3:7946", {
    type: "indirectPing",
    seqNo: 78,
    node: "p2",
    target: new Uint8Array([10, 0, 0, 2]),
    port: 7946,
    nack: true,
  });
  h.clock.advance(49);
  assertEquals(h.messages("nack").length, 0);
  h.clock.advance(1);
  assertEquals(h.messages("nack").map((n) => `${n.to}#${n.msg.seqNo}`), ["10.0.0.3:7946#78"]);
});

Deno.test("sourcedPing() fills Source fields from our name and address", () => {
  const ping = sourcedPing(3, "b", "a", { addr: new Uint8Array([10, 0, 0, 1]), port: 7946 });
  assertEquals(ping.sourceNode, "a");
  assertEquals(ping.sourcePort, 7946);
  assertEquals([...ping.sourceAddr!], [10, 0, 0, 1]);
  assertEquals(ping.node, "b");
});
