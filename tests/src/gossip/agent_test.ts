import { RegistryError } from "../../../lib/errors.ts";
import { GossipAgent } from "../../../src/gossip/agent.ts";
import { assert, assertEquals, assertMatch, assertRejects } from "../../_helpers/assert.ts";
import { drain } from "../../_helpers/cluster.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";
import { MemoryNetwork } from "../../_helpers/memory_network.ts";
import { seededRandom } from "../../_helpers/seeded_random.ts";

function memoryAgent(net: MemoryNetwork, name: string, addr: string) {
  return GossipAgent.start({
    name,
    bindAddr: addr,
    transport: net.transport(addr),
    clock: net.clock,
    random: seededRandom(7),
    profile: "fast",
  });
}

async function settle<T>(clock: ManualClock, p: Promise<T>): Promise<T> {
  let done = false;
  p.then(() => done = true, () => done = true);
  for (let i = 0; i < 5000 && !done; i++) {
    clock.advance(5);
    await drain();
  }
  return await p;
}

Deno.test("GossipAgent.start() rejects an empty name", async () => {
  await assertRejects(() => GossipAgent.start({ name: "", bindAddr: "127.0.0.1:0" }), TypeError);
});

Deno.test("GossipAgent.start() on real sockets advertises the bound port and two agents join", async () => {
  await using a = await GossipAgent.start({ name: "a", bindAddr: "127.0.0.1:0", profile: "fast" });
  await using b = await GossipAgent.start({ name: "b", bindAddr: "127.0.0.1:0", profile: "fast" });
  assertMatch(a.advertiseAddr, /^127\.0\.0\.1:[1-9]\d*$/);
  assertEquals(await b.join([a.advertiseAddr]), 1);
  const deadline = performance.now() + 5000;
  while (a.members().length < 2 && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assertEquals(a.members().map((m) => m.name).sort(), ["a", "b"]);
  assertEquals(b.localMember().addr, b.advertiseAddr);
});

Deno.test("GossipAgent.join() fails with JOIN_FAILED when no seed answers", async () => {
  const net = new MemoryNetwork(new ManualClock(0), seededRandom(1));
  const a = await memoryAgent(net, "a", "10.0.0.1:7946");
  try {
    const err = await assertRejects(
      () => settle(net.clock, a.join(["10.9.9.9:7946"])),
      RegistryError,
    );
    assertEquals((err as RegistryError).code, "JOIN_FAILED");
    // The innermost cause is named, so a wrong key or port is told apart from a down seed.
    assertMatch(
      err.message,
      /^Cannot join cluster via "10\.9\.9\.9:7946": no seed answered \(last error: .+\)$/,
    );
  } finally {
    await settle(net.clock, a.close());
  }
});

Deno.test("GossipAgent.subscribe() starts with a snapshot that includes the local member", async () => {
  const net = new MemoryNetwork(new ManualClock(0), seededRandom(1));
  const a = await memoryAgent(net, "a", "10.0.0.1:7946");
  try {
    const sub = a.subscribe();
    const first = await sub.next();
    assertEquals(first?.type === "snapshot" && first.members.map((m) => m.name), ["a"]);
    await a.sendEvent("e", new Uint8Array([1]));
    assertEquals((await sub.next())?.type, "user");
    sub.close();
  } finally {
    await settle(net.clock, a.close());
  }
});

Deno.test("GossipAgent.setTags() rejects tags that do not fit with TAGS_TOO_LARGE", async () => {
  const net = new MemoryNetwork(new ManualClock(0), seededRandom(1));
  const a = await memoryAgent(net, "a", "10.0.0.1:7946");
  try {
    const err = await assertRejects(() => a.setTags({ k: "v".repeat(600) }), RegistryError);
    assertEquals((err as RegistryError).code, "TAGS_TOO_LARGE");
  } finally {
    await settle(net.clock, a.close());
  }
});

Deno.test("GossipAgent methods throw CLOSED after close(), which is idempotent", async () => {
  const net = new MemoryNetwork(new ManualClock(0), seededRandom(1));
  const a = await memoryAgent(net, "a", "10.0.0.1:7946");
  await settle(net.clock, a.close());
  await a.close();
  for (
    const call of [
      () => a.join(["x:1"]),
      () => a.setTags({}),
      () => a.leave(),
      () => a.query("q", new Uint8Array()),
    ]
  ) {
    const err = await assertRejects(call, RegistryError);
    assertEquals((err as RegistryError).code, "CLOSED");
  }
});

Deno.test("GossipAgent.stats() reports traffic, drops by reason and serf queue depths", async () => {
  const net = new MemoryNetwork(new ManualClock(0), seededRandom(1));
  const a = await memoryAgent(net, "a", "10.0.0.1:7946");
  try {
    net.deliverPacket("10.0.0.2:7946", "10.0.0.1:7946", new Uint8Array([0x0c, 1, 2, 3, 4, 5]));
    await settle(net.clock, Promise.resolve());
    for (let i = 0; i < 3; i++) await drain();
    const stats = a.stats();
    assert("serf_event_queue" in stats && "packetsReceived" in stats);
    assert(Object.keys(stats).some((k) => k.startsWith("dropped_")), JSON.stringify(stats));
  } finally {
    await settle(net.clock, a.close());
  }
});
