import { assert, assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { noopLogger } from "../../../src/logger.ts";
import {
  EXIT_CANNOT_RUN,
  EXIT_NOT_FOUND,
  exitCodeOf,
  type SpawnChild,
  Supervisor,
  type SupervisorOptions,
} from "../../../src/register/supervisor.ts";
import { FakeChild, ManualClock, settle } from "./_fakes.ts";

function setup(overrides: Partial<SupervisorOptions> = {}) {
  const clock = new ManualClock();
  const child = new FakeChild();
  const events: string[] = [];
  let spawnedWith: { command: readonly string[]; env: Record<string, string> } | undefined;
  const spawn: SpawnChild = (command, env) => {
    spawnedWith = { command, env };
    return child;
  };
  const supervisor = Supervisor.start({
    command: ["svc", "--port", "80"],
    env: { REGISTRY_SERVICE_ID: "web-1" },
    drainMs: 1000,
    killTimeoutMs: 10_000,
    beforeStop: () => {
      events.push("leave");
      return Promise.resolve();
    },
    clock,
    logger: noopLogger,
    spawn,
    ...overrides,
  });
  return { clock, child, events, supervisor, spawnedWith: () => spawnedWith };
}

Deno.test("exitCodeOf() maps a signal death to 128 + its number", () => {
  assertEquals(exitCodeOf({ code: 7, signal: null }), 7);
  assertEquals(exitCodeOf({ code: 1, signal: "SIGTERM" }), 143);
  assertEquals(exitCodeOf({ code: 1, signal: "SIGKILL" }), 137);
  assertEquals(exitCodeOf({ code: 1, signal: "SIGINT" }), 130);
});

Deno.test("Supervisor.start() spawns the command with the service variables", () => {
  const { spawnedWith, supervisor } = setup();
  assertEquals(spawnedWith(), {
    command: ["svc", "--port", "80"],
    env: { REGISTRY_SERVICE_ID: "web-1" },
  });
  assertEquals(supervisor.pid, 4242);
});

Deno.test("Supervisor.exitCode is the child's own exit code", async () => {
  const { child, supervisor } = setup();
  child.exit({ code: 7, signal: null });
  assertEquals(await supervisor.exitCode, 7);
});

Deno.test("Supervisor.exitCode is 127 when the command does not exist and 126 when it cannot run", async () => {
  const notFound = setup({
    spawn: () => {
      throw new Deno.errors.NotFound("nope");
    },
  });
  assertEquals(await notFound.supervisor.exitCode, EXIT_NOT_FOUND);
  const denied = setup({
    spawn: () => {
      throw new Deno.errors.PermissionDenied("EACCES");
    },
  });
  assertEquals(await denied.supervisor.exitCode, EXIT_CANNOT_RUN);
  assertEquals(denied.supervisor.pid, undefined);
});

Deno.test("Supervisor.start() refuses an empty command", () => {
  assertThrows(() => setup({ command: [] }), TypeError, "empty");
});

Deno.test("Supervisor.stop() leaves, drains, then forwards the signal", async () => {
  const { clock, child, events, supervisor } = setup();
  child.diesOn = ["SIGTERM"];
  supervisor.stop("SIGTERM");
  await settle();
  assertEquals([events, child.signals], [["leave"], []]);
  await clock.advance(999);
  assertEquals(child.signals, []);
  await clock.advance(1);
  assertEquals(child.signals, ["SIGTERM"]);
  assertEquals(await supervisor.exitCode, 143);
  assertEquals(clock.pending, 0);
});

Deno.test("Supervisor.stop() sends SIGKILL after the kill timeout", async () => {
  const { clock, child, supervisor } = setup();
  supervisor.stop("SIGINT");
  await clock.advance(1000);
  assertEquals(child.signals, ["SIGINT"]);
  await clock.advance(9999);
  assertEquals(child.signals, ["SIGINT"]);
  await clock.advance(1);
  assertEquals(child.signals, ["SIGINT", "SIGKILL"]);
  assertEquals(await supervisor.exitCode, 137);
});

Deno.test("Supervisor.stop() a second time skips the rest of the drain", async () => {
  const { clock, child, supervisor } = setup();
  child.diesOn = ["SIGTERM"];
  supervisor.stop("SIGTERM");
  await clock.advance(100);
  supervisor.stop("SIGTERM");
  await settle();
  assertEquals(child.signals, ["SIGTERM"]);
  assertEquals(await supervisor.exitCode, 143);
});

Deno.test("Supervisor.stop() still forwards when the leave fails", async () => {
  const { clock, child, supervisor } = setup({ beforeStop: () => Promise.reject(new Error("x")) });
  child.diesOn = ["SIGTERM"];
  supervisor.stop("SIGTERM");
  await clock.advance(1000);
  assertEquals(await supervisor.exitCode, 143);
});

Deno.test("Supervisor.stop() does not signal a child that exited during the drain", async () => {
  const { clock, child, supervisor } = setup();
  supervisor.stop("SIGTERM");
  await clock.advance(500);
  child.exit({ code: 0, signal: null });
  assertEquals(await supervisor.exitCode, 0);
  await clock.advance(20_000);
  assertEquals(child.signals, []);
  assertEquals(clock.pending, 0);
});

Deno.test("Supervisor.forward() passes other signals straight through", async () => {
  const { child, events, supervisor } = setup();
  supervisor.forward("SIGHUP");
  supervisor.forward("SIGUSR1");
  assertEquals(child.signals, ["SIGHUP", "SIGUSR1"]);
  assertEquals(events, []);
  child.exit({ code: 0, signal: null });
  await supervisor.exitCode;
  supervisor.forward("SIGUSR2");
  assert(!child.signals.includes("SIGUSR2"));
});
