import { assert, assertEquals, assertMatch } from "../../_helpers/assert.ts";
import { freePort, waitFor } from "../../_helpers/processes.ts";
import { RegistryNode } from "../../../src/server/serve.ts";
import type { ServeOptions } from "../../../src/server/serve_options.ts";
import { GossipAgent } from "../../../src/gossip/agent.ts";
import { captureLogger, type LogLine } from "../../_helpers/capture_logger.ts";

function startNode(id: string, options: Partial<ServeOptions> = {}): Promise<RegistryNode> {
  return RegistryNode.start({ id, bind: "127.0.0.1:0", addr: "127.0.0.1:0", ...options });
}

/** A service as `registry register` would gossip it, with a short leave pause. */
function startService(name: string, tags: Record<string, string>, seed: string) {
  return GossipAgent.start({
    name,
    bindAddr: "127.0.0.1:0",
    tags,
    profile: "fast",
    serf: { leavePropagateDelayMs: 10 },
  }).then(async (agent) => {
    await agent.join([seed]);
    return agent;
  });
}

function ids(node: RegistryNode, group: string): string[] {
  return node.state.members(group).map((s) => s.id);
}

function until(what: string, check: () => boolean): Promise<true> {
  return waitFor(what, () => check() || undefined, { timeoutMs: 10_000, intervalMs: 10 });
}

Deno.test("RegistryNode.start() without registries is ready at once and gossips group, addr, replicas and ring tags", async () => {
  await using node = await startNode("n1", { advertise: ":4321" });
  assertEquals(node.state.info().ready, true);
  const self = node.members().find((m) => m.name === "n1")!;
  assertEquals(self.tags, {
    group: "registry-group",
    addr: "127.0.0.1:4321",
    replicas: "10000",
    ring: "default-1",
  });
  await until("n1 to list itself", () => ids(node, "registry-group").includes("n1"));
  assertMatch(node.rpcAddr, /^127\.0\.0\.1:\d+$/);
});

Deno.test("RegistryNode.start() with registries stays not ready until a join succeeds", async () => {
  const port = freePort();
  const lines: LogLine[] = [];
  await using waiting = await startNode("late", {
    registries: [`127.0.0.1:${port}`],
    joinRetryMs: 50,
    logger: captureLogger(lines),
  });
  await until("a failed join attempt", () => lines.some((l) => l.message.includes("Cannot join")));
  assertEquals(waiting.state.info().ready, false);
  await using seed = await startNode("seed", { bind: `127.0.0.1:${port}` });
  await until("the late node to become ready", () => waiting.state.ready);
  await until("seed to see late", () => ids(seed, "registry-group").includes("late"));
});

Deno.test("RegistryNode logs a joining service, rings it, and drops it at once when it leaves", async () => {
  const lines: LogLine[] = [];
  await using node = await startNode("n1", { logger: captureLogger(lines) });
  const service = await startService(
    "web-1",
    { group: "web", addr: "127.0.0.1:8080" },
    node.gossipAddr,
  );
  try {
    await until("web-1 in the ring", () => ids(node, "web").length === 1);
    assertEquals(node.state.match("web", "any key")?.addr, "127.0.0.1:8080");
    const joined = lines.find((l) => l.message === "Member joined" && l.fields.id === "web-1");
    assertEquals(joined?.level, "info");
    assertEquals(joined?.fields, { id: "web-1", group: "web", addr: "127.0.0.1:8080" });
    const start = performance.now();
    await service.leave();
    await until("web-1 out of the ring", () => ids(node, "web").length === 0);
    assert(performance.now() - start < 3000, "removal waited for failure detection");
    const leaving = lines.find((l) => l.message === "Member leaving" && l.fields.id === "web-1");
    assertEquals(leaving?.level, "info");
    const seen = node.members().find((m) => m.name === "web-1");
    assert(seen?.status === "left" || seen?.status === "leaving", `status ${seen?.status}`);
  } finally {
    await service.close();
  }
});

Deno.test("RegistryNode in chash mode keeps out a service without an integer replicas tag, warning once, while a default node admits it", async () => {
  const lines: LogLine[] = [];
  await using chash = await startNode("c1", { ring: "chash", logger: captureLogger(lines) });
  await using plain = await startNode("d1", { registries: [chash.gossipAddr] });
  const seed = chash.gossipAddr;
  const bad = await startService(
    "svc-a",
    { group: "web", addr: "127.0.0.1:1", replicas: "x" },
    seed,
  );
  const good = await startService("svc-b", {
    group: "web",
    addr: "127.0.0.1:2",
    replicas: "10000",
  }, seed);
  try {
    await until("d1 to ring both", () => ids(plain, "web").length === 2);
    await until("c1 to ring svc-b", () => ids(chash, "web").includes("svc-b"));
    assertEquals(ids(chash, "web"), ["svc-b"]);
    assert(chash.members().some((m) => m.name === "svc-a" && m.status === "alive"));
    const kept = lines.filter((l) => l.level === "warn" && l.message.includes('"svc-a"'));
    assertEquals(kept.length, 1);
    await until(
      "both to report the other ring",
      () =>
        chash.state.info().warnings.some((w) => w.includes('"d1"')) &&
        plain.state.info().warnings.some((w) => w.includes('"c1"')),
    );
  } finally {
    await bad.close();
    await good.close();
  }
});

Deno.test("RegistryNode.shutdown() leaves the cluster so a peer drops it without failure detection", async () => {
  await using a = await startNode("a");
  const b = await startNode("b", { registries: [a.gossipAddr] });
  try {
    await until("a to see b", () => ids(a, "registry-group").includes("b"));
    const start = performance.now();
    const leaving = b.shutdown();
    await until("a to drop b", () => !ids(a, "registry-group").includes("b"));
    const droppedMs = performance.now() - start;
    assert(droppedMs < 1500, `a dropped b after ${droppedMs} ms`);
    await leaving;
    assertEquals(a.members().find((m) => m.name === "b")?.status, "left");
  } finally {
    await b.close();
  }
});
