/**
 * `deno task compile` builds dist/registry with its permissions baked in.
 *
 * `deno compile` needs the `denort` runtime: from `DENORT_BIN`, or a download
 * that is blocked on our build machines. The build is attempted for real; only
 * when it fails because the runtime cannot be had is the test skipped, with
 * the reason printed. Any other failure fails the test.
 */
import { assertEquals, assertMatch } from "../_helpers/assert.ts";
import { VERSION } from "../../src/version.ts";

const root = new URL("../../", import.meta.url).pathname;
const outDir = await Deno.makeTempDir({ prefix: "registry-compile-" });
const output = `${outDir}/registry`;

async function compile(): Promise<{ code: number; text: string }> {
  const task = JSON.parse(await Deno.readTextFile(`${root}deno.json`)).tasks.compile.command;
  const args = (task as string).split(/\s+/).slice(1).map((a) =>
    a === "dist/registry" ? output : a
  );
  const result = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(180_000),
  }).output();
  const decoder = new TextDecoder();
  return {
    code: result.code,
    text: decoder.decode(result.stdout) + decoder.decode(result.stderr),
  };
}

const RUNTIME_UNAVAILABLE = /dns error|failed to lookup|error sending request|download|denort/i;
const built = await compile();
const skipReason = built.code !== 0 && RUNTIME_UNAVAILABLE.test(built.text)
  ? "the denort runtime cannot be downloaded here and DENORT_BIN is not set"
  : undefined;
if (skipReason) console.log(`compile_test: skipped: ${skipReason}`);

Deno.test({
  name: skipReason
    ? `deno task compile builds dist/registry (skipped: ${skipReason})`
    : "deno task compile builds dist/registry and it prints its version",
  ignore: skipReason !== undefined,
  async fn() {
    try {
      assertEquals(built.code, 0, built.text);
      const run = await new Deno.Command(output, { args: ["--version"], stdout: "piped" }).output();
      assertEquals(run.code, 0);
      assertMatch(new TextDecoder().decode(run.stdout), new RegExp(`registry ${VERSION}`));
    } finally {
      await Deno.remove(outDir, { recursive: true });
    }
  },
});

if (skipReason) await Deno.remove(outDir, { recursive: true });
