/**
 * End-to-end runs of `registry register` as a real process: exit codes,
 * signals, the wrapped command's environment, and usage errors. The
 * registries point at a closed local port, so nothing else is needed.
 */
import { assert, assertEquals, assertMatch } from "../_helpers/assert.ts";
import { freePort, spawnRegistry, waitFor } from "../_helpers/processes.ts";

const NO_REGISTRY = `127.0.0.1:${freePort()}`;
const BASE = ["register", "--group", "web", "--addr", "127.0.0.1:8080", "--bind", "127.0.0.1:0"];
const QUIET = [...BASE, "--registries", NO_REGISTRY, "--log-level", "error"];

async function exitOf(args: string[], env: Record<string, string> = {}) {
  await using p = spawnRegistry(args, env);
  const status = await p.status;
  return { code: status.code, stdout: p.stdout(), stderr: p.stderr() };
}

Deno.test("registry register exits 2 on usage errors", async () => {
  const tags = Array.from({ length: 20 }, (_, i) => ["--tag", `k${i}=${"v".repeat(30)}`]).flat();
  const [noGroup, noAddr, reserved, tooLong] = await Promise.all([
    exitOf(["register", "--addr", "h:1"]),
    exitOf(["register", "--group", "web"]),
    exitOf(["register", "--group", "registry-group", "--addr", "h:1"]),
    exitOf([...QUIET, ...tags, "--", "true"]),
  ]);
  assertEquals([noGroup.code, noAddr.code, reserved.code, tooLong.code], [2, 2, 2, 2]);
  assertMatch(noGroup.stderr, /Flag "--group" is required/);
  assertMatch(noAddr.stderr, /Flag "--addr" is required/);
  assertMatch(reserved.stderr, /reserved for registry nodes/);
  assertMatch(tooLong.stderr, /TAGS_TOO_LARGE/);
});

Deno.test("registry register runs the command while no registry answers, says so, and exits with its code", async () => {
  const r = await exitOf(
    [
      ...BASE,
      "--id",
      "web-7",
      "--registries",
      NO_REGISTRY,
      "--",
      "sh",
      "-c",
      'echo "$REGISTRY_SERVICE_ID|$REGISTRY_SERVICE_GROUP|$REGISTRY_SERVICE_ADDR|$REGISTRY_RPC_ADDR"; sleep 1.5; exit 7',
    ],
    { REGISTRY_RPC_ADDR: "127.0.0.1:9899" },
  );
  assertEquals(r.code, 7, r.stderr);
  assertEquals(r.stdout, "web-7|web|127.0.0.1:8080|127.0.0.1:9899\n");
  assertMatch(r.stderr, /Cannot reach any registry: retrying in 1s/);
});

Deno.test("registry register exits 127 for a missing command, 126 for a non-executable one, 128+n for a signal", async () => {
  const dir = await Deno.makeTempDir();
  const script = `${dir}/not-executable.sh`;
  await Deno.writeTextFile(script, "#!/bin/sh\nexit 0\n");
  await Deno.chmod(script, 0o644);
  try {
    const [missing, denied, killed] = await Promise.all([
      exitOf([...QUIET, "--", "registry-no-such-command-xyz"]),
      exitOf([...QUIET, "--", script]),
      exitOf([...QUIET, "--", "sh", "-c", "kill -USR1 $$"]),
    ]);
    assertEquals(missing.code, 127, missing.stderr);
    assertMatch(missing.stderr, /Cannot run command "registry-no-such-command-xyz": not found/);
    assertEquals(denied.code, 126, denied.stderr);
    assertEquals(killed.code, 128 + 10, killed.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("registry register forwards SIGTERM to the command after the drain and exits 143", async () => {
  await using p = spawnRegistry([
    ...BASE,
    "--registries",
    NO_REGISTRY,
    "--drain",
    "300ms",
    "--",
    "sh",
    "-c",
    "echo ready; exec sleep 30",
  ]);
  // The command starts right after the signal handlers are in place.
  await waitFor("the command to start", () => p.stdout().includes("ready") || undefined);
  const sent = performance.now();
  p.kill("SIGTERM");
  const status = await p.status;
  const elapsed = performance.now() - sent;
  assertEquals(status.code, 143, p.stderr());
  assertMatch(p.stderr(), /Stopping command .*signal=SIGTERM/);
  assert(elapsed >= 300, `forwarded before the drain ended (${elapsed.toFixed(0)} ms)`);
  assert(elapsed < 8000, `took ${elapsed.toFixed(0)} ms`);
});

Deno.test("registry register sends SIGKILL when the command ignores SIGTERM past --kill-timeout", async () => {
  await using p = spawnRegistry([
    ...BASE,
    "--registries",
    NO_REGISTRY,
    "--drain",
    "0ms",
    "--kill-timeout",
    "300ms",
    "--",
    "sh",
    "-c",
    'trap "" TERM; echo ready; while :; do sleep 0.05; done',
  ]);
  await waitFor("the command to start", () => p.stdout().includes("ready") || undefined);
  p.kill("SIGTERM");
  assertEquals((await p.status).code, 137, p.stderr());
  assertMatch(p.stderr(), /did not stop in time/);
});

Deno.test("registry register passes SIGHUP straight to the command", async () => {
  await using p = spawnRegistry([
    ...QUIET,
    "--",
    "sh",
    "-c",
    'trap "echo hup; exit 5" HUP; echo ready; while :; do sleep 0.05; done',
  ]);
  await waitFor("the command to start", () => p.stdout().includes("ready") || undefined);
  p.kill("SIGHUP");
  assertEquals((await p.status).code, 5, p.stderr());
  assertEquals(p.stdout(), "ready\nhup\n");
});

Deno.test("registry register without a command exits 0 after SIGINT", async () => {
  await using p = spawnRegistry([...BASE, "--registries", NO_REGISTRY]);
  // The first join attempt runs after the signal handlers are in place.
  await waitFor(
    "the first join attempt",
    () => p.stderr().includes("Cannot reach any registry") || undefined,
  );
  p.kill("SIGINT");
  assertEquals((await p.status).code, 0, p.stderr());
  assertMatch(p.stderr(), /Leaving the cluster signal=SIGINT/);
});

Deno.test("registry register exits 1 when the gossip bind address is taken", async () => {
  const tcp = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (tcp.addr as Deno.NetAddr).port;
  const udp = Deno.listenDatagram({ hostname: "127.0.0.1", port, transport: "udp" });
  try {
    const r = await exitOf([
      "register",
      "--group",
      "web",
      "--addr",
      "127.0.0.1:8080",
      "--bind",
      `127.0.0.1:${port}`,
      "--registries",
      NO_REGISTRY,
      "--",
      "true",
    ]);
    assertEquals(r.code, 1, r.stderr);
    assertMatch(r.stderr, /^error: Cannot start gossip on "127\.0\.0\.1:\d+": .*\(INTERNAL\)/m);
  } finally {
    tcp.close();
    udp.close();
  }
});
