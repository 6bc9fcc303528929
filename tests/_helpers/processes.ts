/**
 * Real-process helpers for integration tests: free ports, spawning
 * `main.ts` subcommands, polling with deadlines, and cleanup.
 *
 * @module
 */

import { V8_FLAGS_ARG } from "../../src/runtime_flags.ts";

/** The repository root. */
export const ROOT: string = new URL("../../", import.meta.url).pathname;

export { freePort } from "./free_port.ts";

/** A spawned process whose output is collected. */
export interface Spawned extends AsyncDisposable {
  /** The child process. */
  readonly child: Deno.ChildProcess;
  /** stdout so far. */
  stdout(): string;
  /** stderr so far. */
  stderr(): string;
  /** Resolves with the exit status. */
  readonly status: Promise<Deno.CommandStatus>;
  /** Sends a signal if still running. */
  kill(signal?: Deno.Signal): void;
}

/**
 * Spawns a program and collects its output.
 *
 * @param cmd Program path.
 * @param args Arguments.
 * @param env Extra environment.
 * @returns The running process; `await using` kills it with SIGKILL at scope end.
 */
export function spawn(cmd: string, args: string[], env: Record<string, string> = {}): Spawned {
  const child = new Deno.Command(cmd, {
    args,
    cwd: ROOT,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  let err = "";
  const pump = async (stream: ReadableStream<Uint8Array>, add: (s: string) => void) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) add(decoder.decode(chunk, { stream: true }));
  };
  const pumps = Promise.all([
    pump(child.stdout, (s) => out += s),
    pump(child.stderr, (s) => err += s),
  ]);
  const status = pumps.then(() => child.status);
  let exited = false;
  status.then(() => exited = true);
  const kill = (signal: Deno.Signal = "SIGTERM"): void => {
    if (exited) return;
    try {
      child.kill(signal);
    } catch {
      // Already gone between the check and the kill.
    }
  };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    status,
    kill,
    async [Symbol.asyncDispose]() {
      kill("SIGKILL");
      await status;
    },
  };
}

/**
 * Spawns `deno run -A --unstable-net --v8-flags=... main.ts <args>`, with the
 * V8 flags the shipped binary carries.
 *
 * @param args CLI arguments.
 * @param env Extra environment.
 * @returns The running process.
 */
export function spawnRegistry(args: string[], env: Record<string, string> = {}): Spawned {
  return spawn(
    Deno.execPath(),
    ["run", "-A", "--unstable-net", V8_FLAGS_ARG, `${ROOT}main.ts`, ...args],
    env,
  );
}

/**
 * Runs `main.ts <args>` to completion (with the shipped V8 flags).
 *
 * @param args CLI arguments.
 * @param options Extra environment and stdin text.
 * @returns Exit code and output.
 */
export async function runRegistry(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-net", V8_FLAGS_ARG, `${ROOT}main.ts`, ...args],
    cwd: ROOT,
    env: options.env ?? {},
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const result = await child.output();
  const decoder = new TextDecoder();
  return {
    code: result.code,
    stdout: decoder.decode(result.stdout),
    stderr: decoder.decode(result.stderr),
  };
}

/**
 * Polls `check` until it returns a non-undefined value or the deadline passes.
 *
 * @param what Description for the timeout error.
 * @param check Returns the awaited value, or undefined to keep polling.
 * @param options Deadline and poll interval.
 * @returns The first defined value.
 * @throws {Error} After the deadline, naming `what` and the last error seen.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}
