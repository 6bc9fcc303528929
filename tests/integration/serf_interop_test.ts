/**
 * Interop with Debian's real `serf agent` (gossip-wire.md §10): our
 * GossipAgent and serf agents on 127.0.0.1 join each other, see each other's
 * tags and tag updates, user events, queries, graceful leaves (`left`),
 * kill -9 (`failed`), and encryption with a shared or a wrong key.
 * Skipped (and says so) when `serf` is not on PATH.
 */
import { RegistryError } from "../../lib/errors.ts";
import { GossipAgent } from "../../src/gossip/agent.ts";
import type { GossipEvent } from "../../src/gossip/member.ts";
import { assert, assertEquals, assertMatch, assertRejects } from "../_helpers/assert.ts";
import { SERF_PATH, SerfAgent, waitFor } from "./_serf_agent.ts";

const SKIP = SERF_PATH === undefined;
if (SKIP) {
  console.log("serf_interop_test: `serf` is not on PATH, so every serf interop test is skipped");
}
const suffix = SKIP ? " (skipped: serf not installed)" : "";
const enc = new TextEncoder();
const dec = new TextDecoder();

/** Collects every event of an agent in the background. */
function record(agent: GossipAgent): { events: GossipEvent[]; done: Promise<void> } {
  const events: GossipEvent[] = [];
  const sub = agent.subscribe();
  const done = (async () => {
    for await (const e of sub) events.push(e);
  })();
  return { events, done };
}

function statusIn(agent: GossipAgent, name: string): string | undefined {
  return agent.members().find((m) => m.name === name)?.status;
}

async function serfSees(serf: SerfAgent, name: string, status: string): Promise<void> {
  await waitFor(
    async () => (await serf.statusOf(name))?.status === status,
    20_000,
    `${serf.name} sees ${name} ${status}`,
  );
}

function weSee(agent: GossipAgent, name: string, status: string): Promise<void> {
  return waitFor(
    () => statusIn(agent, name) === status,
    20_000,
    `${agent.name} sees ${name} ${status}`,
  );
}

async function startOurs(
  name: string,
  extra: Partial<Parameters<typeof GossipAgent.start>[0]> = {},
) {
  return await GossipAgent.start({ name, bindAddr: "127.0.0.1:0", profile: "fast", ...extra });
}

Deno.test({
  name:
    `GossipAgent interoperates with serf agents: joins both ways, tags, updates, events, queries, leaves${suffix}`,
  ignore: SKIP,
  async fn() {
    const eventLog = await Deno.makeTempFile({ suffix: ".log" });
    const serfs: SerfAgent[] = [];
    const ours = await startOurs("deno-1", {
      tags: { group: "registry-group", addr: "127.0.0.1:9800", replicas: "10000" },
      queryHandler: (q) => enc.encode(`pong:${dec.decode(q.payload)}`),
    });
    const rec = record(ours);
    try {
      const a = await SerfAgent.start({
        name: "serf-a",
        tags: { role: "web", group: "registry-group" },
      });
      serfs.push(a);
      // 1. We join a serf agent.
      assertEquals(await ours.join([a.bindAddr]), 1);
      await serfSees(a, "deno-1", "alive");
      await weSee(ours, "serf-a", "alive");
      assertEquals((await a.statusOf("deno-1"))?.tags, {
        group: "registry-group",
        addr: "127.0.0.1:9800",
        replicas: "10000",
      });
      assertEquals((await a.statusOf("deno-1"))?.protocol.version, 4);
      assertEquals(ours.members().find((m) => m.name === "serf-a")?.tags, {
        role: "web",
        group: "registry-group",
      });
      // 2. A serf agent joins us.
      const b = await SerfAgent.start({ name: "serf-b", join: ours.advertiseAddr, eventLog });
      serfs.push(b);
      await weSee(ours, "serf-b", "alive");
      await serfSees(b, "deno-1", "alive");
      await serfSees(b, "serf-a", "alive");
      // 3. Tag updates both ways.
      await a.cli("tags", "-set", "k=v");
      await waitFor(
        () => ours.members().find((m) => m.name === "serf-a")?.tags.k === "v",
        10_000,
        "tag k=v",
      );
      assert(rec.events.some((e) => e.type === "update" && e.member.name === "serf-a"));
      await ours.setTags({ group: "registry-group", addr: "127.0.0.1:9801", replicas: "10000" });
      await waitFor(
        async () => (await a.statusOf("deno-1"))?.tags.addr === "127.0.0.1:9801",
        10_000,
        "our tag update",
      );
      await waitFor(
        async () => (await b.statusOf("deno-1"))?.tags.addr === "127.0.0.1:9801",
        10_000,
        "our tag update at b",
      );
      // 4. User events both ways.
      await a.cli("event", "deploy", "v1");
      const deploys = () => rec.events.filter((e) => e.type === "user" && e.name === "deploy");
      await waitFor(() => deploys().length > 0, 10_000, "the deploy event");
      await ours.sendEvent("ping", enc.encode("x"));
      await waitFor(
        async () => (await Deno.readTextFile(eventLog)).includes("user ping x"),
        10_000,
        "our event at serf-b",
      );
      // 5. Queries from serf reach our handler; ours reach the agents.
      const out = await a.cli("query", "-timeout=2s", "hello", "world");
      assertMatch(out, /Ack from 'deno-1'/);
      assertMatch(out, /Response from 'deno-1': pong:world/);
      const filtered = await a.cli("query", "-timeout=1s", "-node=serf-b", "hello", "x");
      assert(!filtered.includes("deno-1"), "a node-filtered query must not reach us");
      const tagged = await a.cli(
        "query",
        "-timeout=500ms",
        "-tag",
        "addr=127\\.0\\.0\\.1:98.*",
        "hi",
        "t",
      );
      assertMatch(tagged, /Response from 'deno-1': pong:t/);
      const untagged = await a.cli("query", "-timeout=500ms", "-tag", "group=^nomatch$", "hi", "t");
      assert(!untagged.includes("deno-1"), "a tag-filtered query must not reach us");
      const reach = await a.cli("reachability");
      assertMatch(reach, /Successfully contacted all live nodes/);
      const result = await ours.query("_serf_ping", new Uint8Array(), {
        requestAck: true,
        timeoutMs: 1500,
      });
      assertEquals([...result.acks].sort(), ["deno-1", "serf-a", "serf-b"]);
      // 6. Their graceful leave shows left here.
      await b.cli("leave");
      await b.exited();
      await weSee(ours, "serf-b", "left");
      // The serf event arrived exactly once despite retransmits and push-pulls.
      assertEquals(deploys().length, 1);
      assertEquals(dec.decode((deploys()[0] as { payload: Uint8Array }).payload), "v1");
      // 7. Our graceful leave shows left there (not failed).
      await ours.leave();
      await serfSees(a, "deno-1", "left");
    } finally {
      await ours.close();
      await rec.done;
      for (const s of serfs) await s.kill();
      await Deno.remove(eventLog).catch(() => {});
    }
  },
});

Deno.test({
  name: `GossipAgent and serf agents see each other failed after kill -9${suffix}`,
  ignore: SKIP,
  async fn() {
    const serfs: SerfAgent[] = [];
    let ours: GossipAgent | undefined;
    let proc: Deno.ChildProcess | undefined;
    try {
      const c = await SerfAgent.start({ name: "serf-c" });
      const e = await SerfAgent.start({ name: "serf-e", join: c.bindAddr });
      serfs.push(c, e);
      ours = await startOurs("deno-2");
      await ours.join([c.bindAddr]);
      // Our other member runs in its own process, so it can be killed with SIGKILL.
      const script = new URL("../../bench/gossip_node.ts", import.meta.url).pathname;
      const args = ["run", "-A", "--unstable-net", script, "deno-3", "0", e.bindAddr, "fast"];
      proc = new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "null" }).spawn();
      const us = ours;
      await Promise.all(["serf-c", "serf-e", "deno-3"].map((n) => weSee(us, n, "alive")));
      await serfSees(e, "deno-2", "alive");
      await serfSees(e, "deno-3", "alive");
      // kill -9 a serf agent and our process at once.
      proc.kill("SIGKILL");
      await Promise.all([c.kill(), proc.status]);
      await Promise.all([
        weSee(us, "serf-c", "failed"),
        weSee(us, "deno-3", "failed"),
        serfSees(e, "deno-3", "failed"),
        serfSees(e, "serf-c", "failed"),
      ]);
    } finally {
      try {
        proc?.kill("SIGKILL");
      } catch {
        // already exited
      }
      await proc?.status;
      await ours?.close();
      for (const s of serfs) await s.kill();
    }
  },
});
Deno.test({
  name:
    `GossipAgent joins an encrypted serf agent with the shared key and not with a wrong or missing one${suffix}`,
  ignore: SKIP,
  async fn() {
    const key = await new Deno.Command(SERF_PATH ?? "serf", { args: ["keygen"], stdout: "piped" })
      .output();
    const shared = dec.decode(key.stdout).trim();
    const other = dec.decode(
      (await new Deno.Command(SERF_PATH ?? "serf", { args: ["keygen"], stdout: "piped" }).output())
        .stdout,
    ).trim();
    const serfs: SerfAgent[] = [];
    const ours: GossipAgent[] = [];
    try {
      const f = await SerfAgent.start({ name: "serf-f", encrypt: shared });
      serfs.push(f);
      const good = await startOurs("deno-key", { encryptKeys: [shared] });
      const wrong = await startOurs("deno-wrong", { encryptKeys: [other] });
      const none = await startOurs("deno-none");
      ours.push(good, wrong, none);
      assertEquals(await good.join([f.bindAddr]), 1);
      await serfSees(f, "deno-key", "alive");
      await weSee(good, "serf-f", "alive");
      const keys = await f.cli("keys", "-list");
      assert(keys.includes(shared), `serf keys -list should show the key: ${keys}`);
      const failure = await assertRejects(() => wrong.join([f.bindAddr]), RegistryError);
      assertEquals((failure as RegistryError).code, "JOIN_FAILED");
      await assertRejects(() => none.join([f.bindAddr]), RegistryError);
      assertEquals(await f.statusOf("deno-wrong"), undefined);
      assertEquals(await f.statusOf("deno-none"), undefined);
    } finally {
      for (const o of ours) await o.close();
      for (const s of serfs) await s.kill();
    }
  },
});
