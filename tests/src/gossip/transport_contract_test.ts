import { UdpTcpTransport } from "../../../src/gossip/udp_tcp_transport.ts";
import { drain } from "../../_helpers/cluster.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";
import { MemoryNetwork } from "../../_helpers/memory_network.ts";
import { seededRandom } from "../../_helpers/seeded_random.ts";
import { transportContract } from "./transport_contract.ts";
import { assert, assertEquals, assertNotEquals } from "../../_helpers/assert.ts";

transportContract("MemoryNetwork transport", () => {
  const clock = new ManualClock();
  const net = new MemoryNetwork(clock, seededRandom(1));
  net.delayMs = 2;
  const a = net.transport("10.0.0.1:7946");
  const b = net.transport("10.0.0.2:7946");
  return Promise.resolve({
    a,
    b,
    deadAddr: "10.0.0.3:7946",
    async settle<T>(p: Promise<T>): Promise<T> {
      let done = false;
      const watched = p.finally(() => done = true);
      watched.catch(() => {});
      for (let i = 0; i < 1000 && !done; i++) {
        await drain();
        if (!done) clock.advance(1);
      }
      return await watched;
    },
    async close() {
      await a.close();
      await b.close();
    },
  });
});

function udpPair(host: string) {
  return async () => {
    const a = await UdpTcpTransport.listen(`${host}:0`);
    const b = await UdpTcpTransport.listen(`${host}:0`);
    const spare = Deno.listen({ hostname: host.replace(/[[\]]/g, ""), port: 0 });
    const deadAddr = `${host}:${(spare.addr as Deno.NetAddr).port}`;
    spare.close();
    return realPair(a, b, deadAddr);
  };
}

function hasIpv6Loopback(): boolean {
  try {
    Deno.listen({ hostname: "::1", port: 0 }).close();
    return true;
  } catch {
    return false;
  }
}

transportContract("UdpTcpTransport", udpPair("127.0.0.1"));
if (hasIpv6Loopback()) transportContract("UdpTcpTransport on IPv6", udpPair("[::1]"));

function realPair(a: UdpTcpTransport, b: UdpTcpTransport, deadAddr: string) {
  return {
    a,
    b,
    deadAddr,
    async settle<T>(p: Promise<T>): Promise<T> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("Transport contract: timed out")), 5000);
      });
      try {
        return await Promise.race([p, deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await a.close();
      await b.close();
    },
  };
}

function memoryPair(seed = 1) {
  const clock = new ManualClock();
  const net = new MemoryNetwork(clock, seededRandom(seed));
  const a = net.transport("10.0.0.1:7946");
  const b = net.transport("10.0.0.2:7946");
  const got: string[] = [];
  const loop = (async () => {
    for await (const p of b.packets()) got.push(new TextDecoder().decode(p.bytes));
  })();
  const close = async () => {
    await a.close();
    await b.close();
    await loop;
  };
  return { clock, net, a, b, got, close };
}

Deno.test("MemoryNetwork delivers after delayMs and reorders with jitter", async () => {
  const m = memoryPair(5);
  m.net.delayMs = 10;
  await m.a.sendPacket(m.b.localAddr, new TextEncoder().encode("x"));
  m.clock.advance(9);
  await drain();
  assertEquals(m.got, []);
  m.clock.advance(1);
  await drain();
  assertEquals(m.got, ["x"]);
  m.net.jitterMs = 50;
  for (let i = 0; i < 20; i++) {
    await m.a.sendPacket(m.b.localAddr, new TextEncoder().encode(String(i)));
  }
  m.clock.advance(100);
  await drain();
  const order = m.got.slice(1).map(Number);
  assertEquals([...order].sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i));
  assertNotEquals(order, Array.from({ length: 20 }, (_, i) => i));
  await m.close();
});

Deno.test("MemoryNetwork drops packets across partitions, to down hosts and by loss probability", async () => {
  const m = memoryPair(6);
  const send = async (text: string) => {
    await m.a.sendPacket(m.b.localAddr, new TextEncoder().encode(text));
    m.clock.advance(1);
    await drain();
  };
  m.net.partition([m.a.localAddr], [m.b.localAddr]);
  await send("partitioned");
  m.net.heal();
  m.net.setUp(m.b.localAddr, false);
  await send("down");
  m.net.setUp(m.b.localAddr, true);
  await send("up");
  m.net.lossProbability = 0.5;
  for (let i = 0; i < 200; i++) await send("lossy");
  assertEquals(m.got[0], "up");
  const delivered = m.got.length - 1;
  assert(delivered > 60 && delivered < 140, `delivered ${delivered} of 200 at 50% loss`);
  assertEquals(m.a.traffic.packetsDropped, 2 + (200 - delivered));
  await m.close();
});

Deno.test("MemoryNetwork times a dial out across a partition", async () => {
  const m = memoryPair(7);
  m.net.partition([m.a.localAddr], [m.b.localAddr]);
  let failedAt = -1;
  m.a.dialStream(m.b.localAddr, 300).catch(() => failedAt = m.clock.now());
  m.clock.advance(299);
  await drain();
  assertEquals(failedAt, -1);
  m.clock.advance(1);
  await drain();
  assertEquals(failedAt, 300);
  await m.close();
});
