import { assertEquals, assertMatch } from "../../_helpers/assert.ts";
import { runCli } from "../../../src/cli/run.ts";
import { fakeIo } from "../../_helpers/fake_io.ts";
import { startRegistry, webGroup } from "../../_helpers/rpc_fixture.ts";

Deno.test("registry members prints one 'id addr' line per service, sorted", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const io = fakeIo();
  assertEquals(await runCli(["members", "--rpc-addr", reg.addr, "web"], io), 0);
  assertEquals(io.out(), "web-1 10.0.0.1:8080\nweb-2 10.0.0.2:8080\nweb-3 10.0.0.3:8080\n");
});

Deno.test("registry members --format json prints the services as one JSON array", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const io = fakeIo();
  assertEquals(await runCli(["members", "--rpc-addr", reg.addr, "--format", "json", "web"], io), 0);
  assertEquals(JSON.parse(io.out()), reg.state.members("web"));
});

Deno.test("registry members exits 1 for an unknown group", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const io = fakeIo();
  assertEquals(await runCli(["members", "--rpc-addr", reg.addr, "nope"], io), 1);
  assertEquals(io.out(), "");
  assertMatch(io.err(), /^error: .+ \(NO_SERVICE\)\n$/);
});

Deno.test("registry members exits 3 when the registry is not ready, 2 without a group", async () => {
  await using reg = startRegistry({ ready: false });
  const io = fakeIo();
  assertEquals(await runCli(["members", "--rpc-addr", reg.addr, "web"], io), 3);
  assertMatch(io.err(), /\(NOT_READY\)/);
  assertEquals(await runCli(["members", "--rpc-addr", reg.addr], fakeIo()), 2);
  assertEquals(await runCli(["members", "--rpc-addr", reg.addr, "a", "b"], fakeIo()), 2);
});
