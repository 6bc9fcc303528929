import { assert, assertEquals, assertRejects } from "../../_helpers/assert.ts";
import { RegistryError } from "../../../lib/errors.ts";
import type { WatchEvent } from "../../../lib/types.ts";
import { RpcClient } from "../../../src/rpc/rpc_client.ts";
import { RpcServer } from "../../../src/rpc/rpc_server.ts";
import { service, startRegistry, waitFor, webGroup } from "../../_helpers/rpc_fixture.ts";
import { closedAddr } from "../../_helpers/free_port.ts";

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(() => undefined, (e) => e);
  assert(err instanceof RegistryError, `expected a RegistryError, got ${err}`);
  return err.code;
}

Deno.test("RpcClient.call() pipelines many calls and matches answers by id", async () => {
  await using reg = startRegistry({ members: webGroup() });
  await using client = await RpcClient.connect(reg.addr);
  const keys = Array.from({ length: 500 }, (_, i) => `user-id-${i}`);
  const answers = await Promise.all(keys.map((key) => client.call("match", { group: "web", key })));
  answers.forEach((a, i) => assertEquals(a, reg.state.match("web", keys[i])));
  assertEquals(client.inFlight, 0);
});

Deno.test("RpcClient.call() rejects with the server's error code", async () => {
  await using reg = startRegistry({ members: webGroup() });
  await using client = await RpcClient.connect(reg.addr);
  assertEquals(await codeOf(client.call("match", { group: "none", key: "k" })), "NO_SERVICE");
  assertEquals(await codeOf(client.call("nope", {})), "METHOD_NOT_FOUND");
});

Deno.test("RpcClient.call() times out with RPC_TIMEOUT and ignores the late answer", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  await using server = RpcServer.listen({
    slow: async () => {
      await gate;
      return 1;
    },
    fast: () => 2,
  }, { addr: "127.0.0.1:0" });
  await using client = await RpcClient.connect(server.addr);
  const started = performance.now();
  assertEquals(await codeOf(client.call("slow", {}, { timeoutMs: 50 })), "RPC_TIMEOUT");
  assert(performance.now() - started < 2500);
  release();
  assertEquals(await client.call("fast", {}), 2, "the connection survives a timeout");
});

Deno.test("RpcClient.connect() fails with UNREACHABLE when nothing listens", async () => {
  const err = await assertRejects(() => RpcClient.connect(closedAddr()), RegistryError);
  assertEquals((err as RegistryError).code, "UNREACHABLE");
});

Deno.test("RpcClient fails calls in flight with CONNECTION_CLOSED when the server goes away", async () => {
  const never = new Promise<never>(() => {});
  const server = RpcServer.listen({ hang: () => never }, { addr: "127.0.0.1:0" });
  await using client = await RpcClient.connect(server.addr);
  const pending = codeOf(client.call("hang", {}));
  await waitFor(() => server.connectionCount === 1);
  await server.close();
  assertEquals(await pending, "CONNECTION_CLOSED");
  assert(client.closed);
  assertEquals(await codeOf(client.call("hang", {})), "CONNECTION_CLOSED");
});

Deno.test("RpcClient.stream() yields a snapshot and events, and cancel() unwatches", async () => {
  await using reg = startRegistry({ members: webGroup() });
  await using client = await RpcClient.connect(reg.addr);
  const stream = client.stream("watch", { group: "web" });
  const seen: WatchEvent[] = [];
  for await (const event of stream) {
    seen.push(event as WatchEvent);
    if (seen.length === 1) reg.state.applyMember(service("web-9", "web", "10.0.0.9:80"));
    if (seen.length === 2) break; // return() sends unwatch
  }
  assertEquals(seen.map((e) => e.type), ["snapshot", "join"]);
  assert(await waitFor(() => reg.state.watcherCount === 0), "unwatch did not reach the server");
  assertEquals(client.inFlight, 0);
});

Deno.test("RpcClient.stream() fails with the server's error for a bad watch", async () => {
  await using reg = startRegistry({ members: webGroup(), ready: false });
  await using client = await RpcClient.connect(reg.addr);
  const stream = client.stream("watch", { group: "web" });
  assertEquals(await codeOf(stream.next()), "NOT_READY");
});

Deno.test("RpcServer removes a disconnected client's watches", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const client = await RpcClient.connect(reg.addr);
  const a = client.stream("watch", { group: "web" });
  const b = client.stream("watch", { group: "api" });
  await a.next();
  await b.next();
  assertEquals(reg.state.watcherCount, 2);
  await client.close();
  assert(await waitFor(() => reg.state.watcherCount === 0), "watches outlived their connection");
});
