import { assertEquals, assertRejects } from "../../_helpers/assert.ts";
import { RegistryError } from "../../../lib/errors.ts";
import type { Logger } from "../../../src/logger.ts";
import { resolveRegisterOptions } from "../../../src/register/register_options.ts";
import type { RegisterOptions } from "../../../src/register/register_options.ts";
import { type RegistrationState, ServiceRegistration } from "../../../src/register/registration.ts";
import { FakeAgents, ManualClock, settle } from "./_fakes.ts";

function recordingLogger(lines: string[]): Logger {
  const logger: Logger = {
    debug: () => {},
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
    child: () => logger,
  };
  return logger;
}

async function start(
  options: Partial<RegisterOptions> = {},
  probe?: () => Promise<boolean>,
) {
  const clock = new ManualClock();
  const agents = new FakeAgents();
  const states: RegistrationState[] = [];
  const lines: string[] = [];
  const resolved = resolveRegisterOptions({
    group: "web",
    addr: "10.0.0.5:8080",
    id: "web-1",
    registries: ["10.0.0.1:7370"],
    logger: recordingLogger(lines),
    ...options,
  });
  const reg = await ServiceRegistration.start(resolved, {
    startAgent: agents.start,
    clock,
    probe,
    onStateChange: (s) => states.push(s),
  });
  return { clock, agents, states, lines, reg };
}

Deno.test("ServiceRegistration.start() starts the agent with the id, bind and tags, then joins", async () => {
  const { agents, reg, clock } = await start();
  const first = agents.calls[0];
  assertEquals(first.op === "start" && first.options.name, "web-1");
  assertEquals(first.op === "start" && first.options.bindAddr, "0.0.0.0:0");
  assertEquals(first.op === "start" && first.options.tags, {
    group: "web",
    addr: "10.0.0.5:8080",
    replicas: "10000",
    weight: "1",
  });
  await clock.advance(0);
  assertEquals(agents.ops(), ["start", "join"]);
  assertEquals(agents.calls[1], { op: "join", addrs: ["10.0.0.1:7370"] });
  assertEquals(reg.state, "registered");
  await reg.close();
});

Deno.test("ServiceRegistration.start() advertises an empty-host addr with the gossip IP", async () => {
  const { agents, reg } = await start({ addr: ":8080" });
  assertEquals(reg.addr, "10.1.2.3:8080");
  const setTags = agents.calls.find((c) => c.op === "setTags");
  assertEquals(setTags?.op === "setTags" && setTags.tags.addr, "10.1.2.3:8080");
  await reg.close();
});

Deno.test("ServiceRegistration.start() rejects when the agent cannot start", async () => {
  const clock = new ManualClock();
  const agents = new FakeAgents();
  agents.startError = new Error("address in use");
  const resolved = resolveRegisterOptions({ group: "web", addr: "h:1", id: "w" });
  const e = await assertRejects(
    () => ServiceRegistration.start(resolved, { startAgent: agents.start, clock }),
    RegistryError,
    "address in use",
  );
  assertEquals((e as RegistryError).code, "INTERNAL");
});

Deno.test("ServiceRegistration retries joining with doubling delays capped at the maximum", async () => {
  const { agents, reg, clock, lines } = await start({ joinRetryMs: 1000, joinRetryMaxMs: 4000 });
  agents.joinFails = true;
  const joinTimes: number[] = [];
  const origin = agents.calls.length;
  for (let t = 0; t <= 20_000; t += 500) {
    const before = agents.calls.length;
    await clock.advance(t === 0 ? 0 : 500);
    if (agents.calls.length > before) joinTimes.push(clock.now());
  }
  assertEquals(agents.calls.length - origin, joinTimes.length);
  assertEquals(joinTimes.slice(0, 6), [0, 1000, 3000, 7000, 11000, 15000]);
  assertEquals(
    lines.filter((l) => l.startsWith("warn Cannot reach any registry")).length,
    joinTimes.length,
  );
  assertEquals(lines.slice(0, 3), [
    "warn Cannot reach any registry: retrying in 1s",
    "warn Cannot reach any registry: retrying in 2s",
    "warn Cannot reach any registry: retrying in 4s",
  ]);
  assertEquals(reg.state, "joining");
  agents.joinFails = false;
  await clock.advance(4000);
  assertEquals(reg.state, "registered");
  await reg.close();
  assertEquals(clock.pending, 0);
});

Deno.test("ServiceRegistration.close() leaves gracefully, then closes the agent", async () => {
  const { agents, reg, clock, states } = await start();
  await clock.advance(0);
  await reg.close();
  assertEquals(agents.ops(), ["start", "join", "leave", "close"]);
  assertEquals(states, ["joining", "registered", "left", "closed"]);
  await reg.close();
  assertEquals(agents.ops().length, 4);
});

Deno.test("ServiceRegistration.close() before any join only closes the agent", async () => {
  const { agents, reg, clock } = await start();
  agents.joinFails = true;
  await clock.advance(0);
  await reg.close();
  assertEquals(agents.ops(), ["start", "join", "close"]);
  assertEquals(clock.pending, 0);
});

Deno.test("ServiceRegistration.leave() leaves and ignores later health changes", async () => {
  let healthy = true;
  const { agents, reg, clock } = await start(
    { check: "tcp", checkIntervalMs: 100, checkRise: 1 },
    () => Promise.resolve(healthy),
  );
  await clock.advance(0);
  assertEquals(reg.state, "registered");
  await reg.leave();
  assertEquals(reg.state, "left");
  healthy = false;
  await clock.advance(1000);
  assertEquals(agents.ops(), ["start", "join", "leave"]);
  await reg.close();
  assertEquals(agents.ops(), ["start", "join", "leave", "close"]);
});

Deno.test("ServiceRegistration joins only after the first passing health check", async () => {
  const { agents, reg, clock, states } = await start(
    { check: "tcp", checkIntervalMs: 1000 },
    () => Promise.resolve(false),
  );
  await clock.advance(5000);
  assertEquals(agents.ops(), ["start"]);
  assertEquals([reg.state, states], ["checking", []]);
  await reg.close();
  assertEquals(agents.ops(), ["start", "close"]);
});

Deno.test("ServiceRegistration leaves when unhealthy and rejoins with a fresh agent after rise passes", async () => {
  const script = [true, false, true, false, true, true];
  let i = 0;
  const { agents, reg, clock, states } = await start(
    { check: "http://127.0.0.1:8080/health", checkIntervalMs: 1000, checkRise: 2 },
    () => Promise.resolve(script[i++] ?? true),
  );
  await clock.advance(0);
  assertEquals(reg.state, "registered");
  await clock.advance(1000); // fails: leave and drop the agent
  assertEquals(reg.state, "unhealthy");
  assertEquals(agents.ops(), ["start", "join", "leave", "close"]);
  await clock.advance(2000); // pass, fail: flapping stays out
  assertEquals(reg.state, "unhealthy");
  await clock.advance(1000); // 1 of 2
  assertEquals(reg.state, "unhealthy");
  await clock.advance(1000); // 2 of 2: rejoin under the same id
  assertEquals(reg.state, "registered");
  assertEquals(agents.ops(), ["start", "join", "leave", "close", "start", "join"]);
  const second = agents.calls[4];
  assertEquals(second.op === "start" && second.options.name, "web-1");
  assertEquals(states, ["joining", "registered", "unhealthy", "joining", "registered"]);
  await reg.close();
  await settle();
  assertEquals(clock.pending, 0);
});
