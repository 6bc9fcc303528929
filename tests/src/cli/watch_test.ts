import { assert, assertEquals, assertMatch } from "../../_helpers/assert.ts";
import { runCli } from "../../../src/cli/run.ts";
import { fakeIo } from "../../_helpers/fake_io.ts";
import { service, startRegistry, waitFor, webGroup } from "../../_helpers/rpc_fixture.ts";
import { closedAddr } from "../../_helpers/free_port.ts";

function lines(text: string): { type: string; services: { id: string }[] }[] {
  return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
}

Deno.test("registry watch prints a snapshot and one JSON line per change until SIGINT, exit 0", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const io = fakeIo();
  const exit = runCli(["watch", "--rpc-addr", reg.addr, "web"], io);
  assert(await waitFor(() => lines(io.out()).length === 1), "no snapshot");
  reg.state.applyMember(service("web-4", "web", "10.0.0.4:80"));
  reg.state.removeMember("web-2");
  assert(await waitFor(() => lines(io.out()).length === 3), "changes not printed");
  io.signal("SIGINT");
  assertEquals(await exit, 0);
  assertEquals(lines(io.out()).map((e) => e.type), ["snapshot", "join", "leave"]);
  assertEquals(lines(io.out())[1].services[0].id, "web-4");
  assert(await waitFor(() => reg.state.watcherCount === 0), "the watch outlived the command");
});

Deno.test("registry watch exits 3 when no registry can be reached", async () => {
  const addr = closedAddr();
  const io = fakeIo();
  assertEquals(await runCli(["watch", "--rpc-addr", addr, "web"], io), 3);
  assertMatch(io.err(), /\(UNREACHABLE\)\n$/);
});

Deno.test("registry watch exits 2 without a group", async () => {
  const io = fakeIo();
  assertEquals(await runCli(["watch"], io), 2);
  assertMatch(io.err(), /INVALID_ARGUMENT/);
});
