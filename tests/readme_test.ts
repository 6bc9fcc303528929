/**
 * The README must tell the truth: every subcommand's `--help` appears in it
 * verbatim, and the fresh-machine commands use the Deno version CI pins.
 */
import { assert } from "./_helpers/assert.ts";
import { runCli } from "../src/cli/run.ts";
import { fakeIo } from "./_helpers/fake_io.ts";

const root = new URL("../", import.meta.url);
const readme = await Deno.readTextFile(new URL("README.md", root));

for (const command of ["serve", "register", "match", "members", "watch"]) {
  Deno.test(`README.md contains the exact --help text of "registry ${command}"`, async () => {
    const io = fakeIo();
    await runCli([command, "--help"], io);
    assert(io.out().length > 100, "help text is empty");
    assert(readme.includes(io.out().trimEnd()), `README.md is out of date for ${command} --help`);
  });
}

Deno.test("README.md gives the fresh-machine commands with the Deno version CI pins", async () => {
  const versions = await Deno.readTextFile(new URL(".ci/versions", root));
  const pinned = versions.match(/^DENO_VERSION=(.+)$/m)?.[1];
  assert(pinned, ".ci/versions has no DENO_VERSION");
  assert(readme.includes(`npx -y deno@${pinned} task serve`));
  assert(readme.includes(`npx -y deno@${pinned} task test`));
  const ci = await Deno.readTextFile(new URL(".ci/run", root));
  assert(ci.includes("deno task test"), ".ci/run does not run the README's test command");
});
