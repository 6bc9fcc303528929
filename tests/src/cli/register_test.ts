import { assert, assertEquals, assertMatch } from "../../_helpers/assert.ts";
import { fakeIo } from "../../_helpers/fake_io.ts";
import { runCli } from "../../../src/cli/run.ts";
import { command, parseTags, runRegister } from "../../../src/cli/register.ts";
import { UsageError } from "../../../src/cli/flags.ts";
import { FakeAgents, FakeChild, ManualClock, settle } from "../register/_fakes.ts";
import type { SpawnChild } from "../../../src/register/supervisor.ts";

const FLAG_NAMES = [
  "group",
  "addr",
  "id",
  "registries",
  "bind",
  "bind-advertise",
  "tag",
  "weight",
  "encrypt",
  "encrypt-file",
  "check",
  "check-interval",
  "check-rise",
  "drain",
  "kill-timeout",
  "profile",
  "log-level",
  "log-format",
];

function harness() {
  const clock = new ManualClock();
  const agents = new FakeAgents();
  const child = new FakeChild();
  const spawned: { command: readonly string[]; env: Record<string, string> }[] = [];
  const spawn: SpawnChild = (command, env) => {
    spawned.push({ command, env });
    return child;
  };
  return { clock, agents, child, spawned, deps: { clock, startAgent: agents.start, spawn } };
}

async function usage(args: string[], env: Record<string, string> = {}): Promise<string> {
  const io = fakeIo({ env });
  const h = harness();
  assertEquals(await runRegister(args, io, h.deps), 2, io.err());
  assertEquals(h.agents.calls, [], "nothing may start on a usage error");
  return io.err();
}

Deno.test("register --help lists every flag with its default and the exit codes", async () => {
  const io = fakeIo();
  assertEquals(await runCli(["register", "--help"], io), 0);
  for (const name of FLAG_NAMES) assert(io.out().includes(`--${name} `), `--${name} missing`);
  for (
    const text of ["127.0.0.1:7370", "0.0.0.0:0", "default: 1s", "default: 10s", "default: 5s"]
  ) {
    assert(io.out().includes(text), `default ${text} missing`);
  }
  assertMatch(io.out(), /Exit codes:[\s\S]*128\+N[\s\S]*127[\s\S]*126[\s\S]*2 usage error/);
  assertEquals(io.out(), command.help);
});

Deno.test("register exits 2 without --group or --addr", async () => {
  assertMatch(
    await usage(["--addr", "h:1"]),
    /^error: Flag "--group" is required \(INVALID_ARGUMENT\)/,
  );
  assertMatch(await usage(["--group", "web"]), /Flag "--addr" is required/);
});

Deno.test("register exits 2 for the reserved registry-group", async () => {
  assertMatch(
    await usage(["--group", "registry-group", "--addr", "h:1"]),
    /reserved for registry nodes \(INVALID_ARGUMENT\)/,
  );
});

Deno.test("register exits 2 with TAGS_TOO_LARGE when the tags do not fit 512 bytes", async () => {
  const tags = Array.from({ length: 20 }, (_, i) => ["--tag", `key${i}=${"v".repeat(30)}`]).flat();
  assertMatch(await usage(["--group", "web", "--addr", "h:1", ...tags]), /\(TAGS_TOO_LARGE\)/);
});

Deno.test("register exits 2 on malformed flags", async () => {
  const base = ["--group", "web", "--addr", "h:1"];
  assertMatch(await usage([...base, "--tag", "novalue"]), /KEY=VALUE/);
  assertMatch(await usage([...base, "--tag", "addr=x"]), /tag "addr" is reserved/);
  assertMatch(await usage([...base, "--weight", "-2"]), /--weight/);
  assertMatch(await usage([...base, "--check", "ping"]), /check "ping"/);
  assertMatch(await usage([...base, "--check-interval", "0s"]), /--check-interval/);
  assertMatch(await usage([...base, "--check-rise", "1.5"]), /--check-rise/);
  assertMatch(await usage([...base, "--profile", "wan"]), /--profile/);
  assertMatch(await usage([...base, "--frob"]), /Unknown flag/);
  assertMatch(await usage([...base, "sleep"]), /Unexpected argument "sleep"/);
  assertMatch(await usage([...base, "--"]), /Expected a command/);
  assertMatch(await usage([...base, "--encrypt", "bm90IGEga2V5"]), /16, 24 or 32 bytes/);
  assertMatch(await usage(base, { REGISTRY_ENCRYPT: "short" }), /16, 24 or 32 bytes/);
});

Deno.test("parseTags() splits at the first = and keeps the last value of a key", () => {
  assertEquals(parseTags(["a=1", "b=x=y", "a=2", "c="]), { a: "2", b: "x=y", c: "" });
  let threw = false;
  try {
    parseTags(["=v"]);
  } catch (e) {
    threw = e instanceof UsageError;
  }
  assert(threw);
});

Deno.test("register accepts the Go original's single-dash flags and REGISTRY_ENCRYPT", async () => {
  const h = harness();
  const key = btoa(String.fromCharCode(...new Uint8Array(16).fill(7)));
  const io = fakeIo({ env: { REGISTRY_ENCRYPT: key } });
  const running = runRegister(
    ["-group", "web", "-addr=10.0.0.5:80", "-id", "w1", "-registries", "10.0.0.1,10.0.0.2:7371"],
    io,
    h.deps,
  );
  await settle();
  const start = h.agents.calls[0];
  assert(start.op === "start");
  assertEquals(start.options.name, "w1");
  assertEquals(start.options.encryptKeys, [key]);
  assertEquals(start.options.tags.addr, "10.0.0.5:80");
  await h.clock.advance(0);
  assertEquals(h.agents.calls[1], { op: "join", addrs: ["10.0.0.1:7370", "10.0.0.2:7371"] });
  io.signal("SIGINT");
  assertEquals(await running, 0);
});

Deno.test("register without a command leaves gracefully on SIGTERM and exits 0", async () => {
  const h = harness();
  const io = fakeIo();
  const running = runRegister(["--group", "web", "--addr", "h:1"], io, h.deps);
  await settle();
  await h.clock.advance(0);
  assertEquals(h.agents.ops(), ["start", "join"]);
  io.signal("SIGTERM");
  assertEquals(await running, 0);
  assertEquals(h.agents.ops(), ["start", "join", "leave", "close"]);
});

Deno.test("register says on stderr that it keeps trying when no registry answers", async () => {
  const h = harness();
  h.agents.joinFails = true;
  const io = fakeIo();
  const running = runRegister(["--group", "web", "--addr", "h:1"], io, h.deps);
  await settle();
  await h.clock.advance(3000);
  assertMatch(io.err(), /WARN .*Cannot reach any registry: retrying in 1s/);
  assertMatch(io.err(), /Cannot reach any registry: retrying in 2s/);
  io.signal("SIGINT");
  assertEquals(await running, 0);
});

Deno.test("register exits 1 when the gossip agent cannot start", async () => {
  const h = harness();
  h.agents.startError = new Error("Address in use");
  const io = fakeIo();
  assertEquals(await runRegister(["--group", "web", "--addr", "h:1"], io, h.deps), 1);
  assertMatch(io.err(), /^error: Cannot start gossip on "0.0.0.0:0": Address in use \(INTERNAL\)/);
});

Deno.test("register with a command passes the service variables and exits with its code", async () => {
  const h = harness();
  const io = fakeIo();
  const running = runRegister(
    ["--group", "web", "--addr", ":8080", "--id", "w1", "--", "svc", "-p", "8080"],
    io,
    h.deps,
  );
  await settle();
  assertEquals(h.spawned, [{
    command: ["svc", "-p", "8080"],
    env: {
      REGISTRY_SERVICE_ID: "w1",
      REGISTRY_SERVICE_GROUP: "web",
      REGISTRY_SERVICE_ADDR: "10.1.2.3:8080",
    },
  }]);
  h.child.exit({ code: 7, signal: null });
  assertEquals(await running, 7);
  assertEquals(h.agents.ops().slice(-1), ["close"]);
});

Deno.test("register with a command leaves, drains, then forwards SIGTERM", async () => {
  const h = harness();
  h.child.diesOn = ["SIGTERM"];
  const io = fakeIo();
  const running = runRegister(
    ["--group", "web", "--addr", "h:1", "--drain", "2s", "--", "svc"],
    io,
    h.deps,
  );
  await settle();
  await h.clock.advance(0);
  io.signal("SIGHUP");
  assertEquals(h.child.signals, ["SIGHUP"]);
  io.signal("SIGTERM");
  await settle();
  assertEquals(h.agents.ops(), ["start", "join", "leave"]);
  await h.clock.advance(1999);
  assertEquals(h.child.signals, ["SIGHUP"]);
  await h.clock.advance(1);
  assertEquals(await running, 143);
  assertEquals(h.child.signals, ["SIGHUP", "SIGTERM"]);
  assertEquals(h.agents.ops(), ["start", "join", "leave", "close"]);
});

Deno.test("register with a missing command exits 127 and leaves", async () => {
  const h = harness();
  const io = fakeIo();
  const deps = {
    ...h.deps,
    spawn: (() => {
      throw new Deno.errors.NotFound("entity not found");
    }) as SpawnChild,
  };
  assertEquals(await runRegister(["--group", "web", "--addr", "h:1", "--", "nope"], io, deps), 127);
  assertMatch(io.err(), /Cannot run command "nope": not found/);
  assertEquals(h.agents.ops().at(-1), "close");
});

Deno.test("register stops cleanly on a SIGTERM that arrives while the agent starts", async () => {
  for (const [extra, expected] of [[[], 0], [["--", "svc"], 143]] as const) {
    const h = harness();
    let open!: () => void;
    h.agents.startGate = new Promise((r) => open = r);
    const io = fakeIo();
    const running = runRegister(["--group", "web", "--addr", "h:1", ...extra], io, h.deps);
    await settle();
    io.signal("SIGTERM");
    open();
    assertEquals(await running, expected);
    assertEquals(h.agents.ops(), ["start", "close"]);
    assertEquals(h.spawned, []);
  }
});

Deno.test("register without a command exits 130 when a second signal cuts the leave short", async () => {
  const h = harness();
  let release!: () => void;
  h.agents.leaveGate = new Promise((r) => release = r);
  const io = fakeIo();
  const running = runRegister(["--group", "web", "--addr", "h:1"], io, h.deps);
  await settle();
  await h.clock.advance(0);
  io.signal("SIGTERM");
  await settle();
  io.signal("SIGINT");
  assertEquals(await running, 130);
  assertMatch(io.err(), /Second signal/);
  release();
  await settle();
});
