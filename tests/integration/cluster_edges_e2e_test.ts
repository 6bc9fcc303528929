/**
 * End-to-end edges of `registry serve` and `registry register` as real
 * processes: a Debian `serf agent` as a service, exit codes, health checks,
 * NOT_READY before the first sync, over-long tags, a second signal, and an
 * encrypted cluster. The `--ring chash` node is in `cluster_chash_e2e_test.ts`.
 */
import { assert, assertEquals, assertMatch } from "../_helpers/assert.ts";
import { runRegistry } from "../_helpers/processes.ts";
import { SERF_PATH, SerfAgent } from "./_serf_agent.ts";
import {
  freePort,
  type RegistryProc,
  startRegistry,
  startService,
  waitFor,
  waitForIds,
} from "./_cluster.ts";

const SERF_NOTE = SERF_PATH ? "" : " (skipped: serf is not installed)";
if (!SERF_PATH) console.log("serf is not on PATH: the serf agent e2e test is skipped");

Deno.test({
  name: `registry members lists a Debian serf agent tagged group=web as a service${SERF_NOTE}`,
  ignore: !SERF_PATH,
  async fn() {
    await using node = await startRegistry("edge-serf-r1");
    const agent = await SerfAgent.start({
      name: "serf-web-1",
      tags: { group: "web", addr: "127.0.0.1:9999" },
      join: node.gossip,
    });
    try {
      await waitForIds([node], "web", ["serf-web-1"], 15_000);
      const r = await runRegistry(["members", "--rpc-addr", node.rpc, "web"]);
      assertEquals(r.code, 0, r.stderr);
      assertEquals(r.stdout, "serf-web-1 127.0.0.1:9999\n");
    } finally {
      await agent.kill();
    }
  },
});

/** 6. The wrapped command's exit code is `register`'s exit code. */
async function exitCodeComesBack(node: RegistryProc): Promise<void> {
  const r = await runRegistry([
    "register",
    "--group",
    "exiting",
    "--addr",
    "127.0.0.1:7100",
    "--registries",
    node.gossip,
    "--bind",
    "127.0.0.1:0",
    "--",
    "sh",
    "-c",
    "exit 7",
  ]);
  assertEquals(r.code, 7, r.stderr);
}

/** A TCP port the test opens and closes, accepting and dropping every connection. */
function openPort(port: number): { close(): Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  const loop = (async () => {
    try {
      for await (const conn of listener) conn.close();
    } catch {
      // The listener was closed: the accept loop ends.
    }
  })();
  return {
    async close() {
      listener.close();
      await loop;
    },
  };
}

/** 7. A failing TCP check takes the service out; a passing one puts it back. */
async function healthCheckGatesMembership(node: RegistryProc): Promise<void> {
  const port = freePort();
  let open = openPort(port);
  const service = startService("checked-1", "checked", `127.0.0.1:${port}`, [node.gossip], {
    extra: ["--check", "tcp", "--check-interval", "200ms", "--check-rise", "1"],
  });
  try {
    await waitForIds([node], "checked", ["checked-1"]);
    await open.close();
    await waitForIds([node], "checked", [], 10_000);
    open = openPort(port);
    await waitForIds([node], "checked", ["checked-1"], 10_000);
  } finally {
    await open.close();
    await service[Symbol.asyncDispose]();
  }
}

/** 8. Before its first state exchange a node answers NOT_READY (exit 3). */
async function notReadyBeforeFirstSync(): Promise<void> {
  const closed = `127.0.0.1:${freePort()}`;
  await using node = await startRegistry("edge-unready", {
    registries: [closed],
    waitReady: false,
  });
  assertEquals((await node.client.info()).ready, false);
  const r = await runRegistry(["match", "--rpc-addr", node.rpc, "web", "k1"]);
  assertEquals(r.code, 3, r.stderr);
  assertMatch(r.stderr, /NOT_READY/);
  assertEquals(r.stdout, "");
}

/** 9. A tag set over serf's 512-byte limit is a usage error and nothing runs. */
async function overLongTagsAreRefused(node: RegistryProc): Promise<void> {
  const marker = await Deno.makeTempFile();
  await Deno.remove(marker);
  const r = await runRegistry([
    "register",
    "--group",
    "big",
    "--addr",
    "127.0.0.1:7200",
    "--registries",
    node.gossip,
    "--tag",
    `k=${"x".repeat(600)}`,
    "--",
    "touch",
    marker,
  ]);
  assertEquals(r.code, 2, r.stderr);
  assertMatch(r.stderr, /TAGS_TOO_LARGE|INVALID_ARGUMENT|512/);
  const created = await Deno.stat(marker).then(() => true, () => false);
  assert(!created, "the wrapped command ran although the tags were refused");
}

/** A cluster keyed through REGISTRY_ENCRYPT admits a service with the key and not one without. */
async function encryptedClusterKeepsStrangersOut(): Promise<void> {
  const key = "c2VjcmV0LWtleS0xNi1iIQ==";
  await using node = await startRegistry("edge-keyed", { env: { REGISTRY_ENCRYPT: key } });
  const seeds = [node.gossip];
  await using stranger = startService("keyed-2", "keyed", "127.0.0.1:7402", seeds);
  await using _member = startService("keyed-1", "keyed", "127.0.0.1:7401", seeds, {
    extra: ["--encrypt", key],
  });
  await waitForIds([node], "keyed", ["keyed-1"]);
  await waitFor("the stranger to report a failed join", () => {
    return /retry/i.test(stranger.stderr()) || undefined;
  });
  await waitForIds([node], "keyed", ["keyed-1"], 1000);
}

/** SIGTERM makes serve leave and exit 0 (checked elsewhere); a second one cuts the leave short. */
async function secondSignalExitsAtOnce(): Promise<void> {
  await using node = await startRegistry("edge-signals");
  node.proc.kill("SIGTERM");
  await waitFor(
    "the leave to start",
    () => node.proc.stderr().includes("Leaving the cluster") || undefined,
  );
  node.proc.kill("SIGTERM");
  assertEquals((await node.proc.status).code, 130, node.proc.stderr());
}

Deno.test("registry register returns the command's exit code, follows its health check, refuses over-long tags; serve says NOT_READY before its first sync, exits at once on a second signal, and keeps keyless members out of an encrypted cluster", async () => {
  await using node = await startRegistry("edge-r1");
  const results = await Promise.allSettled([
    exitCodeComesBack(node),
    healthCheckGatesMembership(node),
    notReadyBeforeFirstSync(),
    overLongTagsAreRefused(node),
    secondSignalExitsAtOnce(),
    encryptedClusterKeepsStrangersOut(),
  ]);
  for (const r of results) if (r.status === "rejected") throw r.reason;
});
