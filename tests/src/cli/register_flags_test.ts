import { assertEquals, assertRejects } from "../../_helpers/assert.ts";
import { fakeIo } from "../../_helpers/fake_io.ts";
import { UsageError } from "../../../src/cli/flags.ts";
import { parseRegisterFlags } from "../../../src/cli/register_flags.ts";

Deno.test("parseRegisterFlags() fills the documented defaults", async () => {
  const settings = await parseRegisterFlags(["--group", "web", "--addr", "h:1"], fakeIo());
  assertEquals(settings.command, undefined);
  assertEquals(settings.drainMs, 1000);
  assertEquals(settings.killTimeoutMs, 10_000);
  const { options } = settings;
  assertEquals([options.group, options.addr, options.registries], ["web", "h:1", undefined]);
  assertEquals([options.weight, options.check, options.checkIntervalMs], [1, "none", 5000]);
  assertEquals([options.checkRise, options.profile, options.tags], [2, "lan", {}]);
});

Deno.test("parseRegisterFlags() takes the command after -- and splits --registries", async () => {
  const settings = await parseRegisterFlags(
    ["--group", "web", "--addr", "h:1", "--registries", "a,b:1", "--", "sleep", "5"],
    fakeIo(),
  );
  assertEquals(settings.command, ["sleep", "5"]);
  assertEquals(settings.options.registries, ["a", "b:1"]);
});

Deno.test("parseRegisterFlags() rejects a zero --kill-timeout and an unknown --log-level", async () => {
  const base = ["--group", "web", "--addr", "h:1"];
  await assertRejects(
    () => parseRegisterFlags([...base, "--kill-timeout", "0"], fakeIo()),
    UsageError,
  );
  await assertRejects(
    () => parseRegisterFlags([...base, "--log-level", "loud"], fakeIo()),
    UsageError,
  );
});
