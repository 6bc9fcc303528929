/**
 * Test helper for end-to-end cluster runs: `registry serve` and
 * `registry register` as real processes on 127.0.0.1, queried through a
 * persistent {@link RegistryClient} or the `match` CLI.
 *
 * @module
 */
import { RegistryClient } from "../../lib/client.ts";
import { RegistryError } from "../../lib/errors.ts";
import {
  freePort,
  runRegistry,
  type Spawned,
  spawnRegistry,
  waitFor,
} from "../_helpers/processes.ts";

export { freePort, waitFor };

/** Options of {@link startRegistry}. */
export interface RegistryProcOptions {
  /** Gossip port. @default a free one */
  gossipPort?: number;
  /** RPC port. @default a free one */
  rpcPort?: number;
  /** Gossip addresses to join. @default none */
  registries?: string[];
  /** Extra `serve` flags. @default [] */
  extra?: string[];
  /** Wait until `info` says ready. @default true */
  waitReady?: boolean;
  /** Extra environment. @default {} */
  env?: Record<string, string>;
}

/** A `registry serve` process with a client connected to its RPC port. */
export interface RegistryProc extends AsyncDisposable {
  readonly id: string;
  readonly gossipPort: number;
  readonly rpcPort: number;
  readonly gossip: string;
  readonly rpc: string;
  readonly proc: Spawned;
  readonly client: RegistryClient;
}

/**
 * Spawns `registry serve` with the `local` profile and waits for its RPC.
 *
 * @param id Node id.
 * @param options Ports, peers and extra flags.
 * @returns The running node; disposing it kills it and closes the client.
 */
export async function startRegistry(
  id: string,
  options: RegistryProcOptions = {},
): Promise<RegistryProc> {
  const gossipPort = options.gossipPort ?? freePort();
  const rpcPort = options.rpcPort ?? freePort();
  const gossip = `127.0.0.1:${gossipPort}`;
  const rpc = `127.0.0.1:${rpcPort}`;
  const args = ["serve", "-id", id, "-bind", gossip, "-addr", rpc, "--profile", "local"];
  if (options.registries) args.push("-registries", options.registries.join(","));
  const proc = spawnRegistry([...args, ...(options.extra ?? [])], options.env);
  const client = new RegistryClient(rpc, { timeoutMs: 2000, connectTimeoutMs: 500 });
  const node: RegistryProc = {
    id,
    gossipPort,
    rpcPort,
    gossip,
    rpc,
    proc,
    client,
    async [Symbol.asyncDispose]() {
      await client.close();
      await proc[Symbol.asyncDispose]();
    },
  };
  try {
    await waitFor(`registry "${id}" to answer on ${rpc}`, async () => {
      const info = await client.info();
      return options.waitReady === false || info.ready ? info : undefined;
    }, { timeoutMs: 20_000, intervalMs: 25 });
  } catch (e) {
    await node[Symbol.asyncDispose]();
    throw new Error(`${(e as Error).message}\nstderr: ${proc.stderr()}`);
  }
  return node;
}

/** Options of {@link startService}. */
export interface ServiceProcOptions {
  /** The wrapped command; none keeps `register` registered until a signal. @default [] */
  command?: string[];
  /** Extra `register` flags. @default [] */
  extra?: string[];
  /** Gossip timing profile. @default "local" */
  profile?: "lan" | "local";
}

/**
 * Spawns `registry register` for one service (`local` profile unless told).
 *
 * @param id Service id.
 * @param group Service group.
 * @param addr Advertised service address.
 * @param registries Gossip addresses of registry nodes.
 * @param options Wrapped command and extra flags.
 * @returns The process (not waited for).
 */
export function startService(
  id: string,
  group: string,
  addr: string,
  registries: string[],
  options: ServiceProcOptions = {},
): Spawned {
  const args = ["register", "--id", id, "--group", group, "--addr", addr];
  args.push("--registries", registries.join(","), "--bind", "127.0.0.1:0");
  args.push("--profile", options.profile ?? "local");
  args.push(...(options.extra ?? []));
  if (options.command) args.push("--", ...options.command);
  return spawnRegistry(args);
}

/**
 * Lists the ids of a group's services on one node (empty for NO_SERVICE).
 *
 * @param client A client of that node.
 * @param group The group.
 * @returns Sorted ids.
 */
export async function memberIds(client: RegistryClient, group: string): Promise<string[]> {
  try {
    return (await client.members(group)).map((s) => s.id);
  } catch (e) {
    if (e instanceof RegistryError && e.code === "NO_SERVICE") return [];
    throw e;
  }
}

/**
 * Polls every node until its ids for `group` equal `ids`.
 *
 * @param nodes The nodes to ask.
 * @param group The group.
 * @param ids Expected ids, sorted.
 * @param timeoutMs Deadline.
 * @returns Milliseconds until all nodes agreed.
 */
export async function waitForIds(
  nodes: RegistryProc[],
  group: string,
  ids: string[],
  timeoutMs = 20_000,
): Promise<number> {
  const start = performance.now();
  const want = JSON.stringify(ids);
  let seen = "";
  try {
    await waitFor(`${group} = ${want}`, async () => {
      const lists = await Promise.all(nodes.map((n) => memberIds(n.client, group)));
      seen = JSON.stringify(lists);
      return lists.every((l) => JSON.stringify(l) === want) ? true : undefined;
    }, { timeoutMs, intervalMs: 20 });
  } catch (e) {
    throw new Error(`${(e as Error).message}; last seen ${seen}`);
  }
  return performance.now() - start;
}

/**
 * Runs `registry match <group> -` with the keys on stdin (one process, one connection).
 *
 * @param rpc RPC address of the node.
 * @param group The group.
 * @param keys The keys.
 * @param format `text` (addresses) or `json` (whole services).
 * @returns Exit code, output lines and stderr.
 */
export async function matchKeys(
  rpc: string,
  group: string,
  keys: string[],
  format: "text" | "json" = "text",
): Promise<{ code: number; lines: string[]; stderr: string }> {
  const r = await runRegistry(["match", "--rpc-addr", rpc, "--format", format, group, "-"], {
    stdin: keys.join("\n") + "\n",
  });
  const lines = r.stdout.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return { code: r.code, lines, stderr: r.stderr };
}

/**
 * `k1 ... kn`.
 *
 * @param n How many keys.
 * @returns The keys.
 */
export function keys(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `k${i + 1}`);
}
