/**
 * End-to-end: two `registry serve` processes and three `registry register`
 * services on 127.0.0.1 (`--profile local`, except the LAN-timed service that
 * is stopped with SIGTERM): agreement on
 * 1,000 keys, failure detection, graceful leave, and a registry restart.
 */
import { assert, assertEquals } from "../_helpers/assert.ts";
import {
  keys,
  matchKeys,
  memberIds,
  type RegistryProc,
  startRegistry,
  startService,
  waitFor,
  waitForIds,
} from "./_cluster.ts";
import type { Spawned } from "../_helpers/processes.ts";

const KEYS = keys(1000);

/** Both nodes answer the 1,000 keys identically; returns the distinct addresses. */
async function assertAgreement(a: RegistryProc, b: RegistryProc): Promise<Set<string>> {
  const [ra, rb] = await Promise.all([
    matchKeys(a.rpc, "web", KEYS),
    matchKeys(b.rpc, "web", KEYS),
  ]);
  assertEquals(ra.code, 0, ra.stderr);
  assertEquals(rb.code, 0, rb.stderr);
  assertEquals(ra.lines.length, KEYS.length);
  assertEquals(ra.lines, rb.lines);
  return new Set(ra.lines);
}

/** 3. SIGTERM of a LAN-timed wrapper: it leaves before its command stops, far below the 4 s suspicion timeout. */
async function stoppedServiceLeavesAtOnce(nodes: RegistryProc[], service: Spawned): Promise<void> {
  service.kill("SIGTERM");
  const gracefulMs = await waitForIds(nodes, "web", ["web-a", "web-c"], 10_000);
  console.log(`graceful removal of a wrapped service: ${gracefulMs.toFixed(0)} ms`);
  assert(gracefulMs < 2500, `graceful removal took ${gracefulMs} ms`);
  assertEquals((await service.status).code, 143, service.stderr());
}

/** 2. kill -9 of a service: failure detection removes it from both nodes. */
async function killedServiceIsDetected(nodes: RegistryProc[], service: Spawned): Promise<void> {
  service.kill("SIGKILL");
  const failureMs = await waitForIds(nodes, "web", ["web-a"], 30_000);
  console.log(`failure detection of a killed service: ${failureMs.toFixed(0)} ms`);
  assert(failureMs > 1000, `a killed service vanished in ${failureMs} ms: not failure detection`);
}

/** 4. SIGTERM exits 0 and r1 drops r2; r2 restarted with the same id and ports agrees again. */
async function restartedRegistryAgrees(r1: RegistryProc, r2: RegistryProc): Promise<RegistryProc> {
  r2.proc.kill("SIGTERM");
  assertEquals((await r2.proc.status).code, 0, r2.proc.stderr());
  assert(r2.proc.stderr().includes("Member joined"), r2.proc.stderr());
  await r2.client.close();
  await waitFor("r1 to drop r2", async () => {
    const ids = await memberIds(r1.client, "registry-group");
    return ids.includes(r2.id) ? undefined : ids;
  }, { timeoutMs: 5000 });
  return await startRegistry(r2.id, {
    gossipPort: r2.gossipPort,
    rpcPort: r2.rpcPort,
    registries: [r1.gossip],
  });
}

Deno.test("registry serve and register agree on 1,000 keys, drop killed and stopped services, and survive a registry restart", async () => {
  const procs: AsyncDisposable[] = [];
  try {
    const r1 = await startRegistry("e2e-r1");
    procs.push(r1);
    const r2 = await startRegistry("e2e-r2", { registries: [r1.gossip] });
    procs.push(r2);
    const seeds = [r1.gossip];
    const wrapped = ["sleep", "300"];
    const services: Spawned[] = [
      startService("web-a", "web", "127.0.0.1:7001", seeds, { command: wrapped }),
      startService("web-b", "web", "127.0.0.1:7002", seeds, { command: wrapped, profile: "lan" }),
      startService("web-c", "web", "127.0.0.1:7003", seeds),
    ];
    procs.push(...services);
    await waitForIds([r1, r2], "web", ["web-a", "web-b", "web-c"]);
    // 1. One call with 1,000 keys on each node: same answers, all three services used.
    const used = await assertAgreement(r1, r2);
    assertEquals([...used].sort(), ["127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003"]);
    await stoppedServiceLeavesAtOnce([r1, r2], services[1]);
    await killedServiceIsDetected([r1, r2], services[2]);
    const r2b = await restartedRegistryAgrees(r1, r2);
    procs.push(r2b);
    procs.push(startService("web-d", "web", "127.0.0.1:7004", [r2b.gossip]));
    await waitForIds([r1, r2b], "web", ["web-a", "web-d"]);
    const after = await assertAgreement(r1, r2b);
    assertEquals([...after].sort(), ["127.0.0.1:7001", "127.0.0.1:7004"]);
    services[0].kill("SIGTERM");
    assertEquals((await services[0].status).code, 143);
  } finally {
    for (const p of procs.reverse()) await p[Symbol.asyncDispose]();
  }
});
