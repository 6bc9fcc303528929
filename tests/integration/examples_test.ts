/**
 * The README's examples, run as it says: a registry node, two
 * `examples/service` processes and `examples/client`, as real processes on
 * 127.0.0.1.
 */
import { assert, assertEquals, assertMatch } from "../_helpers/assert.ts";
import { closedAddr } from "../_helpers/free_port.ts";
import { ROOT, spawn, type Spawned } from "../_helpers/processes.ts";
import { freePort, memberIds, type RegistryProc, startRegistry, waitFor } from "./_cluster.ts";

const GROUP = "webservice-group";

function startExampleService(port: number, registry: RegistryProc): Spawned {
  return spawn(Deno.execPath(), [
    "run",
    "-A",
    "--unstable-net",
    `${ROOT}examples/service/main.ts`,
    String(port),
    registry.gossip,
  ]);
}

async function runExampleClient(rpc: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", `${ROOT}examples/client/main.ts`, rpc],
    cwd: ROOT,
    stdin: "null",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** The service ids the client's `match` lines name, in order. */
function matchedIds(stdout: string): string[] {
  return [...stdout.matchAll(/^match user-id-\d -> (\S+) /gm)].map((m) => m[1]);
}

Deno.test("examples: two services register, the client matches and lists them, a stopped service is dropped", async () => {
  await using registry = await startRegistry("examples-r1");
  const ports = [freePort(), freePort()];
  await using one = startExampleService(ports[0], registry);
  await using two = startExampleService(ports[1], registry);
  const ids = await waitFor("both example services in the group", async () => {
    const list = await memberIds(registry.client, GROUP);
    return list.length === 2 ? list : undefined;
  }, { timeoutMs: 30_000 });

  const first = await runExampleClient(registry.rpc);
  assertEquals(first.code, 0, first.stderr);
  const matched = matchedIds(first.stdout);
  assertEquals(matched.length, 5, first.stdout);
  for (const id of matched) assert(ids.includes(id), `${id} is not one of ${ids}`);
  assertMatch(first.stdout, new RegExp(`^2 service\\(s\\) in ${GROUP}:$`, "m"));

  // Each service answers GET / with its own id.
  const answers = await Promise.all(
    ports.map(async (port) => (await (await fetch(`http://127.0.0.1:${port}/`)).text()).trim()),
  );
  assertEquals(answers.sort(), [...ids].sort());

  // SIGTERM: the service leaves, stops serving and exits 0; the client then sees one service.
  one.kill("SIGTERM");
  assertEquals((await one.status).code, 0, one.stderr());
  assertMatch(one.stdout(), /stopped\n$/);
  const remaining = answers.find((id) => !one.stdout().includes(`service ${id} `))!;
  await waitFor("the stopped service gone", async () => {
    const list = await memberIds(registry.client, GROUP);
    return list.length === 1 ? list : undefined;
  }, { timeoutMs: 10_000 });
  const second = await runExampleClient(registry.rpc);
  assertEquals(second.code, 0, second.stderr);
  assertEquals(matchedIds(second.stdout), Array(5).fill(remaining));
  two.kill("SIGTERM");
  assertEquals((await two.status).code, 0, two.stderr());
});

Deno.test("examples: the client prints one error line with its code and exits 1 when no registry answers", async () => {
  const r = await runExampleClient(closedAddr());
  assertEquals(r.code, 1);
  assertEquals(r.stdout, "");
  assertMatch(
    r.stderr,
    /^error: Cannot reach a registry: tried "127\.0\.0\.1:\d+" \(UNREACHABLE\)\n$/,
  );
});
