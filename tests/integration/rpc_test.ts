/**
 * End to end: the `registry` query commands run as real processes against an
 * in-process registry node, and the import graph of query mode.
 */
import { assert, assertEquals, assertMatch } from "../_helpers/assert.ts";
import { startRegistry, webGroup } from "../_helpers/rpc_fixture.ts";

const root = new URL("../../", import.meta.url).pathname;
const decoder = new TextDecoder();

async function registry(
  args: string[],
  stdin = "",
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", ...args],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
    signal: AbortSignal.timeout(30_000),
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const out = await child.output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

for (const file of ["match.ts", "members.ts", "watch.ts"]) {
  Deno.test(`src/cli/${file} keeps every src/gossip/ module out of its import graph`, async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", `src/cli/${file}`],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(out.code, 0, decoder.decode(out.stderr));
    const graph = JSON.parse(decoder.decode(out.stdout)) as { modules: { specifier: string }[] };
    const specifiers = graph.modules.map((m) => m.specifier);
    assert(specifiers.some((s) => s.endsWith("/lib/client.ts")), "graph looks incomplete");
    assertEquals(specifiers.filter((s) => s.includes("/src/gossip/")), []);
  });
}

Deno.test("deno run main.ts match prints the owner's address for $(...) use", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const run = await registry(["match", "--rpc-addr", reg.addr, "web", "user-42"]);
  assertEquals([run.code, run.stdout, run.stderr], [
    0,
    `${reg.state.match("web", "user-42")?.addr}\n`,
    "",
  ]);
});

Deno.test("deno run main.ts match - answers keys from stdin in order", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const keys = Array.from({ length: 1000 }, (_, i) => `user-id-${i}`);
  const run = await registry(["match", "--rpc-addr", reg.addr, "web", "-"], keys.join("\n") + "\n");
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.stdout, keys.map((k) => `${reg.state.match("web", k)?.addr}\n`).join(""));
});

Deno.test("deno run main.ts match exits 1 with one stderr line for an unknown group", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const run = await registry(["match", "--rpc-addr", reg.addr, "nope", "k"]);
  assertEquals(run.code, 1);
  assertMatch(run.stderr, /^error: [^\n]+ \(NO_SERVICE\)\n$/);
});

Deno.test("deno run main.ts members prints the group, one service per line", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const run = await registry(["members", "--rpc-addr", reg.addr, "web"]);
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.stdout.trim().split("\n").length, 3);
});

Deno.test("deno run main.ts watch stops on SIGINT with exit 0", async () => {
  await using reg = startRegistry({ members: webGroup() });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", "watch", "--rpc-addr", reg.addr, "web"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  let text = "";
  const deadline = performance.now() + 20_000;
  while (!text.includes("\n") && performance.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  reader.releaseLock();
  assertEquals(JSON.parse(text.split("\n")[0]).type, "snapshot");
  child.kill("SIGINT");
  const status = await child.output();
  assertEquals(status.code, 0, decoder.decode(status.stderr));
});
