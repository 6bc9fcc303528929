/**
 * The shipped forms: `deno task bundle` (dist/bundle/, what the binary is
 * compiled from) and `deno task compile` (dist/registry).
 *
 * Both tasks are run for real, writing into a temporary directory instead of
 * dist/. The bundle must start a working registry node under the shipped V8
 * flags. `deno compile` needs the `denort` runtime: from `DENORT_BIN`, or a
 * download that is blocked on our build machines; only when the build fails
 * because the runtime cannot be had is the compile test skipped, with the
 * reason printed. Any other failure fails the test.
 */
import { assertEquals, assertMatch } from "../_helpers/assert.ts";
import { freePort, spawn, waitFor } from "../_helpers/processes.ts";
import { VERSION } from "../../src/version.ts";
import { V8_FLAGS_ARG } from "../../src/runtime_flags.ts";

const root = new URL("../../", import.meta.url).pathname;
const decoder = new TextDecoder();
const outDir = await Deno.makeTempDir({ prefix: "registry-dist-" });
const bundleDir = `${outDir}/bundle`;
const binary = `${outDir}/registry`;
globalThis.addEventListener("unload", () => Deno.removeSync(outDir, { recursive: true }));

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly text: string;
}

/** The last command of a task (after its `&&`s), with dist/ paths moved to the temp dir. */
async function taskArgs(name: string): Promise<string[]> {
  const task = JSON.parse(await Deno.readTextFile(`${root}deno.json`)).tasks[name];
  const command = (task.command as string).split("&&").at(-1)!.trim();
  return command.split(/\s+/).slice(1).map((a) =>
    a.replace("dist/bundle", bundleDir).replace("dist/registry", binary)
  );
}

async function run(cmd: string, args: string[], timeoutMs = 180_000): Promise<Ran> {
  const result = await new Deno.Command(cmd, {
    args,
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  const stdout = decoder.decode(result.stdout);
  return { code: result.code, stdout, text: stdout + decoder.decode(result.stderr) };
}

/** `deno run` arguments that run the bundle with the shipped flags. */
function bundleRun(args: string[]): string[] {
  return ["run", "-A", "--unstable-net", V8_FLAGS_ARG, `${bundleDir}/main.js`, ...args];
}

function fromBundle(args: string[]): Promise<Ran> {
  return run(Deno.execPath(), bundleRun(args), 60_000);
}

const bundled = await run(Deno.execPath(), await taskArgs("bundle"));

Deno.test("deno task bundle writes main.js, which prints the version and help", async () => {
  assertEquals(bundled.code, 0, bundled.text);
  const version = await fromBundle(["--version"]);
  assertEquals([version.code, version.stdout], [0, `registry ${VERSION}\n`]);
  const help = await fromBundle(["serve", "--help"]);
  assertEquals(help.code, 0, help.text);
  assertMatch(help.stdout, /registry serve/);
});

Deno.test("the bundle runs a registry node that answers members under the shipped V8 flags", async () => {
  assertEquals(bundled.code, 0, bundled.text);
  const rpc = `127.0.0.1:${freePort()}`;
  await using node = spawn(
    Deno.execPath(),
    bundleRun([
      "serve",
      "-id",
      "bundled",
      "-bind",
      `127.0.0.1:${freePort()}`,
      "-addr",
      rpc,
    ]),
  );
  const listed = await waitFor("the bundled node to list itself", async () => {
    const out = await fromBundle(["members", "registry-group", "--rpc-addr", rpc]);
    return out.code === 0 ? out.stdout : undefined;
  }, { timeoutMs: 30_000, intervalMs: 100 });
  assertMatch(listed, new RegExp(`bundled\\s.*${rpc}`));
  node.kill("SIGTERM");
  assertEquals((await node.status).code, 0, node.stderr());
});

const built = bundled.code === 0 ? await run(Deno.execPath(), await taskArgs("compile")) : bundled;
const RUNTIME_UNAVAILABLE = /dns error|failed to lookup|error sending request|download|denort/i;
const skipReason = built.code !== 0 && RUNTIME_UNAVAILABLE.test(built.text)
  ? "the denort runtime cannot be downloaded here and DENORT_BIN is not set"
  : undefined;
if (skipReason) console.log(`dist_test: compile skipped: ${skipReason}`);

Deno.test({
  name: skipReason
    ? `deno task compile builds dist/registry (skipped: ${skipReason})`
    : "deno task compile builds dist/registry and it prints its version",
  ignore: skipReason !== undefined,
  async fn() {
    assertEquals(built.code, 0, built.text);
    const version = await run(binary, ["--version"], 30_000);
    assertEquals([version.code, version.stdout], [0, `registry ${VERSION}\n`]);
  },
});
