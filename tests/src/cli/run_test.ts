import { assert, assertEquals, assertMatch } from "../../_helpers/assert.ts";
import { runCli } from "../../../src/cli/run.ts";
import { VERSION } from "../../../src/version.ts";
import { fakeIo } from "../../_helpers/fake_io.ts";

Deno.test("runCli() prints the version with --version and exits 0", async () => {
  const io = fakeIo();
  assertEquals(await runCli(["--version"], io), 0);
  assertEquals(io.out(), `registry ${VERSION}\n`);
});

Deno.test("runCli() prints help with --help and exits 0", async () => {
  const io = fakeIo();
  assertEquals(await runCli(["--help"], io), 0);
  assertMatch(io.out(), /Usage: registry <command>/);
});

Deno.test("runCli() with no arguments prints help and exits 2", async () => {
  const io = fakeIo();
  assertEquals(await runCli([], io), 2);
  assertMatch(io.out(), /Usage: registry/);
});

Deno.test("runCli() rejects an unknown command with one error line and a hint, exit 2", async () => {
  const io = fakeIo();
  assertEquals(await runCli(["frobnicate"], io), 2);
  const lines = io.err().trim().split("\n");
  assertEquals(lines.length, 2);
  assertEquals(lines[0], 'error: unknown command "frobnicate" (INVALID_ARGUMENT)');
  assert(lines[1].includes("registry --help"));
});

Deno.test("VERSION equals the version in deno.json", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("../../../deno.json", import.meta.url)),
  );
  assertEquals(VERSION, config.version);
});
