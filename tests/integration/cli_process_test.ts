/**
 * Real-process runs of the CLI in the situations a shell user meets that
 * in-process tests cannot show: a stdout reader that goes away, Deno without
 * `--unstable-net` (as a JSR user or a plain `deno run` gets it), and a query
 * run with no environment permission.
 */
import { assertEquals, assertMatch } from "../_helpers/assert.ts";
import { ROOT } from "../_helpers/processes.ts";
import { startRegistry, webGroup } from "../_helpers/rpc_fixture.ts";

const decoder = new TextDecoder();

/** Runs `deno <denoArgs> main.ts <args>` to completion, with a deadline. */
async function runDeno(denoArgs: string[], args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...denoArgs, `${ROOT}main.ts`, ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** An import map standing in for deno.json, so `--no-config` drops only its `unstable` list. */
async function importMapWithoutConfig(): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const path = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(path, JSON.stringify({ imports: config.imports }));
  return path;
}

Deno.test("registry match exits 0 and prints nothing on stderr when stdout's reader closes early", async () => {
  await using registry = startRegistry({ members: webGroup() });
  const keys = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-net",
      `${ROOT}main.ts`,
      "match",
      "--rpc-addr",
      registry.addr,
      "web",
      ...keys,
    ],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).spawn();
  // Far more output than a pipe buffers, so the child writes into a closed pipe.
  await child.stdout.cancel();
  const stderr = decoder.decode(await new Response(child.stderr).arrayBuffer());
  const status = await child.status;
  assertEquals({ code: status.code, stderr }, { code: 0, stderr: "" });
});

for (const command of ["serve", "register"]) {
  Deno.test(`registry ${command} without --unstable-net says which flag is missing and exits 1`, async () => {
    const importMap = await importMapWithoutConfig();
    try {
      const args = command === "serve"
        ? ["serve", "--bind", "127.0.0.1:0", "--addr", "127.0.0.1:0"]
        : ["register", "--group", "web", "--addr", "127.0.0.1:1", "--bind", "127.0.0.1:0"];
      const r = await runDeno(["run", "--no-config", "-A", `--import-map=${importMap}`], args);
      assertEquals(r.code, 1, r.stderr);
      assertMatch(r.stderr, /UDP needs Deno's --unstable-net flag .*\(UNSUPPORTED_RUNTIME\)/);
    } finally {
      await Deno.remove(importMap);
    }
  });
}

Deno.test("registry match --rpc-addr works without --allow-env: the environment is read only as a fallback", async () => {
  await using registry = startRegistry({ members: webGroup() });
  const r = await runDeno(
    ["run", "--no-prompt", "--allow-net", "--unstable-net"],
    ["match", "--rpc-addr", registry.addr, "web", "user-1"],
  );
  assertEquals(r.code, 0, r.stderr);
  assertMatch(r.stdout, /^10\.0\.0\.[123]:8080\n$/);
});
