/**
 * Cluster benchmark, side by side with Debian's `serf agent`
 * (`/work/shared/docs/measuring.md`, "Serf agents (20 on one machine)"):
 * N members on 127.0.0.1, the seed first, then N−1 launched at once, each
 * joining the seed. Measures convergence (every member sees N alive) from
 * the launch and from the moment every member listens, failure detection
 * (kill -9 of one member until every other reports it failed) and resident
 * memory per member (VmRSS).
 *
 * Ours: N OS processes of `bench/gossip_node.ts` (a GossipAgent that prints
 * a JSON line on every membership change). Serf: N `serf agent`s polled over
 * their msgpack RPC every 10 ms.
 *
 * Usage: deno run -A --unstable-net bench/gossip_cluster.ts [--runs 3] [--nodes 20] [--only ours|serf]
 *   [--node-flags "--v8-flags=..."] [--entry source|bundle]
 *
 * Our members run with the shipped V8 flags (`src/runtime_flags.ts`) unless
 * `--node-flags` replaces them (`--node-flags ""`: none), from the sources, or
 * with `--entry bundle` from a bundle of `gossip_node.ts` made as `deno task
 * bundle` makes the product's.
 *
 * @module
 */
import { decodeMsgpack, encodeMsgpack, msgpackLength } from "../src/gossip/msgpack.ts";
import { V8_FLAGS_ARG } from "../src/runtime_flags.ts";
import { bundleEntry } from "./_bundle.ts";
import { freePort } from "../tests/_helpers/free_port.ts";

const ROOT = new URL("../", import.meta.url).pathname;
/** Extra `deno run` flags for our member processes (`--node-flags "--v8-flags=..."`). */
const NODE_FLAGS: string[] = (() => {
  const i = Deno.args.indexOf("--node-flags");
  return (i >= 0 ? Deno.args[i + 1] ?? "" : V8_FLAGS_ARG).split(" ").filter(Boolean);
})();
/** Which form of the member program runs: `source` or `bundle` (`--entry`). */
const ENTRY_KIND: string = (() => {
  const i = Deno.args.indexOf("--entry");
  return i >= 0 ? Deno.args[i + 1] ?? "source" : "source";
})();
/** The member program's path. */
const NODE_ENTRY: string = ENTRY_KIND === "bundle"
  ? await bundleEntry("bench/gossip_node.ts")
  : `${ROOT}bench/gossip_node.ts`;

interface RunResult {
  convergeFromLaunchMs: number;
  convergeFromListeningMs: number;
  failureMs: number;
  rss: number[];
}

function rssMb(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
  return kb / 1024;
}

async function until(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** One of our member processes and what its stdout said. */
class OurNode {
  readonly name: string;
  readonly child: Deno.ChildProcess;
  listeningAt = 0;
  alive = 0;
  allAliveAt = 0;
  failed = new Map<string, number>();

  constructor(name: string, port: number, seed?: string) {
    this.name = name;
    const args = [
      "run",
      "-A",
      "--unstable-net",
      ...NODE_FLAGS,
      NODE_ENTRY,
      name,
      String(port),
    ];
    if (seed) args.push(seed);
    this.child = new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "null" })
      .spawn();
    this.#read(this.child.stdout);
  }

  async #read(stream: ReadableStream<Uint8Array>): Promise<void> {
    let buf = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        this.#line(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
    }
  }

  #line(e: { t: number; ev: string; alive?: number; failed?: string[] }): void {
    if (e.ev === "listening") this.listeningAt = e.t;
    if (e.alive !== undefined) this.alive = e.alive;
    for (const f of e.failed ?? []) if (!this.failed.has(f)) this.failed.set(f, e.t);
  }

  kill(): void {
    try {
      this.child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}

async function runOurs(n: number): Promise<RunResult> {
  const ports = Array.from({ length: n }, () => freePort());
  const seedAddr = `127.0.0.1:${ports[0]}`;
  const nodes = [new OurNode("n0", ports[0])];
  try {
    await until(() => nodes[0].listeningAt > 0, 20_000, "seed listening");
    const launch = Date.now();
    for (let i = 1; i < n; i++) nodes.push(new OurNode(`n${i}`, ports[i], seedAddr));
    await until(
      () => {
        const t = Date.now();
        for (const node of nodes) if (node.alive >= n && node.allAliveAt === 0) node.allAliveAt = t;
        return nodes.every((node) => node.allAliveAt > 0);
      },
      60_000,
      "our convergence",
    );
    // The line stamps are the nodes' own clocks; the converged moment is the
    // latest member to reach n alive.
    const converged = Math.max(...nodes.map((node) => node.allAliveAt));
    const listening = Math.max(...nodes.map((node) => node.listeningAt));
    const rss = nodes.map((node) => rssMb(node.child.pid));
    const victim = nodes[n - 1];
    const killedAt = Date.now();
    victim.kill();
    const others = nodes.filter((node) => node !== victim);
    await until(
      () => others.every((o) => o.failed.has(victim.name)),
      60_000,
      "our failure detection",
    );
    const detected = Math.max(...others.map((o) => o.failed.get(victim.name)!));
    return {
      convergeFromLaunchMs: converged - launch,
      convergeFromListeningMs: Math.max(0, converged - listening),
      failureMs: detected - killedAt,
      rss,
    };
  } finally {
    for (const node of nodes) node.kill();
    await Promise.all(nodes.map((node) => node.child.status));
  }
}

/** A minimal client of serf's msgpack RPC: handshake, then `members`. */
class SerfRpc {
  #conn: Deno.TcpConn;
  #buf: Uint8Array = new Uint8Array(0);
  #seq = 0;

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  static async connect(addr: string): Promise<SerfRpc> {
    const [hostname, port] = addr.split(":");
    const rpc = new SerfRpc(await Deno.connect({ hostname, port: Number(port) }));
    await rpc.#call("handshake", { Version: 1 }, false);
    return rpc;
  }

  async members(): Promise<{ name: string; status: string }[]> {
    const body = await this.#call("members", undefined, true) as Map<string, unknown>;
    const list = (body.get("Members") ?? []) as Map<string, unknown>[];
    return list.map((m) => ({ name: String(m.get("Name")), status: String(m.get("Status")) }));
  }

  close(): void {
    this.#conn.close();
  }

  async #call(
    command: string,
    body: Record<string, unknown> | undefined,
    hasReply: boolean,
  ): Promise<unknown> {
    const seq = this.#seq++;
    const header = encodeMsgpack({ Command: command, Seq: seq });
    const out = body ? concat(header, encodeMsgpack(body as never)) : header;
    await this.#conn.write(out);
    const head = await this.#next() as Map<string, unknown>;
    if (head.get("Error")) throw new Error(`serf rpc ${command}: ${head.get("Error")}`);
    return hasReply ? await this.#next() : undefined;
  }

  async #next(): Promise<unknown> {
    while (true) {
      const len = this.#buf.length ? msgpackLength(this.#buf) : -1;
      if (len > 0) {
        const { value } = decodeMsgpack(this.#buf);
        this.#buf = this.#buf.slice(len);
        return value;
      }
      const chunk = new Uint8Array(65536);
      const n = await this.#conn.read(chunk);
      if (n === null) throw new Error("serf rpc closed");
      this.#buf = concat(this.#buf, chunk.subarray(0, n));
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

interface SerfProc {
  name: string;
  rpcAddr: string;
  child: Deno.ChildProcess;
  rpc?: SerfRpc;
}

function spawnSerf(name: string, port: number, rpcPort: number, join?: string): SerfProc {
  const args = [
    "agent",
    `-node=${name}`,
    `-bind=127.0.0.1:${port}`,
    `-rpc-addr=127.0.0.1:${rpcPort}`,
  ];
  args.push("-tag", "group=web", "-tag", `addr=127.0.0.1:${port}`);
  if (join) args.push(`-join=${join}`);
  const child = new Deno.Command("serf", { args, stdout: "null", stderr: "null" }).spawn();
  return { name, rpcAddr: `127.0.0.1:${rpcPort}`, child };
}

async function connectRpc(p: SerfProc): Promise<boolean> {
  try {
    p.rpc ??= await SerfRpc.connect(p.rpcAddr);
    return true;
  } catch {
    return false;
  }
}

async function runSerf(n: number): Promise<RunResult> {
  const ports = Array.from({ length: 2 * n }, () => freePort());
  const procs = [spawnSerf("s0", ports[0], ports[n])];
  try {
    await until(() => connectRpc(procs[0]), 20_000, "serf seed RPC");
    const launch = Date.now();
    for (let i = 1; i < n; i++) {
      procs.push(spawnSerf(`s${i}`, ports[i], ports[n + i], `127.0.0.1:${ports[0]}`));
    }
    let listening = 0;
    await until(
      async () => {
        const ok = await Promise.all(procs.map(connectRpc));
        if (ok.every(Boolean) && listening === 0) listening = Date.now();
        return listening > 0;
      },
      30_000,
      "serf RPC up",
    );
    await until(
      async () => {
        const views = await Promise.all(procs.map((p) => p.rpc!.members()));
        return views.every((v) => v.filter((m) => m.status === "alive").length >= n);
      },
      60_000,
      "serf convergence",
    );
    const converged = Date.now();
    const rss = procs.map((p) => rssMb(p.child.pid));
    const victim = procs[n - 1];
    const killedAt = Date.now();
    victim.child.kill("SIGKILL");
    victim.rpc?.close();
    const others = procs.filter((p) => p !== victim);
    await until(
      async () => {
        const views = await Promise.all(others.map((p) => p.rpc!.members()));
        return views.every((v) => v.find((m) => m.name === victim.name)?.status === "failed");
      },
      60_000,
      "serf failure detection",
    );
    return {
      convergeFromLaunchMs: converged - launch,
      convergeFromListeningMs: Math.max(0, converged - listening),
      failureMs: Date.now() - killedAt,
      rss,
    };
  } finally {
    for (const p of procs) {
      try {
        p.rpc?.close();
      } catch {
        // already closed
      }
      try {
        p.child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
    await Promise.all(procs.map((p) => p.child.status));
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function report(label: string, runs: RunResult[], ours: boolean): void {
  const f = (xs: number[]) =>
    `median ${median(xs).toFixed(0)} (min ${Math.min(...xs).toFixed(0)}, max ${
      Math.max(...xs).toFixed(0)
    })`;
  const rss = runs.flatMap((r) => r.rss);
  const how = ours ? `, member flags "${NODE_FLAGS.join(" ")}", entry ${ENTRY_KIND}` : "";
  console.log(`${label}: ${runs.length} runs${how}`);
  console.log(`  converge from launch ms:    ${f(runs.map((r) => r.convergeFromLaunchMs))}`);
  console.log(`  converge from listening ms: ${f(runs.map((r) => r.convergeFromListeningMs))}`);
  console.log(`  failure detection ms:       ${f(runs.map((r) => r.failureMs))}`);
  console.log(
    `  VmRSS MB per member:        median ${median(rss).toFixed(1)} (min ${
      Math.min(...rss).toFixed(1)
    }, max ${Math.max(...rss).toFixed(1)})`,
  );
}

if (import.meta.main) {
  const arg = (name: string, dflt: string) => {
    const i = Deno.args.indexOf(`--${name}`);
    return i >= 0 ? Deno.args[i + 1] : dflt;
  };
  const runs = Number(arg("runs", "3"));
  const n = Number(arg("nodes", "20"));
  const only = arg("only", "");
  for (const [label, fn] of [["ours", runOurs], ["serf", runSerf]] as const) {
    if (only && only !== label) continue;
    const results: RunResult[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await fn(n);
      console.log(
        `${label} run ${i + 1}: ${
          JSON.stringify({ ...r, rss: r.rss.map((x) => Number(x.toFixed(1))) })
        }`,
      );
      results.push(r);
    }
    report(`${label} (${n} members)`, results, label === "ours");
  }
}
