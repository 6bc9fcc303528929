import { BroadcastQueue } from "../../../src/gossip/broadcast_queue.ts";
import { GossipSender } from "../../../src/gossip/gossip_sender.ts";
import { resolveMemberlistConfig } from "../../../src/gossip/memberlist_config.ts";
import { encodeCompound } from "../../../src/gossip/message_codec.ts";
import { assert, assertEquals } from "../../_helpers/assert.ts";
import { TestDelegate } from "../../_helpers/cluster.ts";

function setup(overhead = 0) {
  const delegate = new TestDelegate(() => 0);
  const sent: { to: string; parts: readonly Uint8Array[]; crc: boolean }[] = [];
  const broadcasts = new BroadcastQueue({ retransmitMult: 4, numNodes: () => 3 });
  const sender = new GossipSender({
    config: resolveMemberlistConfig({ name: "self" }),
    broadcasts,
    delegate,
    packetOverhead: overhead,
    effects: { sendPacket: (to, parts, crc) => sent.push({ to, parts, crc }) },
  });
  return { delegate, sent, broadcasts, sender };
}

Deno.test("GossipSender.sendMsg() piggy-backs memberlist then delegate broadcasts as user messages", () => {
  const s = setup();
  s.broadcasts.queue({ bytes: new Uint8Array([4, 1]) });
  const serf = [new Uint8Array([1, 0x82])];
  s.delegate.getBroadcasts = (_o: number, _l: number) => serf;
  s.sender.sendMsg("10.0.0.2:7946", { type: "nack", seqNo: 1 });
  const [pkt] = s.sent;
  assertEquals(pkt.parts.map((p) => p[0]), [11, 4, 8]);
  assertEquals([...pkt.parts[2]], [8, 1, 0x82]);
  assertEquals(pkt.crc, false);
});

Deno.test("GossipSender.sendMsg() keeps the packet within the 1400-byte budget", () => {
  const s = setup(29);
  for (let i = 0; i < 100; i++) s.broadcasts.queue({ bytes: new Uint8Array(60).fill(4) });
  s.sender.sendMsg("10.0.0.2:7946", { type: "nack", seqNo: 1 });
  const size = encodeCompound(s.sent[0].parts).length + 29;
  assert(size <= 1400, `packet of ${size} bytes`);
  assert(size > 1300, `packet of ${size} bytes should be nearly full`);
});

Deno.test("GossipSender.takeBroadcasts() asks the delegate with room for the 08 prefix", () => {
  const s = setup();
  let asked: number[] = [];
  s.delegate.getBroadcasts = (overhead: number, limit: number) => {
    asked = [overhead, limit];
    return [] as Uint8Array[];
  };
  s.sender.takeBroadcasts(2, 100);
  assertEquals(asked, [3, 100]);
});
