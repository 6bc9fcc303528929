import { assert, assertEquals, assertRejects } from "../_helpers/assert.ts";
import { waitFor } from "../_helpers/processes.ts";
import { RegistryError } from "../../lib/errors.ts";
import { RegistryClient } from "../../lib/client.ts";
import { register } from "../../lib/register.ts";
import { RegistryNode } from "../../src/server/serve.ts";
import { closedAddr } from "../_helpers/free_port.ts";

Deno.test("register() returns a joining registration when no registry answers, and close() stops it", async () => {
  const reg = await register({
    group: "web",
    addr: "127.0.0.1:8080",
    bind: "127.0.0.1:0",
    registries: [closedAddr()],
    profile: "local",
  });
  assert(reg.gossipAddr?.startsWith("127.0.0.1:"));
  assert(reg.id.startsWith("web-"));
  assertEquals(reg.state, "joining");
  await reg.close();
  assertEquals(reg.state, "closed");
  assertEquals(reg.gossipAddr, undefined);
});

Deno.test("register() refuses the reserved group and over-long tags before binding anything", async () => {
  await assertRejects(
    () => register({ group: "registry-group", addr: "h:1" }),
    TypeError,
    "reserved",
  );
  const e = await assertRejects(() =>
    register({ group: "web", addr: "h:1", tags: { big: "x".repeat(600) } })
  );
  assertEquals(e instanceof RegistryError && e.code, "TAGS_TOO_LARGE");
});

Deno.test("register() makes the service visible to a registry node, and close() removes it at once", async () => {
  await using node = await RegistryNode.start({
    id: "reg-test-1",
    bind: "127.0.0.1:0",
    addr: "127.0.0.1:0",
    profile: "local",
  });
  await using client = new RegistryClient(node.rpcAddr, { timeoutMs: 2000 });
  const reg = await register({
    group: "lib-web",
    addr: "127.0.0.1:8081",
    id: "lib-web-1",
    bind: "127.0.0.1:0",
    registries: [node.gossipAddr],
    tags: { zone: "z1" },
    weight: 2,
    profile: "local",
  });
  try {
    await waitFor("the registration to join", () => reg.state === "registered" || undefined);
    const services = await waitFor("the node to list the service", async () => {
      const list = await client.members("lib-web");
      return list.length > 0 ? list : undefined;
    });
    assertEquals(services.map((s) => [s.id, s.addr, s.tags.zone, s.tags.weight, s.tags.replicas]), [
      ["lib-web-1", "127.0.0.1:8081", "z1", "2", "10000"],
    ]);
    assertEquals((await client.match("lib-web", "user-1")).id, "lib-web-1");
  } finally {
    await reg.close();
  }
  const started = performance.now();
  await waitFor("the node to drop the service", async () => {
    const list = await client.members("lib-web").catch(() => []);
    return list.length === 0 || undefined;
  }, { timeoutMs: 3000, intervalMs: 20 });
  assert(performance.now() - started < 3000);
});

Deno.test("register() with a check leaves while unhealthy and rejoins under the same id", async () => {
  await using node = await RegistryNode.start({
    id: "reg-test-2",
    bind: "127.0.0.1:0",
    addr: "127.0.0.1:0",
    profile: "local",
  });
  await using client = new RegistryClient(node.rpcAddr, { timeoutMs: 2000 });
  let healthy = true;
  const http = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("", { status: healthy ? 200 : 503 }),
  );
  const ids = async () => (await client.members("flap").catch(() => [])).map((s) => s.id);
  const reg = await register({
    group: "flap",
    addr: "127.0.0.1:8082",
    id: "flap-1",
    bind: "127.0.0.1:0",
    registries: [node.gossipAddr],
    check: `http://127.0.0.1:${http.addr.port}/`,
    checkIntervalMs: 100,
    checkRise: 2,
    profile: "local",
  });
  try {
    await waitFor("the first registration", async () => (await ids()).length === 1 || undefined);
    healthy = false;
    await waitFor("the unhealthy service to leave", async () => {
      return reg.state === "unhealthy" && (await ids()).length === 0 || undefined;
    });
    healthy = true;
    await waitFor("the rejoin", async () => (await ids()).length === 1 || undefined);
    assertEquals(await ids(), ["flap-1"]);
    assertEquals(reg.state, "registered");
  } finally {
    await reg.close();
    await http.shutdown();
  }
});
