import { assert, assertEquals, assertMatch } from "../../_helpers/assert.ts";
import { runCli } from "../../../src/cli/run.ts";
import { fakeIo } from "../../_helpers/fake_io.ts";
import { startRegistry, webGroup } from "../../_helpers/rpc_fixture.ts";
import { closedAddr } from "../../_helpers/free_port.ts";

Deno.test("registry match prints the owner's address and a newline, exit 0", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const io = fakeIo();
  assertEquals(await runCli(["match", "--rpc-addr", reg.addr, "web", "user-42"], io), 0);
  assertEquals(io.out(), `${reg.state.match("web", "user-42")?.addr}\n`);
  assertEquals(io.err(), "");
});

Deno.test("registry match --format json prints the whole service", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const io = fakeIo();
  assertEquals(
    await runCli(["match", "-rpc-addr", reg.addr, "--format", "json", "web", "k"], io),
    0,
  );
  assertEquals(JSON.parse(io.out()), reg.state.match("web", "k"));
});

Deno.test("registry match prints one line per key, in order, for many keys", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const keys = Array.from({ length: 300 }, (_, i) => `user-id-${i}`);
  const io = fakeIo();
  assertEquals(await runCli(["match", "--rpc-addr", reg.addr, "web", ...keys], io), 0);
  assertEquals(io.out(), keys.map((k) => `${reg.state.match("web", k)?.addr}\n`).join(""));
  assertEquals(reg.server.acceptedCount, 1, "keys were not pipelined over one connection");
});

Deno.test("registry match - reads keys from stdin, one per line", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const io = fakeIo({ stdin: "a\r\nb\n\nc\n" });
  assertEquals(await runCli(["match", "--rpc-addr", reg.addr, "web", "-"], io), 0);
  const expected = ["a", "b", "", "c"].map((k) => reg.state.match("web", k)?.addr);
  assertEquals(io.out(), expected.map((a) => `${a}\n`).join(""));
});

Deno.test("registry match takes every argument after -- as a key, dashes included", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const io = fakeIo();
  const args = ["match", "--rpc-addr", reg.addr, "web", "a", "--", "-k", "--format", "-"];
  assertEquals(await runCli(args, io), 0);
  const expected = ["a", "-k", "--format", "-"].map((k) => reg.state.match("web", k)?.addr);
  assertEquals(io.out(), expected.map((a) => `${a}\n`).join(""));
  const one = fakeIo();
  assertEquals(await runCli(["match", "--rpc-addr", reg.addr, "web", "--", "-42"], one), 0);
  assertEquals(one.out(), `${reg.state.match("web", "-42")?.addr}\n`);
});

Deno.test("registry match exits 1 with one error line when the group has no service", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const io = fakeIo();
  assertEquals(await runCli(["match", "--rpc-addr", reg.addr, "nope", "k"], io), 1);
  assertEquals(io.out(), "");
  assertMatch(io.err(), /^error: .+ \(NO_SERVICE\)\n$/);
});

Deno.test("registry match with several keys prints an empty line or null for a key without owner", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const io = fakeIo();
  assertEquals(await runCli(["match", "--rpc-addr", reg.addr, "none", "a", "b"], io), 1);
  assertEquals(io.out(), "\n\n");
  assertEquals(io.err(), 'error: No live service for 2 of 2 keys in group "none" (NO_SERVICE)\n');
  const json = fakeIo();
  assertEquals(
    await runCli(["match", "--rpc-addr", reg.addr, "--format=json", "none", "a", "b"], json),
    1,
  );
  assertEquals(json.out(), "null\nnull\n");
});

Deno.test("registry match exits 3 when no registry can be reached", async () => {
  const io = fakeIo();
  assertEquals(await runCli(["match", "--rpc-addr", closedAddr(), "web", "k"], io), 3);
  assertMatch(io.err(), /^error: Cannot reach a registry: .+ \(UNREACHABLE\)\n$/);
});

Deno.test("registry match exits 3 with NOT_READY when the registry is not ready", async () => {
  await using reg = startRegistry({ members: webGroup(), ready: false });
  const io = fakeIo();
  assertEquals(await runCli(["match", "--rpc-addr", reg.addr, "web", "k"], io), 3);
  assertMatch(io.err(), /\(NOT_READY\)\n$/);
});

Deno.test("registry match uses REGISTRY_RPC_ADDR when --rpc-addr is absent", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const io = fakeIo({ env: { REGISTRY_RPC_ADDR: `${closedAddr()},${reg.addr}` } });
  assertEquals(await runCli(["match", "web", "k"], io), 0);
  assertEquals(io.out(), `${reg.state.match("web", "k")?.addr}\n`);
});

Deno.test("registry match exits 2 on usage errors", async () => {
  for (
    const args of [
      ["match"],
      ["match", "web"],
      ["match", "--bogus", "web", "k"],
      ["match", "--timeout", "soon", "web", "k"],
      ["match", "--format", "xml", "web", "k"],
      ["match", "--rpc-addr", "no-port", "web", "k"],
      ["match", "web", "-", "-"],
      ["match", "web", "--"],
      ["match", "web", "-k"],
    ]
  ) {
    const io = fakeIo();
    assertEquals(await runCli(args, io), 2, args.join(" "));
    assertMatch(io.err(), /^error: .+ \(INVALID_ARGUMENT\)\n$/, args.join(" "));
  }
});

Deno.test("registry match --help documents the exit codes", async () => {
  const io = fakeIo();
  assertEquals(await runCli(["match", "--help"], io), 0);
  for (
    const text of ["Exit codes:", "REGISTRY_RPC_ADDR", "--rpc-addr", "--timeout", "empty line"]
  ) {
    assert(io.out().includes(text), text);
  }
});
