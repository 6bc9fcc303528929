import { RegistryError } from "../../../lib/errors.ts";
import { encodeStreamMessage, readStreamMessage } from "../../../src/gossip/stream_codec.ts";
import { assert, assertEquals } from "../../_helpers/assert.ts";
import { SimCluster } from "../../_helpers/cluster.ts";

Deno.test("StreamExchange.pushPull() throws PROTOCOL_ERROR on an error reply", async () => {
  const c = new SimCluster({ seed: 31 });
  try {
    const a = c.add();
    const fake = c.net.transport("10.4.4.4:7946");
    const served = (async () => {
      for await (const s of fake.streams()) {
        await readStreamMessage(s, { isDialer: false });
        await s.write(
          await encodeStreamMessage({ type: "err", error: "nope" }, {
            compress: false,
            writeLabel: false,
          }),
        );
        s.close();
      }
    })();
    let cause: unknown;
    try {
      await c.run(a.node.join([fake.localAddr]));
    } catch (e) {
      cause = (e as Error).cause;
    }
    assert(cause instanceof RegistryError && cause.code === "PROTOCOL_ERROR");
    assertEquals(cause.message, 'Cannot push-pull with "10.4.4.4:7946": remote error "nope"');
    await fake.close();
    await served;
  } finally {
    await c.close();
  }
});

Deno.test("StreamExchange.tcpPing() reports false when the peer never answers", async () => {
  const c = new SimCluster({ seed: 32 });
  try {
    const a = c.add();
    const silent = c.net.transport("10.4.4.5:7946");
    const held: { close(): void }[] = [];
    const accepting = (async () => {
      for await (const s of silent.streams()) held.push(s);
    })();
    a.node.core.handleMessage("x:1", {
      type: "alive",
      node: "silent",
      addr: new Uint8Array([10, 4, 4, 5]),
      port: 7946,
      meta: new Uint8Array([0xff, 0x80]),
      vsn: [1, 5, 2, 2, 5, 4],
      incarnation: 1,
    });
    const took = await c.until(
      () => a.node.nodes().find((n) => n.name === "silent")?.state !== 0,
      2000,
    );
    assert(took >= 0, "the silent member must be suspected after the TCP ping times out");
    assert(held.length > 0, "a TCP ping was dialed");
    for (const s of held) s.close();
    await silent.close();
    await accepting;
  } finally {
    await c.close();
  }
});

Deno.test("StreamExchange.serve() answers a user stream message to the delegate", async () => {
  const c = new SimCluster({ seed: 33 });
  try {
    const a = c.add();
    const raw = c.net.transport("10.4.4.6:1");
    const s = await c.run(raw.dialStream(a.addr, 500));
    await s.write(
      await encodeStreamMessage({ type: "user", payload: new Uint8Array([5, 6]) }, {
        compress: false,
        writeLabel: true,
      }),
    );
    await c.advance(10);
    assertEquals(a.delegate.userMessages.map((m) => [...m]), [[5, 6]]);
    s.close();
    await raw.close();
  } finally {
    await c.close();
  }
});
