/**
 * Test helper: real `serf agent` processes on 127.0.0.1, driven through the
 * `serf` CLI (members, tags, event, leave) and killed by PID.
 *
 * @module
 */
import { freePort } from "../_helpers/processes.ts";

export { freePort };

/** Whether `serf` is on PATH (checked once). */
export const SERF_PATH: string | undefined = findSerf();

function findSerf(): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      const p = `${dir}/serf`;
      if (Deno.statSync(p).isFile) return p;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** One member as `serf members -format json` prints it. */
export interface SerfMemberJson {
  name: string;
  addr: string;
  port: number;
  tags: Record<string, string>;
  status: string;
  protocol: Record<string, number>;
}

/** Options for {@link SerfAgent.start}. */
export interface SerfAgentOptions {
  name: string;
  tags?: Record<string, string>;
  join?: string;
  encrypt?: string;
  /** Writes every event to this file via `-event-handler`. */
  eventLog?: string;
}

/** A running `serf agent`. */
export class SerfAgent {
  readonly name: string;
  readonly bindAddr: string;
  readonly rpcAddr: string;
  readonly #child: Deno.ChildProcess;
  readonly #script: string | undefined;
  #killed = false;

  private constructor(
    name: string,
    bindAddr: string,
    rpcAddr: string,
    child: Deno.ChildProcess,
    script?: string,
  ) {
    this.#script = script;
    this.name = name;
    this.bindAddr = bindAddr;
    this.rpcAddr = rpcAddr;
    this.#child = child;
  }

  /** The process id. */
  get pid(): number {
    return this.#child.pid;
  }

  /** Starts an agent with the `local` profile and waits until its RPC answers. */
  static async start(o: SerfAgentOptions): Promise<SerfAgent> {
    const bind = `127.0.0.1:${freePort()}`;
    const rpc = `127.0.0.1:${freePort()}`;
    const args = [
      "agent",
      `-node=${o.name}`,
      `-bind=${bind}`,
      `-rpc-addr=${rpc}`,
      "-profile=local",
    ];
    for (const [k, v] of Object.entries(o.tags ?? {})) args.push("-tag", `${k}=${v}`);
    if (o.join) args.push(`-join=${o.join}`);
    if (o.encrypt) args.push(`-encrypt=${o.encrypt}`);
    const script = o.eventLog ? await handlerScript(o.eventLog) : undefined;
    if (script) args.push(`-event-handler=${script}`);
    const child = new Deno.Command(SERF_PATH ?? "serf", { args, stdout: "null", stderr: "null" })
      .spawn();
    const agent = new SerfAgent(o.name, bind, rpc, child, script);
    try {
      await waitFor(
        async () => (await agent.members()).length > 0,
        10_000,
        `serf agent ${o.name} RPC`,
      );
    } catch (err) {
      await agent.kill();
      throw err;
    }
    return agent;
  }

  /** `serf members -format json`. */
  async members(): Promise<SerfMemberJson[]> {
    const out = await serf(["members", "-format=json", `-rpc-addr=${this.rpcAddr}`], true);
    if (out === undefined) return [];
    return (JSON.parse(out) as { members: SerfMemberJson[] }).members;
  }

  /** The status of `name` as this agent sees it, or undefined. */
  async statusOf(name: string): Promise<SerfMemberJson | undefined> {
    return (await this.members()).find((m) => m.name === name);
  }

  /** Runs a serf CLI command against this agent's RPC. */
  async cli(...args: string[]): Promise<string> {
    const [cmd, ...rest] = args;
    return (await serf([cmd, `-rpc-addr=${this.rpcAddr}`, ...rest], false))!;
  }

  /** kill -9. */
  async kill(): Promise<void> {
    if (this.#killed) return;
    this.#killed = true;
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // already exited
    }
    await this.#child.status;
    if (this.#script) await Deno.remove(this.#script).catch(() => {});
  }

  /** Waits for the process to exit on its own (after `serf leave`). */
  async exited(): Promise<void> {
    await this.#child.status;
    await this.kill();
  }
}

async function serf(args: string[], quiet: boolean): Promise<string | undefined> {
  const out = await new Deno.Command(SERF_PATH ?? "serf", {
    args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    if (quiet) return undefined;
    throw new Error(
      `serf ${args.join(" ")} failed: ${text}${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return text;
}

async function handlerScript(logFile: string): Promise<string> {
  const script = await Deno.makeTempFile({ suffix: ".sh" });
  await Deno.writeTextFile(
    script,
    `#!/bin/sh\nprintf '%s %s %s\\n' "$SERF_EVENT" "$SERF_USER_EVENT" "$(cat | tr '\\n' ' ')" >> '${logFile}'\n`,
  );
  await Deno.chmod(script, 0o755);
  return script;
}

/** Polls `check` every 50 ms until it is true or `ms` pass. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    try {
      if (await check()) return;
    } catch {
      // not ready yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
}
