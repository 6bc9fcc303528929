/**
 * End-to-end: a `registry serve --ring chash` node answers exactly as the Go
 * chash library does (the `n3-r10000` vectors), with a Go-style service
 * (a Debian `serf agent` tagged group/addr/replicas) among the members, and
 * both nodes of a mixed-ring cluster warn about it in `info`.
 */
import { assert, assertEquals } from "../_helpers/assert.ts";
import { SERF_PATH, SerfAgent } from "./_serf_agent.ts";
import { matchKeys, startRegistry, startService, waitFor, waitForIds } from "./_cluster.ts";
import type { Spawned } from "../_helpers/processes.ts";

interface ChashCase {
  name: string;
  members: string[];
  matches: Record<string, string>;
}

const VECTORS = JSON.parse(
  await Deno.readTextFile(new URL("../../../shared/vectors/chash-v1.0.8.json", import.meta.url)),
) as { cases: ChashCase[] };

const CASE = VECTORS.cases.find((c) => c.name === "n3-r10000")!;
const SERF_NOTE = SERF_PATH ? "a serf agent" : "register (serf is not installed)";

Deno.test(`registry serve --ring chash matches the Go chash vectors n3-r10000, svc-3 being ${SERF_NOTE}`, async () => {
  await using plain = await startRegistry("chash-peer-default");
  await using node = await startRegistry("chash-r1", {
    registries: [plain.gossip],
    extra: ["--ring", "chash"],
  });
  const seeds = [node.gossip];
  const services: Spawned[] = [
    startService("svc-1", "chashweb", "127.0.0.1:7301", seeds),
    startService("svc-2", "chashweb", "127.0.0.1:7302", seeds),
  ];
  let agent: SerfAgent | undefined;
  try {
    if (SERF_PATH) {
      agent = await SerfAgent.start({
        name: "svc-3",
        tags: { group: "chashweb", addr: "127.0.0.1:7303", replicas: "10000" },
        join: node.gossip,
      });
    } else {
      services.push(startService("svc-3", "chashweb", "127.0.0.1:7303", seeds));
    }
    await waitForIds([node, plain], "chashweb", CASE.members, 20_000);

    // Keys that fit on one stdin line; the others are covered by the ring's unit tests.
    const keys = Object.keys(CASE.matches).filter((k) => /^[\x21-\x7e][\x20-\x7e]*$/.test(k));
    assert(keys.length > 200, `only ${keys.length} usable keys`);
    const r = await matchKeys(node.rpc, "chashweb", keys, "json");
    assertEquals(r.code, 0, r.stderr);
    const got = r.lines.map((l) => (JSON.parse(l) as { id: string }).id);
    assertEquals(got, keys.map((k) => CASE.matches[k]));

    // Mixed rings: both nodes report the other one's ring in `info`.
    for (const n of [node, plain]) {
      const warnings = await waitFor(`a ring warning on ${n.id}`, async () => {
        const w = (await n.client.info()).warnings;
        return w.some((t) => t.includes("ring")) ? w : undefined;
      }, { timeoutMs: 5000 });
      assert(warnings.length > 0);
    }
    assertEquals((await node.client.info()).ring, "chash");
  } finally {
    await agent?.kill();
    for (const s of services) await s[Symbol.asyncDispose]();
  }
});
