/**
 * The shipped V8 flags (`src/runtime_flags.ts`) are the ones `deno.json`'s
 * run tasks and the README's run lines use, so users, tests and benchmarks
 * run the same configuration.
 */
import { assert, assertEquals } from "./_helpers/assert.ts";
import { V8_FLAGS_ARG } from "../src/runtime_flags.ts";

const root = new URL("../", import.meta.url).pathname;

for (const task of ["serve", "compile"]) {
  Deno.test(`deno.json task ${task} passes the shipped V8 flags`, async () => {
    const config = JSON.parse(await Deno.readTextFile(`${root}deno.json`));
    const words = (config.tasks[task].command as string).split(/\s+/);
    assertEquals(words.filter((w) => w.startsWith("--v8-flags")), [V8_FLAGS_ARG]);
  });
}

Deno.test("every `deno run`/`deno install` line of the README that runs a node passes the V8 flags", async () => {
  const readme = await Deno.readTextFile(`${root}README.md`);
  const lines = readme.split("\n").filter((l) =>
    /^\s*deno (run .*(serve|register)\b|install .*cli$)/.test(l) && !l.includes("examples/")
  );
  assert(lines.length > 0, "no node-starting `deno run`/`deno install` line found in the README");
  for (const line of lines) assert(line.includes(V8_FLAGS_ARG), `missing V8 flags: ${line}`);
});
