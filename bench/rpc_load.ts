/**
 * Match throughput and latency of the registry RPC server against the bare
 * framing loop (`rpc_bare_loop.ts`), measured in the same run, as
 * /work/shared/docs/measuring.md describes: one node holding a group of 3
 * services, keys `user-id-<n>`, c requests in flight (1, 16, 64 over one
 * connection, 64 over 4), the load client in this process and each server in
 * a child process (sharing the cores), no errors allowed.
 *
 * Usage: deno run -A --unstable-net bench/rpc_load.ts [--runs 3] [--requests 40000]
 *   [--server-flags=--v8-flags=...]  (`deno run` flags for both server processes; default: the
 *                                     shipped V8 flags of src/runtime_flags.ts; "" for none)
 * Child mode (used by the driver): bench/rpc_load.ts --server ours|bare
 *
 * @module
 */
import { parseArgs } from "node:util";
import { RpcClient } from "../src/rpc/rpc_client.ts";
import { RpcServer } from "../src/rpc/rpc_server.ts";
import { RegistryState } from "../src/server/registry_state.ts";
import { createHandlers } from "../src/server/handlers.ts";
import { startBareLoop } from "./rpc_bare_loop.ts";
import { V8_FLAGS_ARG } from "../src/runtime_flags.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    server: { type: "string" },
    runs: { type: "string", default: "3" },
    requests: { type: "string", default: "40000" },
    memory: { type: "string", default: "100000" },
    "server-flags": { type: "string", default: V8_FLAGS_ARG },
  },
});

interface Level {
  readonly name: string;
  readonly inFlight: number;
  readonly connections: number;
}

const LEVELS: Level[] = [
  { name: "1", inFlight: 1, connections: 1 },
  { name: "16", inFlight: 16, connections: 1 },
  { name: "64", inFlight: 64, connections: 1 },
  { name: "64/4conn", inFlight: 64, connections: 4 },
];

function startOurs(): string {
  const state = new RegistryState({ nodeId: "bench", ring: "default" });
  for (const i of [1, 2, 3]) {
    const addr = `10.0.0.${i}:8080`;
    state.applyMember({
      name: `web-${i}`,
      addr: "127.0.0.1:7946",
      tags: { group: "web", addr },
      status: "alive",
      protocol: { min: 1, max: 5, cur: 2 },
      delegate: { min: 2, max: 5, cur: 5 },
    });
  }
  state.setReady(true);
  return RpcServer.listen(createHandlers(state), { addr: "127.0.0.1:0" }).addr;
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
}

let keyCounter = 0;

async function load(addr: string, level: Level, requests: number): Promise<Result> {
  const clients = await Promise.all(
    Array.from({ length: level.connections }, () => RpcClient.connect(addr, { timeoutMs: 10_000 })),
  );
  const latencies = new Float64Array(requests);
  let issued = 0;
  async function worker(client: RpcClient): Promise<void> {
    while (issued < requests) {
      const slot = issued++;
      const t0 = performance.now();
      await client.call("match", { group: "web", key: `user-id-${keyCounter++}` });
      latencies[slot] = performance.now() - t0;
    }
  }
  const perConn = level.inFlight / level.connections;
  const started = performance.now();
  await Promise.all(clients.flatMap((c) => Array.from({ length: perConn }, () => worker(c))));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.close()));
  latencies.sort();
  return {
    rps: requests / seconds,
    p50: latencies[Math.floor(requests * 0.5)],
    p99: latencies[Math.floor(requests * 0.99)],
  };
}

async function spawnServer(
  kind: "ours" | "bare",
): Promise<{ addr: string; child: Deno.ChildProcess }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-net",
      ...values["server-flags"]!.split(" ").filter(Boolean),
      new URL(import.meta.url).pathname,
      "--server",
      kind,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`server ${kind} exited early`);
    text += value;
  }
  reader.releaseLock();
  return { addr: text.trim(), child };
}

async function vmRssMb(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(status.match(/VmRSS:\s+(\d+)/)?.[1]) / 1024;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function drive(): Promise<void> {
  const runs = Number(values.runs);
  const requests = Number(values.requests);
  const results: Record<string, Result[]> = {};
  const ratios: Record<string, number[]> = {};
  // Both servers stay up for the whole run; each level is measured on both back
  // to back (order alternating), so noise from other processes hits the pair
  // alike and the per-pair ratio stays meaningful.
  const servers = { bare: await spawnServer("bare"), ours: await spawnServer("ours") };
  for (const kind of ["bare", "ours"] as const) await load(servers[kind].addr, LEVELS[1], 10_000);
  for (let run = 0; run < runs; run++) {
    for (const [i, level] of LEVELS.entries()) {
      const order = (run + i) % 2 === 0 ? ["bare", "ours"] as const : ["ours", "bare"] as const;
      const pair: Partial<Record<"bare" | "ours", Result>> = {};
      for (const kind of order) {
        await load(servers[kind].addr, level, 2000); // warm-up, not counted
        const r = pair[kind] = await load(servers[kind].addr, level, requests);
        (results[`${kind} ${level.name}`] ??= []).push(r);
        console.error(`run ${run + 1} ${kind} c=${level.name}: ${fmt(r)}`);
      }
      (ratios[level.name] ??= []).push(pair.ours!.rps / pair.bare!.rps);
    }
  }
  for (const { child } of Object.values(servers)) {
    child.kill("SIGTERM");
    await child.status;
  }
  console.log(
    `| in flight | ours req/s | ours p50 ms | ours p99 ms | bare req/s | bare p50 | bare p99 | ours/bare (median of per-run ratios) |`,
  );
  console.log(`|---|---|---|---|---|---|---|---|`);
  for (const level of LEVELS) {
    const o = results[`ours ${level.name}`];
    const b = results[`bare ${level.name}`];
    const m = (rs: Result[], k: keyof Result): number => median(rs.map((r) => r[k]));
    console.log(
      `| ${level.name} | ${m(o, "rps").toFixed(0)} | ${m(o, "p50").toFixed(3)} | ${
        m(o, "p99").toFixed(3)
      } | ${m(b, "rps").toFixed(0)} | ${m(b, "p50").toFixed(3)} | ${m(b, "p99").toFixed(3)} | ${
        median(ratios[level.name]).toFixed(3)
      } (${ratios[level.name].map((x) => x.toFixed(2)).join(", ")}) |`,
    );
  }
  console.log();
  await memory(Number(values.memory));
}

async function memory(matches: number): Promise<void> {
  for (const kind of ["bare", "ours"] as const) {
    const { addr, child } = await spawnServer(kind);
    const idle = await vmRssMb(child.pid);
    await load(addr, LEVELS[2], matches);
    const after = await vmRssMb(child.pid);
    console.log(
      `${kind} VmRSS: idle ${idle.toFixed(1)} MB, after ${matches} matches ${after.toFixed(1)} MB`,
    );
    child.kill("SIGTERM");
    await child.status;
  }
}

function fmt(r: Result): string {
  return `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms`;
}

if (import.meta.main) {
  if (values.server === "ours") console.log(startOurs());
  else if (values.server === "bare") console.log(`127.0.0.1:${startBareLoop().addr.port}`);
  else await drive();
}
