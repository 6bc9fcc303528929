import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { RegistryError } from "../../../lib/errors.ts";
import { parseFlags, UsageError } from "../../../src/cli/flags.ts";
import {
  DEFAULT_RPC_ADDR,
  QUERY_FLAGS,
  readStdinLines,
  reportError,
  resolveQueryOptions,
} from "../../../src/cli/query_common.ts";
import { fakeIo } from "../../_helpers/fake_io.ts";

Deno.test("resolveQueryOptions() prefers --rpc-addr, then REGISTRY_RPC_ADDR, then the default", () => {
  const env = fakeIo({ env: { REGISTRY_RPC_ADDR: "10.0.0.1:9800, 10.0.0.2:9800" } });
  const none = fakeIo();
  assertEquals(resolveQueryOptions(parseFlags(["--rpc-addr", "h:1"], QUERY_FLAGS), env).addrs, [
    "h:1",
  ]);
  assertEquals(resolveQueryOptions(parseFlags([], QUERY_FLAGS), env).addrs, [
    "10.0.0.1:9800",
    "10.0.0.2:9800",
  ]);
  assertEquals(resolveQueryOptions(parseFlags([], QUERY_FLAGS), none), {
    addrs: [DEFAULT_RPC_ADDR],
    timeoutMs: 5000,
    format: "text",
  });
  assertEquals(
    resolveQueryOptions(parseFlags(["--timeout", "250ms"], QUERY_FLAGS), none).timeoutMs,
    250,
  );
  assertThrows(
    () => resolveQueryOptions(parseFlags(["--timeout", "0"], QUERY_FLAGS), none),
    UsageError,
  );
});

Deno.test("resolveQueryOptions() does not read the environment when --rpc-addr is given", () => {
  const io = fakeIo();
  // As Deno does without --allow-env.
  io.env = (name) => {
    throw new Deno.errors.NotCapable(`Requires env access to "${name}"`);
  };
  const flags = parseFlags(["--rpc-addr", "127.0.0.1:9801"], QUERY_FLAGS);
  assertEquals(resolveQueryOptions(flags, io).addrs, ["127.0.0.1:9801"]);
});

Deno.test("reportError() maps usage to 2, NO_SERVICE to 1 and other codes to 3", () => {
  const io = fakeIo();
  assertEquals(reportError(io, new UsageError("Bad flag")), 2);
  assertEquals(reportError(io, new RegistryError("NO_SERVICE", "None")), 1);
  assertEquals(reportError(io, new RegistryError("RPC_TIMEOUT", "Slow\nnode")), 3);
  assertEquals(reportError(io, new Error("boom")), 3);
  assertEquals(io.err().split("\n").slice(0, 4), [
    "error: Bad flag (INVALID_ARGUMENT)",
    "error: None (NO_SERVICE)",
    "error: Slow node (RPC_TIMEOUT)",
    "error: Error: boom (INTERNAL)",
  ]);
});

Deno.test("readStdinLines() splits on newlines, accepts CRLF and an optional last newline", async () => {
  assertEquals(await readStdinLines(fakeIo({ stdin: "a\r\nb\n" })), ["a", "b"]);
  assertEquals(await readStdinLines(fakeIo({ stdin: "a\n\nb" })), ["a", "", "b"]);
  assertEquals(await readStdinLines(fakeIo({ stdin: "" })), []);
});
