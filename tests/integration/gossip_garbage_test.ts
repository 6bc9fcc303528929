/**
 * Robustness: 100,000 random and mutated UDP packets thrown at a live
 * GossipAgent on real 127.0.0.1 sockets. Afterwards the two-member cluster
 * must be intact (both alive to each other, queries still answered) and the
 * node must have counted what it dropped.
 */
import { GossipAgent } from "../../src/gossip/agent.ts";
import type { PacketMessage } from "../../src/gossip/messages.ts";
import { encodeMessage } from "../../src/gossip/message_codec.ts";
import { encodePacket } from "../../src/gossip/packet_codec.ts";
import { encodeSerfMessage } from "../../src/gossip/serf_messages.ts";
import { assert, assertEquals } from "../_helpers/assert.ts";
import { seededRandom } from "../_helpers/seeded_random.ts";
import { waitFor } from "./_serf_agent.ts";

const TOTAL = 100_000;
const BATCH = 100;
const GHOST = new Uint8Array([10, 9, 9, 9]);

/** Real encoded packets about a member that does not exist, to mutate. */
async function templates(target: string): Promise<Uint8Array[]> {
  const serf = [
    encodeSerfMessage({ type: "join", lTime: 3, node: "ghost" }),
    encodeSerfMessage({ type: "leave", lTime: 4, node: "ghost", prune: false }),
    encodeSerfMessage({
      type: "userEvent",
      lTime: 2,
      name: "fuzz",
      payload: new Uint8Array(20),
      cc: false,
    }),
    encodeSerfMessage({
      type: "query",
      lTime: 5,
      id: 7,
      addr: GHOST,
      port: 1,
      sourceNode: "ghost",
      filters: [],
      flags: 2,
      relayFactor: 0,
      timeoutMs: 1,
      name: "fuzz",
      payload: new Uint8Array(8),
    }),
  ];
  const messages: PacketMessage[] = [
    { type: "ping", node: target, seqNo: 9, sourceAddr: GHOST, sourceNode: "ghost", sourcePort: 1 },
    { type: "ack", seqNo: 12345 },
    { type: "nack", seqNo: 3 },
    { type: "suspect", from: "ghost", incarnation: 0, node: "ghost" },
    { type: "dead", from: "ghost", incarnation: 0, node: "ghost" },
    { type: "indirectPing", nack: true, node: "ghost", port: 1, seqNo: 4, target: GHOST },
    ...serf.map((payload): PacketMessage => ({ type: "user", payload })),
  ];
  const single = messages.map(encodeMessage);
  const out = [...single];
  out.push(await encodePacket(single, { crc: true }));
  out.push(await encodePacket(single.slice(0, 4), { crc: false, compress: true }));
  out.push(await encodePacket(single[6], { crc: true, compress: true }));
  return out;
}

function mutate(base: Uint8Array, random: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n);
  const kind = pick(5);
  if (kind === 0) return crypto.getRandomValues(new Uint8Array(pick(1400)));
  if (kind === 1) return base.slice(0, pick(base.length));
  const out = base.slice();
  const flips = 1 + pick(kind === 2 ? 2 : 12);
  for (let i = 0; i < flips && out.length > 0; i++) out[pick(out.length)] = pick(256);
  if (kind === 4 && out.length > 0) out[0] = [7, 9, 12, 8, 4, 0xf4, 10][pick(7)];
  return out;
}

Deno.test("GossipAgent survives 100,000 random and mutated UDP packets and counts the drops", async () => {
  const random = seededRandom(4242);
  const a = await GossipAgent.start({ name: "target", bindAddr: "127.0.0.1:0", profile: "fast" });
  const b = await GossipAgent.start({ name: "peer", bindAddr: "127.0.0.1:0", profile: "fast" });
  const sock = Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" });
  try {
    await b.join([a.advertiseAddr]);
    await waitFor(() => a.members().length === 2 && b.members().length === 2, 5000, "join");
    const bases = await templates("target");
    const [host, port] = a.advertiseAddr.split(":");
    const to: Deno.NetAddr = { transport: "udp", hostname: host, port: Number(port) };
    const start = performance.now();
    const before = a.stats().packetsReceived;
    for (let sent = 0; sent < TOTAL; sent += BATCH) {
      for (let i = 0; i < BATCH; i++) {
        await sock.send(mutate(bases[Math.floor(random() * bases.length)], random), to);
      }
      // Back-pressure: let the node read a batch before the next one (the
      // kernel's receive buffer holds only ~150 datagrams). Bounded at 200 ms.
      const expected = before + sent + BATCH;
      const deadline = performance.now() + 200;
      while (a.stats().packetsReceived < expected && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    const seconds = (performance.now() - start) / 1000;
    const stats = a.stats();
    const dropped = Object.entries(stats).filter(([k]) => k.startsWith("dropped_")).reduce(
      (s, [, v]) => s + v,
      0,
    );
    const extra = a.members().filter((m) => m.name !== "target" && m.name !== "peer");
    console.log(
      `100k garbage packets: ${seconds.toFixed(1)} s, received ${
        stats.packetsReceived - before
      }, ` +
        `dropped ${dropped}, phantom members ${
          extra.map((m) => `${m.name}:${m.status}`).join(",") || "none"
        }`,
    );
    assert(stats.packetsReceived - before > TOTAL * 0.8, "most packets should reach the node");
    assert(dropped > TOTAL * 0.3, `drops should be counted, got ${dropped}`);
    assert(seconds < 60, "must finish in under 60 s");
    // The real cluster is intact.
    await waitFor(
      () => a.members().find((m) => m.name === "peer")?.status === "alive",
      5000,
      "peer alive",
    );
    assertEquals(b.members().find((m) => m.name === "target")?.status, "alive");
    const result = await b.query("_serf_ping", new Uint8Array(), {
      requestAck: true,
      timeoutMs: 1000,
    });
    assertEquals([...result.acks].sort(), ["peer", "target"]);
  } finally {
    sock.close();
    await a.close();
    await b.close();
  }
});
