import { assert, assertEquals, assertMatch } from "../../_helpers/assert.ts";
import { RegistryError } from "../../../lib/errors.ts";
import { RpcClient } from "../../../src/rpc/rpc_client.ts";
import { resolveRpcServerOptions, RpcServer } from "../../../src/rpc/rpc_server.ts";
import { encodeTextFrame } from "../../../src/rpc/frame.ts";
import { RawPeer, startRegistry, waitFor, webGroup } from "../../_helpers/rpc_fixture.ts";
import { assertThrows } from "../../_helpers/assert.ts";

Deno.test("RpcServer.listen() binds port 0 and reports the real address", async () => {
  await using server = RpcServer.listen({}, { addr: "127.0.0.1:0" });
  assertMatch(server.addr, /^127\.0\.0\.1:\d+$/);
  assert(!server.addr.endsWith(":0"));
});

Deno.test("resolveRpcServerOptions() rejects a non-positive limit and fills defaults", () => {
  assertThrows(() => resolveRpcServerOptions({ idleTimeoutMs: 0 }), RangeError);
  assertThrows(() => resolveRpcServerOptions({ addr: "nope" }), TypeError);
  assertEquals(resolveRpcServerOptions().maxFrameBytes, 1024 * 1024);
});

Deno.test("RpcServer answers a frame that is not JSON with id null and closes the connection", async () => {
  await using reg = startRegistry({ members: webGroup() });
  await using peer = await RawPeer.connect(reg.addr);
  await peer.sendBytes(encodeTextFrame("this is not json"));
  const [frame] = await peer.waitFrames(1);
  assertEquals((frame as { id: unknown }).id, null);
  assertEquals((frame as { error: { code: string } }).error.code, "MALFORMED_FRAME");
  assert(await peer.waitClosed(), "connection stays open");
});

Deno.test("RpcServer answers a JSON array frame with id null and closes the connection", async () => {
  await using reg = startRegistry({ members: webGroup() });
  await using peer = await RawPeer.connect(reg.addr);
  await peer.sendJson([1, 2, 3]);
  const [frame] = await peer.waitFrames(1);
  assertEquals(frame, {
    id: null,
    error: { code: "MALFORMED_FRAME", message: "Cannot read request: frame is not a JSON object" },
  });
  assert(await peer.waitClosed());
});

Deno.test("RpcServer closes the connection on an oversized length before reading the body", async () => {
  await using reg = startRegistry({ members: webGroup(), server: { maxFrameBytes: 1024 } });
  await using peer = await RawPeer.connect(reg.addr);
  await peer.sendBytes(Uint8Array.of(0, 0, 4, 1)); // 1025 bytes announced, none sent
  assert(await peer.waitClosed(), "connection stays open");
  assertEquals(peer.frames, []);
});

Deno.test("RpcServer answers an unknown method with METHOD_NOT_FOUND and keeps the connection", async () => {
  await using reg = startRegistry({ members: webGroup() });
  await using peer = await RawPeer.connect(reg.addr);
  await peer.sendJson({ id: 1, method: "frobnicate", params: {} });
  await peer.sendJson({ id: 2, method: "match", params: { group: "web", key: "k" } });
  const frames = await peer.waitFrames(2) as {
    id: number;
    error?: { code: string };
    result?: unknown;
  }[];
  assertEquals(frames[0].error?.code, "METHOD_NOT_FOUND");
  assertEquals(frames[1].id, 2);
  assert(frames[1].result !== undefined);
  assert(!peer.closed);
});

Deno.test("RpcServer answers missing or mistyped params with INVALID_ARGUMENT per request", async () => {
  await using reg = startRegistry({ members: webGroup() });
  await using peer = await RawPeer.connect(reg.addr);
  const bad = [
    { id: 1, method: "match", params: {} },
    { id: 2, method: "match", params: { group: 5, key: "k" } },
    { id: 3, method: "match", params: { group: "web" } },
    { id: 4, method: "matchN", params: { group: "web", key: "k", n: 0 } },
    { id: 5, method: "matchN", params: { group: "web", key: "k", n: 1.5 } },
    { id: 6, method: "members", params: { group: "" } },
    { id: 7, method: "watch", params: "web" },
    { id: 8, method: "unwatch", params: { id: [] } },
  ];
  for (const request of bad) await peer.sendJson(request);
  const frames = await peer.waitFrames(bad.length) as { id: number; error?: { code: string } }[];
  assertEquals(
    frames.map((f) => [f.id, f.error?.code]),
    bad.map((b) => [b.id, "INVALID_ARGUMENT"]),
  );
  assert(!peer.closed);
});

Deno.test("RpcServer closes a connection that sent half a frame and went silent, after the idle timeout", async () => {
  await using reg = startRegistry({ members: webGroup(), server: { idleTimeoutMs: 100 } });
  await using peer = await RawPeer.connect(reg.addr);
  const frame = encodeTextFrame(JSON.stringify({ id: 1, method: "groups" }));
  const started = performance.now();
  await peer.sendBytes(frame.subarray(0, 10));
  assert(await peer.waitClosed(3000), "half-open connection never closed");
  assert(performance.now() - started >= 90, "closed before the idle timeout");
});

Deno.test("RpcServer closes an idle connection but not one with an open watch", async () => {
  await using reg = startRegistry({ members: webGroup(), server: { idleTimeoutMs: 80 } });
  await using idle = await RawPeer.connect(reg.addr);
  await using watching = await RawPeer.connect(reg.addr);
  await watching.sendJson({ id: "w", method: "watch", params: { group: "web" } });
  await watching.waitFrames(1);
  assert(await idle.waitClosed(), "idle connection stayed open");
  const until = performance.now() + 300; // well past several idle periods
  await waitFor(() => performance.now() > until || watching.closed, 1000);
  assert(!watching.closed, "a connection with an open watch was closed as idle");
  await watching.sendJson({ id: 2, method: "unwatch", params: { id: "w" } });
  assert(await watching.waitClosed(), "connection stayed open after its watch ended");
});

Deno.test("RpcServer sends responses out of order when an earlier call is slower", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  await using server = RpcServer.listen({
    slow: async () => {
      await gate;
      return "slow";
    },
    fast: () => "fast",
  }, { addr: "127.0.0.1:0" });
  await using peer = await RawPeer.connect(server.addr);
  await peer.sendJson({ id: 1, method: "slow" });
  await peer.sendJson({ id: 2, method: "fast" });
  await peer.waitFrames(1);
  release();
  const frames = await peer.waitFrames(2);
  assertEquals(frames, [{ id: 2, result: "fast" }, { id: 1, result: "slow" }]);
});

Deno.test("RpcServer answers a handler's non-registry exception with INTERNAL and stays up", async () => {
  await using server = RpcServer.listen({
    boom: () => {
      throw new Error("secret detail");
    },
  }, { addr: "127.0.0.1:0" });
  await using client = await RpcClient.connect(server.addr);
  const err = await client.call("boom", {}).catch((e) => e);
  assert(err instanceof RegistryError);
  assertEquals(err.code, "INTERNAL");
  assert(!err.message.includes("secret"));
});

Deno.test("RpcServer serves many connections at once", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const clients = await Promise.all(Array.from({ length: 50 }, () => RpcClient.connect(reg.addr)));
  try {
    const answers = await Promise.all(
      clients.map((c, i) => c.call("match", { group: "web", key: `k${i}` })),
    );
    assertEquals(answers.length, 50);
    assertEquals(reg.server.connectionCount, 50);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
  assert(await waitFor(() => reg.server.connectionCount === 0));
});

Deno.test("RpcServer drops a peer that stops reading without holding up others", async () => {
  const members = Array.from({ length: 200 }, (_, i) => ({
    name: `svc-${i}`,
    addr: "x",
    tags: { group: "big", addr: `10.0.${i >> 8}.${i & 255}:1`, pad: "p".repeat(64) },
    status: "alive" as const,
    protocol: { min: 1, max: 5, cur: 2 },
    delegate: { min: 2, max: 5, cur: 5 },
  }));
  await using reg = startRegistry({ members, server: { maxQueuedBytes: 256 * 1024 } });
  const [hostname, port] = reg.addr.split(":");
  const stuck = await Deno.connect({ hostname, port: Number(port) });
  try {
    const requests = Array.from(
      { length: 2000 },
      (_, i) => JSON.stringify({ id: i, method: "members", params: { group: "big" } }),
    );
    const burst = new Uint8Array(requests.reduce((n, r) => n + 4 + r.length, 0));
    let at = 0;
    for (const r of requests) {
      const frame = encodeTextFrame(r);
      burst.set(frame, at);
      at += frame.length;
    }
    await stuck.write(burst); // never read the ~60 MB of answers
    await using other = await RpcClient.connect(reg.addr);
    const start = performance.now();
    await other.call("match", { group: "big", key: "k" });
    assert(performance.now() - start < 2500, "a stuck peer held up another client");
    assert(await waitFor(() => reg.server.connectionCount === 1), "the stuck peer was not dropped");
  } finally {
    stuck.close();
  }
});

Deno.test("RpcServer survives thousands of random byte strings while answering another client", async () => {
  await using reg = startRegistry({ members: webGroup(), server: { idleTimeoutMs: 2000 } });
  await using healthy = await RpcClient.connect(reg.addr);
  let seed = 7;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const bytes = (n: number): Uint8Array =>
    Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
  let answered = 0;
  for (let batch = 0; batch < 40; batch++) {
    const peers = await Promise.all(Array.from({ length: 50 }, () => RawPeer.connect(reg.addr)));
    await Promise.all(peers.map((p, i) => p.sendBytes(garbage(batch * 50 + i, bytes, random))));
    const owner = await healthy.call("match", { group: "web", key: `user-id-${batch}` });
    assert(typeof (owner as { addr: string }).addr === "string");
    answered++;
    await Promise.all(peers.map((p) => p.close()));
  }
  assertEquals(answered, 40);
  assert(await waitFor(() => reg.server.connectionCount === 1), "garbage connections leaked");
});

/** Random bytes, a valid header with a random body, or a random object. */
function garbage(i: number, bytes: (n: number) => Uint8Array, random: () => number): Uint8Array {
  const size = 1 + Math.floor(random() * 60);
  if (i % 3 === 0) return bytes(size);
  if (i % 3 === 1) {
    const body = bytes(size);
    const frame = new Uint8Array(4 + size);
    frame.set([0, 0, 0, size]);
    frame.set(body, 4);
    return frame;
  }
  const methods = ["match", "matchN", "members", "watch", "unwatch", "info", "groups", "x"];
  const value = {
    id: i,
    method: methods[i % methods.length],
    params: { group: bytes(3).join(""), n: random() * 200, key: null },
  };
  return encodeTextFrame(JSON.stringify(value));
}
