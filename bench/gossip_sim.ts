/**
 * Convergence simulation: N memberlist nodes on the in-memory network with
 * LAN defaults join one seed; reports the simulated time until every node
 * sees every other alive, packets/bytes per node (UDP) and push-pull
 * dials/stream bytes per node (TCP).
 *
 * Usage: `deno run -A bench/gossip_sim.ts [N] [--seeds=K] [--no-compress] [--max-sim-s=S] [--parallel=P]
 * [--join-sync=K]` (`--join-sync=0` turns off the post-join push-pulls, the
 * behaviour before `joinSyncPushPulls` existed).
 *
 * @module
 */
import { LAN_PRESET } from "../src/gossip/memberlist_config.ts";
import { SimCluster } from "../tests/_helpers/cluster.ts";

interface BenchArgs {
  n: number;
  seeds: number;
  compress: boolean;
  maxSimMs: number;
  parallel: number;
  joinSync: number;
}

function parseArgs(args: string[]): BenchArgs {
  const out: BenchArgs = {
    n: 1000,
    seeds: 1,
    compress: true,
    maxSimMs: 120_000,
    parallel: 64,
    joinSync: LAN_PRESET.joinSyncPushPulls,
  };
  for (const a of args) {
    if (/^\d+$/.test(a)) out.n = Number(a);
    else if (a.startsWith("--seeds=")) out.seeds = Number(a.slice(8));
    else if (a === "--no-compress") out.compress = false;
    else if (a.startsWith("--max-sim-s=")) out.maxSimMs = Number(a.slice(12)) * 1000;
    else if (a.startsWith("--parallel=")) out.parallel = Number(a.slice(11));
    else if (a.startsWith("--join-sync=")) out.joinSync = Number(a.slice(12));
    else throw new TypeError(`Unknown argument "${a}"`);
  }
  return out;
}

/** How many (viewer, member) pairs are alive, over all N × N. */
function coverage(c: SimCluster): number {
  let alive = 0;
  for (const n of c.nodes) alive += n.node.numAliveNodes();
  return alive / (c.nodes.length * c.nodes.length);
}

async function main(): Promise<void> {
  const args = parseArgs(Deno.args);
  const wall0 = performance.now();
  const c = new SimCluster({
    seed: 1,
    preset: LAN_PRESET,
    stepMs: 10,
    overrides: { enableCompression: args.compress, joinSyncPushPulls: args.joinSync },
  });
  for (let i = 0; i < args.n; i++) c.add();
  const seeds = c.nodes.slice(0, args.seeds);
  const start = c.clock.now();
  let next = args.seeds, failed = 0, joinedAt = -1;
  const worker = async (): Promise<void> => {
    while (next < args.n) {
      const node = c.nodes[next];
      const seed = seeds[next++ % seeds.length];
      await node.node.join([seed.addr]).catch(() => failed++);
    }
  };
  for (const s of seeds.slice(1)) void s.node.join([seeds[0].addr]);
  const workers = Promise.all(Array.from({ length: args.parallel }, worker)).then(() => {
    joinedAt = c.clock.now() - start;
  });
  let lastReport = 0;
  const took = await c.until(() => {
    const t = c.clock.now() - start;
    if (t - lastReport >= 1000) {
      lastReport = t;
      console.log(`t=${(t / 1000).toFixed(0)}s coverage=${(coverage(c) * 100).toFixed(2)}%`);
    }
    return c.converged();
  }, args.maxSimMs);
  await workers;
  report(c, args, took, joinedAt, failed, performance.now() - wall0);
  await c.close();
}

function report(
  c: SimCluster,
  args: BenchArgs,
  took: number,
  joinedAt: number,
  failed: number,
  wallMs: number,
): void {
  let packets = 0, bytes = 0, dials = 0, streamBytes = 0;
  for (const n of c.nodes) {
    packets += n.transport.traffic.packetsSent;
    bytes += n.transport.traffic.bytesSent;
    streamBytes += n.transport.traffic.streamBytesSent;
    dials += n.node.stats().streamsDialed;
  }
  const simS = took < 0 ? `not within ${args.maxSimMs / 1000} s` : `${(took / 1000).toFixed(2)} s`;
  console.log(
    `nodes=${args.n} seeds=${args.seeds} compression=${args.compress} joins-parallel=${args.parallel} join-sync=${args.joinSync}`,
  );
  console.log(
    `all joins done at ${(joinedAt / 1000).toFixed(2)} s simulated, failed joins=${failed}`,
  );
  console.log(`converged (every node sees every node alive): ${simS}`);
  console.log(
    `packets sent per node: ${(packets / args.n).toFixed(1)}, bytes per node: ${
      (bytes / args.n).toFixed(0)
    }`,
  );
  console.log(
    `push-pulls dialed per node: ${(dials / args.n).toFixed(2)}, stream bytes per node: ${
      (streamBytes / args.n).toFixed(0)
    }`,
  );
  console.log(`wall time: ${(wallMs / 1000).toFixed(1)} s`);
}

if (import.meta.main) await main();
