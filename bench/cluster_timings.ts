/**
 * Membership timings of a real cluster (`/work/shared/docs/measuring.md`,
 * "Membership timings (Go original)"): two `registry serve` processes and
 * `registry register` services on 127.0.0.1, polled through persistent
 * {@link RegistryClient}s (one RPC connection per node, no process spawned
 * per poll).
 *
 * - appear: launch of a `register` process until the *other* node lists it (2 ms polls)
 * - failure: `kill -9` of a service until both nodes dropped it
 * - graceful service: SIGTERM of a service until both nodes dropped it
 * - graceful registry: SIGTERM of registry node 2 until node 1 dropped it
 * - VmRSS of a registry node idle, and after 100,000 matches (16 in flight)
 *
 * Each run starts a fresh pair of registry nodes with one service at a time,
 * as the Go figures were taken: memberlist (and so serf and the Go registry)
 * lengthens the suspicion timeout when more members (dead ones included)
 * could confirm it, so leftovers from earlier runs would slow failure detection.
 *
 * Usage: deno run -A --unstable-net bench/cluster_timings.ts [--profile lan|local] [--runs 5]
 *   [--node-flags="--v8-flags=..."]  (`deno run` flags for every serve and register process;
 *                                     default: the shipped V8 flags, src/runtime_flags.ts)
 *   [--entry source|bundle]  (run main.ts, or a bundle made as `deno task bundle` makes it)
 *   [--memory-runs 1] [--memory-only]  (repeat the memory measurement; skip the timings)
 *
 * @module
 */
import { parseArgs } from "node:util";
import { RegistryClient } from "../lib/client.ts";
import { RegistryError } from "../lib/errors.ts";
import { V8_FLAGS_ARG } from "../src/runtime_flags.ts";
import { bundleEntry } from "./_bundle.ts";
import { freePort } from "../tests/_helpers/free_port.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const GROUP = "bench";
/** `deno run` flags for every serve and register process. */
let nodeFlags: string[] = [];
/** The program every serve and register process runs: main.ts or its bundle. */
let entry = `${ROOT}main.ts`;

function spawn(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-net", ...nodeFlags, entry, ...args],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
}

async function stop(child: Deno.ChildProcess, signal: Deno.Signal = "SIGKILL"): Promise<void> {
  try {
    child.kill(signal);
  } catch {
    // Already exited.
  }
  await child.status;
}

interface Node {
  id: string;
  gossip: string;
  child: Deno.ChildProcess;
  client: RegistryClient;
}

async function startNode(id: string, profile: string, seed?: string): Promise<Node> {
  const gossip = `127.0.0.1:${freePort()}`;
  const rpc = `127.0.0.1:${freePort()}`;
  const args = ["serve", "-id", id, "-bind", gossip, "-addr", rpc, "--profile", profile];
  if (seed) args.push("-registries", seed);
  const child = spawn(args);
  const client = new RegistryClient(rpc, { timeoutMs: 1000, connectTimeoutMs: 200 });
  await poll(`${id} ready`, 20_000, 10, async () => (await client.info()).ready);
  return { id, gossip, child, client };
}

async function ids(client: RegistryClient, group: string): Promise<string[]> {
  try {
    return (await client.members(group)).map((s) => s.id);
  } catch (e) {
    if (e instanceof RegistryError && e.code === "NO_SERVICE") return [];
    throw e;
  }
}

/** Polls every `intervalMs` until `check` is true; returns the elapsed ms from `since`. */
async function poll(
  what: string,
  timeoutMs: number,
  intervalMs: number,
  check: () => Promise<boolean>,
  since = performance.now(),
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    try {
      if (await check()) return performance.now() - since;
    } catch {
      // Not up yet: keep polling.
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

function startService(id: string, seed: string, profile: string): Deno.ChildProcess {
  return spawn([
    "register",
    "--id",
    id,
    "--group",
    GROUP,
    "--addr",
    `127.0.0.1:${freePort()}`,
    "--registries",
    seed,
    "--bind",
    "127.0.0.1:0",
    "--profile",
    profile,
  ]);
}

/** Time until `id` is absent from `group` on every node; polled every 2 ms. */
function gone(nodes: Node[], group: string, id: string, since: number): Promise<number> {
  return poll(`${id} gone`, 30_000, 2, async () => {
    const lists = await Promise.all(nodes.map((n) => ids(n.client, group)));
    return lists.every((l) => !l.includes(id));
  }, since);
}

/** VmRSS with its anonymous and file-backed parts (the latter mostly the deno executable's code pages). */
function rss(pid: number): string {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const mb = (field: string) =>
    (Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]) / 1024).toFixed(1);
  return `VmRSS ${mb("VmRSS")} MB (RssAnon ${mb("RssAnon")}, RssFile ${mb("RssFile")})`;
}

async function matchLoad(client: RegistryClient, total: number, inFlight: number): Promise<void> {
  let next = 0;
  async function worker(): Promise<void> {
    while (next < total) await client.match(GROUP, `user-id-${next++}`);
  }
  await Promise.all(Array.from({ length: inFlight }, worker));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function report(name: string, xs: number[]): void {
  const list = xs.map((x) => x.toFixed(0)).join(", ");
  console.log(`${name}: median ${median(xs).toFixed(0)} ms (runs: ${list})`);
}

/** One run in a fresh cluster, so no dead member inflates Lifeguard's suspicion timeout. */
async function measureRun(profile: string, run: number, out: Results): Promise<void> {
  const r1 = await startNode(`bench-r1-${run}`, profile);
  const r2 = await startNode(`bench-r2-${run}`, profile, r1.gossip);
  try {
    for (const kind of ["kill", "term"] as const) {
      const id = `svc-${kind}-${run}`;
      const t0 = performance.now();
      const child = startService(id, r1.gossip, profile);
      const listed = async () => (await ids(r2.client, GROUP)).includes(id);
      out.appear.push(await poll(`${id} on r2`, 20_000, 2, listed, t0));
      await poll(`${id} on r1`, 20_000, 2, async () => (await ids(r1.client, GROUP)).includes(id));
      const t1 = performance.now();
      child.kill(kind === "kill" ? "SIGKILL" : "SIGTERM");
      const [a, b] = await Promise.all([gone([r1], GROUP, id, t1), gone([r2], GROUP, id, t1)]);
      (kind === "kill" ? out.failure : out.graceful).push(Math.max(a, b));
      if (kind === "kill") out.failureSpread.push(Math.abs(a - b));
      await stop(child);
    }
    const t2 = performance.now();
    r2.child.kill("SIGTERM");
    out.registryLeave.push(await gone([r1], "registry-group", r2.id, t2));
  } finally {
    for (const n of [r2, r1]) {
      await n.client.close();
      await stop(n.child);
    }
  }
}

interface Results {
  appear: number[];
  failure: number[];
  failureSpread: number[];
  graceful: number[];
  registryLeave: number[];
}

async function measureMemory(profile: string): Promise<[string, string, string]> {
  const r1 = await startNode("bench-mem", profile);
  const services = [0, 1, 2].map((i) => startService(`mem-${i}`, r1.gossip, profile));
  try {
    await poll("3 services", 20_000, 10, async () => (await ids(r1.client, GROUP)).length === 3);
    const idle = rss(r1.child.pid);
    const service = rss(services[0].pid);
    await matchLoad(r1.client, 100_000, 16);
    return [idle, rss(r1.child.pid), service];
  } finally {
    for (const s of services) await stop(s, "SIGTERM");
    await r1.client.close();
    await stop(r1.child, "SIGTERM");
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      profile: { type: "string", default: "lan" },
      runs: { type: "string", default: "5" },
      "node-flags": { type: "string", default: V8_FLAGS_ARG },
      entry: { type: "string", default: "source" },
      "memory-runs": { type: "string", default: "1" },
      "memory-only": { type: "boolean", default: false },
    },
  });
  const profile = values.profile!;
  const runs = Number(values.runs);
  nodeFlags = values["node-flags"]!.split(" ").filter(Boolean);
  if (values.entry === "bundle") entry = await bundleEntry("main.ts");
  console.log(
    `cluster timings, profile ${profile}, ${runs} runs, node flags [${nodeFlags.join(" ")}], ` +
      `entry ${values.entry}, ${new Date().toISOString()}`,
  );
  for (let m = 0; m < Number(values["memory-runs"]); m++) {
    const [idle, loaded, service] = await measureMemory(profile);
    console.log(`registry node memory: idle ${idle}; after 100,000 matches ${loaded}`);
    console.log(`register agent (no command) memory: ${service}`);
  }
  if (values["memory-only"]) return;
  const out: Results = {
    appear: [],
    failure: [],
    failureSpread: [],
    graceful: [],
    registryLeave: [],
  };
  for (let run = 0; run < runs; run++) await measureRun(profile, run, out);
  report("appear (launch -> listed on the other node)", out.appear);
  report("failure (kill -9 -> gone on both nodes)", out.failure);
  report("failure spread between the two nodes", out.failureSpread);
  report("graceful service (SIGTERM -> gone on both nodes)", out.graceful);
  report("graceful registry (SIGTERM -> dropped by the other node)", out.registryLeave);
}

if (import.meta.main) await main();
