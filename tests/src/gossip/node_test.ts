import { RegistryError } from "../../../lib/errors.ts";
import { Keyring } from "../../../src/gossip/keyring.ts";
import { FAST_PRESET, resolveMemberlistConfig } from "../../../src/gossip/memberlist_config.ts";
import { NodeState } from "../../../src/gossip/messages.ts";
import { MemberlistNode } from "../../../src/gossip/node.ts";
import { encodeStreamMessage, readStreamMessage } from "../../../src/gossip/stream_codec.ts";
import { UdpTcpTransport } from "../../../src/gossip/udp_tcp_transport.ts";
import { systemClock } from "../../../src/clock.ts";
import type { Transport } from "../../../src/gossip/transport.ts";
import { assert, assertEquals, assertRejects } from "../../_helpers/assert.ts";
import { SimCluster, TestDelegate } from "../../_helpers/cluster.ts";
import { seededRandom } from "../../_helpers/seeded_random.ts";

Deno.test("MemberlistNode.join() returns the number of answering seeds", async () => {
  const c = new SimCluster({ seed: 11 });
  try {
    const [a, b, d] = [c.add(), c.add(), c.add()];
    assertEquals(await c.run(d.node.join([a.addr, b.addr, "10.9.9.9:7946"])), 2);
    assertEquals(d.node.stats().streamsDialed, 3);
    assertEquals(a.node.stats().streamsAccepted, 1);
    assert(c.sees(d, ["n0", "n1", "n2"], NodeState.ALIVE));
    assert(c.sees(a, ["n2"], NodeState.ALIVE));
  } finally {
    await c.close();
  }
});

Deno.test("MemberlistNode.join() then runs joinSyncPushPulls more push-pulls", async () => {
  const c = new SimCluster({ seed: 13, overrides: { pushPullIntervalMs: 0 } });
  try {
    const [a, b, d] = [c.add(), c.add(), c.add()];
    await c.run(b.node.join([a.addr]));
    await c.run(d.node.join([a.addr]));
    const dialed = d.node.stats().streamsDialed;
    await c.advance(FAST_PRESET.probeIntervalMs * 5);
    assertEquals(d.node.stats().streamsDialed - dialed, FAST_PRESET.joinSyncPushPulls);
    assertEquals(a.node.stats().streamsDialed, 0, "the seed did not join, so it does not sync");
  } finally {
    await c.close();
  }
});

Deno.test("MemberlistNode.join() throws JOIN_FAILED when no seed answers", async () => {
  const c = new SimCluster({ seed: 12 });
  try {
    const a = c.add();
    await assertRejects(
      () => c.run(a.node.join(["10.9.9.9:7946", "not an address"])),
      RegistryError,
      "Cannot join",
    );
  } finally {
    await c.close();
  }
});

Deno.test("MemberlistNode counts undecodable packets by reason and keeps running", async () => {
  const c = new SimCluster({ seed: 13 });
  try {
    const a = c.add();
    const raw = c.net.transport("10.1.1.1:1");
    await raw.sendPacket(a.addr, new Uint8Array([0x63, 1, 2]));
    await raw.sendPacket(a.addr, new Uint8Array([0x0c, 0, 0, 0, 0, 0x0b]));
    await c.advance(20);
    const dropped = a.node.stats().dropped;
    assertEquals(dropped.unknown_type, 1);
    assertEquals(dropped.bad_crc, 1);
    const b = c.add();
    await c.run(b.node.join([a.addr]));
    assert(c.sees(a, ["n1"], NodeState.ALIVE));
    await raw.close();
  } finally {
    await c.close();
  }
});

Deno.test("MemberlistNode survives a delegate that throws on a user message", async () => {
  const c = new SimCluster({ seed: 14 });
  try {
    const [a, b] = [c.add(), c.add()];
    await c.run(b.node.join([a.addr]));
    let calls = 0;
    a.delegate.notifyUserMessage = () => {
      calls++;
      throw new Error("boom");
    };
    await b.node.sendUserPacket(a.addr, new Uint8Array([1]));
    await b.node.sendUserPacket(a.addr, new Uint8Array([2]));
    await c.advance(20);
    assertEquals(calls, 2);
    assertEquals(a.node.stats().dropped.handler_error, 2);
  } finally {
    await c.close();
  }
});

Deno.test("MemberlistNode.sendUserPacket() reaches the other delegate", async () => {
  const c = new SimCluster({ seed: 15 });
  try {
    const [a, b] = [c.add(), c.add()];
    await b.node.sendUserPacket(a.addr, new Uint8Array([3, 4]));
    await c.advance(10);
    assertEquals(a.delegate.userMessages.map((m) => [...m]), [[3, 4]]);
  } finally {
    await c.close();
  }
});

Deno.test("MemberlistNode answers a TCP ping with an ack of the same SeqNo", async () => {
  const c = new SimCluster({ seed: 16 });
  try {
    const a = c.add();
    const raw = c.net.transport("10.1.1.1:1");
    const s = await c.run(raw.dialStream(a.addr, 500));
    await s.write(
      await encodeStreamMessage({ type: "ping", node: "n0", seqNo: 41 }, {
        compress: true,
        writeLabel: true,
      }),
    );
    const reply = await c.run(readStreamMessage(s, { isDialer: true }));
    assert(reply.type === "ack");
    assertEquals(reply.seqNo, 41);
    s.close();
    await raw.close();
  } finally {
    await c.close();
  }
});

Deno.test("MemberlistNode.updateMeta() makes peers see an update", async () => {
  const c = new SimCluster({ seed: 17 });
  try {
    const [a, b] = [c.add(), c.add()];
    await c.run(b.node.join([a.addr]));
    b.delegate.meta = new Uint8Array([0xff, 0x81, 0xa1, 0x6b, 0xa1, 0x76]);
    await c.run(b.node.updateMeta());
    assertEquals(b.node.localNode().incarnation, 2);
    await c.until(
      () => a.delegate.events.some((e) => e.type === "update" && e.name === "n1"),
      1000,
    );
    assertEquals([...a.node.nodes().find((n) => n.name === "n1")!.meta], [...b.delegate.meta]);
  } finally {
    await c.close();
  }
});

Deno.test("MemberlistNode.leave() makes peers see the member as left", async () => {
  const c = new SimCluster({ seed: 18 });
  try {
    const [a, b, d] = [c.add(), c.add(), c.add()];
    await c.run(b.node.join([a.addr]));
    await c.run(d.node.join([a.addr]));
    await c.until(() => c.converged(), 2000);
    await c.run(d.node.leave(2000));
    await c.until(
      () => c.stateOf(a, "n2") === NodeState.LEFT && c.stateOf(b, "n2") === NodeState.LEFT,
      2000,
    );
    assertEquals(c.stateOf(b, "n2"), NodeState.LEFT);
    assert(
      a.delegate.events.some((e) =>
        e.type === "leave" && e.name === "n2" && e.state === NodeState.LEFT
      ),
    );
  } finally {
    await c.close();
  }
});

Deno.test("MemberlistNode.leave() reaches peers at once, not at the next gossip tick", async () => {
  const c = new SimCluster({
    seed: 21,
    overrides: { gossipIntervalMs: 1000, probeIntervalMs: 5000 },
  });
  try {
    const [a, b] = [c.add(), c.add()];
    await c.run(b.node.join([a.addr]));
    await c.until(() => c.converged(), 5000);
    const leaving = b.node.leave(5000);
    leaving.catch(() => {});
    const took = await c.until(() => c.stateOf(a, "n1") === NodeState.LEFT, 5000);
    assert(
      took >= 0 && took < 50,
      `peer saw the leave after ${took} ms (gossip tick 1 s, probe 5 s)`,
    );
    await c.run(leaving);
  } finally {
    await c.close();
  }
});

Deno.test("MemberlistNode.leave() throws LEAVE_TIMEOUT when the broadcast cannot finish in time", async () => {
  const c = new SimCluster({ seed: 19 });
  try {
    const [a, b] = [c.add(), c.add()];
    await c.run(b.node.join([a.addr]));
    await assertRejects(() => c.run(b.node.leave(1)), RegistryError, "Cannot finish leaving");
  } finally {
    await c.close();
  }
});

Deno.test("MemberlistNode rejects an advertise address that is not an IP", () => {
  const c = new SimCluster({ seed: 20 });
  const transport = c.net.transport("0.0.0.0:7946");
  let threw = false;
  try {
    new MemberlistNode({
      transport,
      config: resolveMemberlistConfig({ name: "a" }),
      delegate: new TestDelegate(() => 0),
    });
  } catch (e) {
    threw = e instanceof TypeError;
  }
  assert(threw);
});

Deno.test("MemberlistNode joins over real UDP/TCP with a shared key and refuses a keyless node", async () => {
  const key = "+6lwBNNGwHJJ8G4ZTT1iawrqmecBf/P2vt2IuAWMQhY=";
  const make = async (name: string, keyring?: Keyring) => {
    const transport = await UdpTcpTransport.listen("127.0.0.1:0");
    const node = new MemberlistNode({
      transport,
      config: resolveMemberlistConfig({ name }, FAST_PRESET),
      delegate: new TestDelegate(() => systemClock.now()),
      random: seededRandom(name.length),
      keyring,
    });
    node.start();
    return node;
  };
  const a = await make("a", await Keyring.fromBase64([key]));
  const b = await make("b", await Keyring.fromBase64([key]));
  const plain = await make("plain");
  try {
    assertEquals(await b.join([a.localNode().ip + ":" + a.localNode().port]), 1);
    const deadline = Date.now() + 3000;
    while (a.numAliveNodes() < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assertEquals(a.numAliveNodes(), 2);
    await assertRejects(() => plain.join([`127.0.0.1:${a.localNode().port}`]), RegistryError);
  } finally {
    await Promise.all([a.close(), b.close(), plain.close()]);
  }
});

Deno.test("MemberlistNode.start() and updateMeta() refuse meta over 512 bytes", async () => {
  const c = new SimCluster({ seed: 27 });
  try {
    const a = c.add();
    a.delegate.meta = new Uint8Array(513);
    await assertRejects(() => a.node.updateMeta(), RegistryError, "exceeds 512");
    const transport = c.net.transport("10.7.7.7:7946");
    const big = new TestDelegate(() => 0);
    big.meta = new Uint8Array(600);
    const node = new MemberlistNode({
      transport,
      config: resolveMemberlistConfig({ name: "big" }),
      delegate: big,
      clock: c.clock,
    });
    let code = "";
    try {
      node.start();
    } catch (e) {
      code = e instanceof RegistryError ? e.code : "";
    }
    assertEquals(code, "TAGS_TOO_LARGE");
    await node.close();
  } finally {
    await c.close();
  }
});

Deno.test("MemberlistNode answers a malformed stream request with an error response", async () => {
  const c = new SimCluster({ seed: 28 });
  try {
    const a = c.add();
    const raw = c.net.transport("10.1.1.1:1");
    const s = await c.run(raw.dialStream(a.addr, 500));
    await s.write(new Uint8Array([0x63, 0x80]));
    const reply = await c.run(readStreamMessage(s, { isDialer: true }));
    assertEquals(reply.type, "err");
    s.close();
    await raw.close();
    assertEquals(a.node.stats().dropped.unknown_type, 1);
  } finally {
    await c.close();
  }
});

Deno.test("MemberlistNode restarts its packet loop after the transport iterator fails", async () => {
  const c = new SimCluster({ seed: 29 });
  try {
    const inner = c.net.transport("10.3.3.3:7946");
    let failOnce = true;
    const flaky: Transport = {
      localAddr: inner.localAddr,
      sendPacket: (to, bytes) => inner.sendPacket(to, bytes),
      dialStream: (to, ms) => inner.dialStream(to, ms),
      packets: () => {
        if (!failOnce) return inner.packets();
        failOnce = false;
        return {
          [Symbol.asyncIterator]: () => ({
            next: () => Promise.reject(new Error("socket hiccup")),
          }),
        };
      },
      streams: () => inner.streams(),
      close: () => inner.close(),
    };
    const delegate = new TestDelegate(() => c.clock.now());
    const node = new MemberlistNode({
      transport: flaky,
      config: resolveMemberlistConfig({ name: "flaky" }, FAST_PRESET),
      delegate,
      clock: c.clock,
      random: seededRandom(3),
    });
    node.start();
    const a = c.add();
    await a.node.sendUserPacket(inner.localAddr, new Uint8Array([7]));
    await c.advance(50);
    assertEquals(node.stats().dropped.transport_error, 1);
    await a.node.sendUserPacket(inner.localAddr, new Uint8Array([8]));
    await c.advance(20);
    assertEquals(delegate.userMessages.map((m) => m[0]).includes(8), true);
    await node.close();
  } finally {
    await c.close();
  }
});

Deno.test("MemberlistNode with a label joins the same label and refuses another", async () => {
  const c = new SimCluster({ seed: 34 });
  const make = (addr: string, name: string, label: string) => {
    const node = new MemberlistNode({
      transport: c.net.transport(addr),
      config: resolveMemberlistConfig({ name }, FAST_PRESET),
      delegate: new TestDelegate(() => c.clock.now()),
      clock: c.clock,
      random: seededRandom(name.length),
      label,
    });
    node.start();
    return node;
  };
  const a = make("10.6.0.1:7946", "a", "blue");
  const b = make("10.6.0.2:7946", "b", "blue");
  const d = make("10.6.0.3:7946", "d", "green");
  try {
    assertEquals(await c.run(b.join(["10.6.0.1:7946"])), 1);
    await assertRejects(() => c.run(d.join(["10.6.0.1:7946"])), RegistryError);
    await c.advance(500);
    assertEquals(a.numAliveNodes(), 2);
    assert((a.stats().dropped.label_mismatch ?? 0) >= 1);
  } finally {
    await Promise.all([a.close(), b.close(), d.close()]);
    await c.close();
  }
});
