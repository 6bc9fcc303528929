import { assert, assertEquals, assertThrows } from "../_helpers/assert.ts";
import { RegistryClient } from "../../lib/client.ts";
import { RegistryError } from "../../lib/errors.ts";
import type { WatchEvent } from "../../lib/types.ts";
import { RpcServer } from "../../src/rpc/rpc_server.ts";
import { service, startRegistry, waitFor, webGroup } from "../_helpers/rpc_fixture.ts";
import { closedAddr } from "../_helpers/free_port.ts";

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(() => undefined, (e) => e);
  assert(err instanceof RegistryError, `expected a RegistryError, got ${err}`);
  return err.code;
}

Deno.test("RegistryClient.match() returns the owning service", async () => {
  await using reg = startRegistry({ members: webGroup() });
  await using client = new RegistryClient(reg.addr);
  assertEquals(await client.match("web", "user-42"), reg.state.match("web", "user-42"));
});

Deno.test("RegistryClient calls answer members, matchN, groups and info", async () => {
  await using reg = startRegistry({ members: webGroup() });
  await using client = new RegistryClient([reg.addr]);
  assertEquals((await client.members("web")).map((s) => s.id), ["web-1", "web-2", "web-3"]);
  assertEquals(await client.members("nope"), []);
  assertEquals((await client.matchN("web", "k", { n: 2 })).length, 2);
  assertEquals(await client.groups(), ["web"]);
  const info = await client.info();
  assertEquals([info.id, info.ready, info.ring], ["reg-test", true, "default-1"]);
});

Deno.test("RegistryClient.match() rejects with NO_SERVICE for an unknown group", async () => {
  await using reg = startRegistry({ members: webGroup() });
  await using client = new RegistryClient(reg.addr);
  assertEquals(await codeOf(client.match("none", "k")), "NO_SERVICE");
});

Deno.test("RegistryClient fails over when the first address refuses connections", async () => {
  await using reg = startRegistry({ members: webGroup() });
  await using client = new RegistryClient(`${closedAddr()},${reg.addr}`);
  assertEquals((await client.match("web", "k")).group, "web");
});

Deno.test("RegistryClient fails over when a server dies mid-call", async () => {
  const never = new Promise<never>(() => {});
  const dying = RpcServer.listen({ match: () => never }, { addr: "127.0.0.1:0" });
  await using reg = startRegistry({ members: webGroup() });
  await using client = new RegistryClient([dying.addr, reg.addr]);
  const answer = client.match("web", "user-1");
  assert(await waitFor(() => dying.connectionCount === 1));
  await dying.close();
  assertEquals(await answer, reg.state.match("web", "user-1"));
});

Deno.test("RegistryClient fails over from a node that is not ready", async () => {
  await using starting = startRegistry({ members: webGroup(), ready: false });
  await using reg = startRegistry({ members: webGroup() });
  await using client = new RegistryClient([starting.addr, reg.addr]);
  assertEquals((await client.match("web", "k")).group, "web");
});

Deno.test("RegistryClient rejects with NOT_READY when no node is ready", async () => {
  await using a = startRegistry({ ready: false });
  await using b = startRegistry({ ready: false });
  await using client = new RegistryClient([a.addr, b.addr]);
  assertEquals(await codeOf(client.match("web", "k")), "NOT_READY");
});

Deno.test("RegistryClient rejects with UNREACHABLE when no address answers", async () => {
  await using client = new RegistryClient([closedAddr(), closedAddr()]);
  assertEquals(await codeOf(client.match("web", "k")), "UNREACHABLE");
  assertEquals(await codeOf(RegistryClient.connect(closedAddr())), "UNREACHABLE");
});

/**
 * A 127.0.0.1 port whose accept queue is full: python3 listens with backlog 0
 * and never accepts; once one connection sits in the queue, Linux drops later
 * SYNs, so a connect hangs as it does to a host that is down.
 */
async function hangingPort(): Promise<{ addr: string; filler: Deno.TcpConn } & AsyncDisposable> {
  const script = "import socket,sys,time\n" +
    "s=socket.socket();s.bind(('127.0.0.1',0));s.listen(0)\n" +
    "print(s.getsockname()[1],flush=True)\nsys.stdin.read()\n";
  const child = new Deno.Command("python3", {
    args: ["-c", script],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  const first = await reader.read();
  reader.releaseLock();
  const port = Number(new TextDecoder().decode(first.value).trim());
  const filler = await Deno.connect({ hostname: "127.0.0.1", port });
  return {
    addr: `127.0.0.1:${port}`,
    filler,
    async [Symbol.asyncDispose]() {
      filler.close();
      await child.stdin.close();
      await child.stdout.cancel();
      await child.status;
    },
  };
}

const hasPython = await new Deno.Command("python3", { args: ["-c", ""] }).output()
  .then((o) => o.success, () => false);
if (!hasPython) console.warn("skipping the hanging-connect client test: python3 is not installed");

Deno.test({
  name:
    "RegistryClient.match() timeoutMs covers a connect that hangs (UNREACHABLE, naming the address)",
  ignore: !hasPython,
  async fn() {
    await using port = await hangingPort();
    await using client = new RegistryClient(port.addr, {
      timeoutMs: 300,
      connectTimeoutMs: 20_000,
    });
    const started = performance.now();
    const err = await client.match("web", "k").then(() => undefined, (e) => e);
    const elapsed = performance.now() - started;
    assert(err instanceof RegistryError, `expected a RegistryError, got ${err}`);
    assertEquals(err.code, "UNREACHABLE");
    assertEquals(err.message, `Cannot reach a registry within 300 ms: tried "${port.addr}"`);
    // Before the fix the call waited the whole 20 s connect timeout.
    assert(elapsed < 10_000, `took ${elapsed} ms`);
  },
});

Deno.test("RegistryClient reconnects after the server restarts on the same address", async () => {
  const first = startRegistry({ members: webGroup() });
  const addr = first.addr;
  await using client = new RegistryClient(addr);
  await client.match("web", "k");
  await first.close();
  const [, port] = addr.split(":");
  await using again = startRegistry({ members: webGroup(), server: { addr: `127.0.0.1:${port}` } });
  assertEquals((await client.match("web", "k")).group, "web");
  assertEquals(again.server.connectionCount, 1);
});

Deno.test("RegistryClient.match() honours a per-call timeout with RPC_TIMEOUT", async () => {
  const never = new Promise<never>(() => {});
  await using server = RpcServer.listen({ match: () => never }, { addr: "127.0.0.1:0" });
  await using client = new RegistryClient(server.addr, { timeoutMs: 10_000 });
  const started = performance.now();
  assertEquals(await codeOf(client.match("web", "k", { timeoutMs: 60 })), "RPC_TIMEOUT");
  assert(performance.now() - started < 2000);
});

Deno.test("RegistryClient.watch() yields a snapshot and then changes", async () => {
  await using reg = startRegistry({ members: webGroup() });
  await using client = new RegistryClient(reg.addr);
  const events: WatchEvent[] = [];
  for await (const event of client.watch("web")) {
    events.push(event);
    if (events.length === 1) reg.state.applyMember(service("web-4", "web", "10.0.0.4:80"));
    if (events.length === 1) reg.state.removeMember("web-1");
    if (events.length === 3) break;
  }
  assertEquals(events.map((e) => e.type), ["snapshot", "join", "leave"]);
  assertEquals(events[0].services.length, 3);
  assert(
    await waitFor(() => reg.state.watcherCount === 0),
    "breaking the loop left the watch open",
  );
});

Deno.test("RegistryClient.watch() fails over to the next node with a fresh snapshot", async () => {
  const a = startRegistry({ members: webGroup() });
  await using b = startRegistry({ members: [...webGroup(), service("web-b", "web", "b:1")] });
  await using client = new RegistryClient([a.addr, b.addr]);
  const events: WatchEvent[] = [];
  for await (const event of client.watch("web")) {
    events.push(event);
    if (events.length === 1) await a.close();
    if (events.length === 2) break;
  }
  assertEquals(events.map((e) => [e.type, e.services.length]), [["snapshot", 3], ["snapshot", 4]]);
});

Deno.test("RegistryClient.watch() ends when its signal aborts", async () => {
  await using reg = startRegistry({ members: webGroup() });
  await using client = new RegistryClient(reg.addr);
  const abort = new AbortController();
  let count = 0;
  for await (const _ of client.watch("web", { signal: abort.signal })) {
    count++;
    abort.abort();
  }
  assertEquals(count, 1);
  assert(await waitFor(() => reg.state.watcherCount === 0));
});

Deno.test("RegistryClient.close() makes later calls fail with CLOSED", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const client = new RegistryClient(reg.addr);
  await client.match("web", "k");
  await client.close();
  assertEquals(await codeOf(client.match("web", "k")), "CLOSED");
});

Deno.test("RegistryClient() rejects an empty address list and a non-positive timeout", () => {
  assertThrows(() => new RegistryClient([]), TypeError);
  assertThrows(() => new RegistryClient(" , "), TypeError);
  assertThrows(() => new RegistryClient("127.0.0.1:1", { timeoutMs: 0 }), RangeError);
});
