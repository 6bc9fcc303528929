import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { parseDurationMs, parseFlags, stringFlag, UsageError } from "../../../src/cli/flags.ts";

const SPEC = {
  id: { type: "string" },
  bind: { type: "string" },
  tag: { type: "string", multiple: true },
  verbose: { type: "boolean", short: "v" },
} as const;

Deno.test("parseFlags() accepts the Go original's single-dash long flags", () => {
  const parsed = parseFlags(["-id", "r1", "-bind=127.0.0.1:7370"], SPEC);
  assertEquals(stringFlag(parsed, "id"), "r1");
  assertEquals(stringFlag(parsed, "bind"), "127.0.0.1:7370");
});

Deno.test("parseFlags() accepts GNU style, repeats and splits at --", () => {
  const parsed = parseFlags(["--tag", "a=1", "--tag=b=2", "-v", "pos", "--", "cmd", "--id"], SPEC);
  assertEquals(parsed.values.tag, ["a=1", "b=2"]);
  assertEquals(parsed.values.verbose, true);
  assertEquals(parsed.positionals, ["pos"]);
  assertEquals(parsed.rest, ["cmd", "--id"]);
});

Deno.test("parseFlags() rejects an unknown flag with a UsageError naming it", () => {
  assertThrows(() => parseFlags(["--nope"], SPEC), UsageError, '"--nope"');
  assertThrows(() => parseFlags(["-nope"], SPEC), UsageError, 'Unknown flag "-nope"');
  assertThrows(() => parseFlags(["-foo=1"], SPEC), UsageError, 'Unknown flag "-foo"');
});

Deno.test("parseFlags() leaves a dash value of a string flag to parseArgs, not to the unknown-flag check", () => {
  assertThrows(
    () => parseFlags(["--id", "-foo"], SPEC),
    UsageError,
    '"--id" needs a value; write --id=-value',
  );
  assertEquals(parseFlags(["--id=-foo"], SPEC).values.id, "-foo");
});

Deno.test("parseFlags() rejects a string flag without a value", () => {
  assertThrows(() => parseFlags(["--id"], SPEC), UsageError, '"--id" needs a value');
});

Deno.test("parseDurationMs() reads ms, s, m and bare numbers and rejects garbage", () => {
  assertEquals(parseDurationMs("250ms", "drain"), 250);
  assertEquals(parseDurationMs("2s", "drain"), 2000);
  assertEquals(parseDurationMs("1m", "drain"), 60000);
  assertEquals(parseDurationMs("15", "drain"), 15);
  assertThrows(() => parseDurationMs("soon", "drain"), UsageError, "duration");
});
