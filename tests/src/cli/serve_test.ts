import { assertEquals, assertMatch, assertRejects } from "../../_helpers/assert.ts";
import { fakeIo } from "../../_helpers/fake_io.ts";
import { waitFor } from "../../_helpers/processes.ts";
import { runCli } from "../../../src/cli/run.ts";
import { command, parseServeFlags } from "../../../src/cli/serve.ts";
import { UsageError } from "../../../src/cli/flags.ts";

const KEY = "a2V5a2V5a2V5a2V5a2V5MQ==";

Deno.test("parseServeFlags() accepts the Go registry's single-dash flags", async () => {
  const o = await parseServeFlags([
    "-id",
    "r1",
    "-bind",
    "127.0.0.1:7370",
    "-bind-advertise",
    "10.0.0.1:7370",
    "-addr",
    "127.0.0.1:9800",
    "-advertise",
    "10.0.0.1:9800",
    "-registries",
    "10.0.0.2:7370,10.0.0.3:7370",
  ], fakeIo());
  assertEquals(
    [o.id, o.bind, o.bindAdvertise, o.addr, o.advertise, o.registries],
    ["r1", "127.0.0.1:7370", "10.0.0.1:7370", "127.0.0.1:9800", "10.0.0.1:9800", [
      "10.0.0.2:7370",
      "10.0.0.3:7370",
    ]],
  );
});

Deno.test("parseServeFlags() without flags gives a host-name id with a random suffix and the defaults", async () => {
  const a = await parseServeFlags([], fakeIo());
  const b = await parseServeFlags([], fakeIo());
  assertMatch(a.id, /-[0-9a-z]{6}$/);
  assertEquals(a.id === b.id, false);
  assertEquals([a.bind, a.addr, a.ring, a.profile], [undefined, undefined, "default", "lan"]);
  assertEquals(a.encryptKeys, []);
});

Deno.test("parseServeFlags() reads the key from --encrypt or REGISTRY_ENCRYPT and takes --ring and --profile", async () => {
  const flagged = await parseServeFlags(["--encrypt", KEY, "--ring", "chash"], fakeIo());
  assertEquals([flagged.encryptKeys, flagged.ring], [[KEY], "chash"]);
  const env = await parseServeFlags(
    ["--profile", "local"],
    fakeIo({ env: { REGISTRY_ENCRYPT: KEY } }),
  );
  assertEquals([env.encryptKeys, env.profile], [[KEY], "local"]);
});

Deno.test("parseServeFlags() rejects bad values, unknown flags and positionals", async () => {
  for (
    const args of [
      ["--ring", "ketama"],
      ["--profile", "wan"],
      ["--log-level", "loud"],
      ["--log-format", "xml"],
      ["--encrypt", "short"],
      ["--nope"],
      ["extra"],
    ]
  ) {
    await assertRejects(() => parseServeFlags(args, fakeIo()), UsageError);
  }
});

Deno.test("serve command exits 2 with one error line on a usage error", async () => {
  const io = fakeIo();
  assertEquals(await runCli(["serve", "--ring", "ketama"], io), 2);
  assertMatch(io.err(), /^error: .*"--ring".* \(INVALID_ARGUMENT\)\n/);
  const bad = fakeIo();
  assertEquals(await runCli(["serve", "-addr", "127.0.0.1:99999", "-bind", "127.0.0.1:0"], bad), 2);
  assertMatch(bad.err(), /0-65535/);
});

Deno.test("serve command help lists every flag with its default", () => {
  for (
    const flag of ["--id", "--bind", "--bind-advertise", "--addr", "--advertise", "--registries"]
  ) {
    assertMatch(command.help, new RegExp(`${flag} `));
  }
  assertMatch(command.help, /default: :7370/);
  assertMatch(command.help, /default: :9800/);
});

Deno.test("serve command exits 1 when the RPC address is taken", async () => {
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const io = fakeIo();
  const rpc = `127.0.0.1:${taken.addr.port}`;
  assertEquals(await runCli(["serve", "-id", "x", "-bind", "127.0.0.1:0", "-addr", rpc], io), 1);
  assertEquals(
    io.err(),
    `error: Cannot start registry: Cannot listen for RPC on "${rpc}" (-addr): address already in use (ADDR_IN_USE)\n`,
  );
});

Deno.test("serve command exits 1 naming -bind when the gossip address is taken", async () => {
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const io = fakeIo();
  const gossip = `127.0.0.1:${taken.addr.port}`;
  assertEquals(await runCli(["serve", "-id", "x", "-bind", gossip, "-addr", "127.0.0.1:0"], io), 1);
  assertEquals(
    io.err(),
    `error: Cannot start registry: Cannot listen for gossip on "${gossip}" (-bind): address already in use (ADDR_IN_USE)\n`,
  );
});

Deno.test("serve command runs until SIGTERM, then leaves and exits 0", async () => {
  const io = fakeIo();
  const exit = runCli(["serve", "-id", "s1", "-bind", "127.0.0.1:0", "-addr", "127.0.0.1:0"], io);
  await waitFor("the node to start", () => io.err().includes("Registry node started") || undefined);
  io.signal("SIGTERM");
  assertEquals(await exit, 0);
  assertMatch(io.err(), /Leaving the cluster signal=SIGTERM/);
});
