/**
 * The serf layer end to end on the in-memory network with a manual clock:
 * GossipAgents join, leave, fail, exchange tags, events and queries.
 */
import { GossipAgent, type GossipAgentOptions } from "../../../src/gossip/agent.ts";
import type { GossipEvent } from "../../../src/gossip/member.ts";
import { assert, assertEquals } from "../../_helpers/assert.ts";
import { drain } from "../../_helpers/cluster.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";
import { MemoryNetwork } from "../../_helpers/memory_network.ts";
import { seededRandom } from "../../_helpers/seeded_random.ts";

const enc = new TextEncoder();

/** A small simulated serf cluster. */
class Sim {
  readonly clock = new ManualClock(1_000_000);
  readonly net = new MemoryNetwork(this.clock, seededRandom(99));
  readonly agents: GossipAgent[] = [];
  readonly events = new Map<string, GossipEvent[]>();

  constructor() {
    this.net.delayMs = 1;
  }

  async add(name: string, extra: Partial<GossipAgentOptions> = {}): Promise<GossipAgent> {
    const addr = `10.0.0.${this.agents.length + 1}:7946`;
    const agent = await GossipAgent.start({
      name,
      bindAddr: addr,
      transport: this.net.transport(addr),
      clock: this.clock,
      random: seededRandom(this.agents.length + 1),
      profile: "fast",
      ...extra,
    });
    this.agents.push(agent);
    const log: GossipEvent[] = [];
    this.events.set(name, log);
    const sub = agent.subscribe();
    (async () => {
      for await (const e of sub) log.push(e);
    })();
    return agent;
  }

  async cluster(n: number, extra: Partial<GossipAgentOptions> = {}): Promise<GossipAgent[]> {
    for (let i = 0; i < n; i++) await this.add(`s${i}`, extra);
    for (const a of this.agents.slice(1)) await this.run(a.join([this.agents[0].advertiseAddr]));
    assert(
      await this.until(() => this.allSee("alive", this.agents.map((a) => a.name)), 10_000) >= 0,
    );
    return this.agents;
  }

  allSee(status: string, names: string[], viewers = this.agents): boolean {
    return viewers.every((v) =>
      names.every((n) => v.members().find((m) => m.name === n)?.status === status)
    );
  }

  userEvents(name: string, eventName: string): GossipEvent[] {
    return (this.events.get(name) ?? []).filter((e) => e.type === "user" && e.name === eventName);
  }

  memberEvents(viewer: string, about: string): string[] {
    return (this.events.get(viewer) ?? []).flatMap((e) =>
      "member" in e && e.member.name === about ? [e.type] : []
    );
  }

  async advance(ms: number): Promise<void> {
    for (let t = 0; t < ms; t += 5) {
      this.clock.advance(5);
      await drain();
    }
  }

  async until(pred: () => boolean, maxMs: number): Promise<number> {
    const start = this.clock.now();
    await drain();
    while (!pred()) {
      if (this.clock.now() - start >= maxMs) return -1;
      await this.advance(5);
    }
    return this.clock.now() - start;
  }

  async run<T>(p: Promise<T>, maxMs = 30_000): Promise<T> {
    let done = false;
    const watched = p.finally(() => done = true);
    watched.catch(() => {});
    if (await this.until(() => done, maxMs) < 0) {
      throw new Error("Simulation: promise did not settle");
    }
    return await watched;
  }

  async close(): Promise<void> {
    for (const a of this.agents) await this.run(a.close());
    await drain();
  }
}

Deno.test("GossipAgent.join() makes every member see every other alive, with join events", async () => {
  const sim = new Sim();
  try {
    const agents = await sim.cluster(5);
    for (const a of agents) {
      assertEquals(a.members().length, 5);
      for (const b of agents) {
        if (b !== a) assert(sim.memberEvents(a.name, b.name).includes("join"));
      }
      const first = sim.events.get(a.name)?.[0];
      assertEquals(first?.type === "snapshot" && first.members.map((m) => m.name), [a.name]);
    }
  } finally {
    await sim.close();
  }
});

Deno.test("GossipAgent.leave() shows leaving then left on the others, never failed", async () => {
  const sim = new Sim();
  try {
    const [, , leaver] = await sim.cluster(4);
    await sim.run(leaver.leave());
    const others = sim.agents.filter((a) => a !== leaver);
    assert(await sim.until(() => sim.allSee("left", ["s2"], others), 10_000) >= 0);
    await sim.advance(3000);
    for (const o of others) {
      const seen = sim.memberEvents(o.name, "s2");
      assert(!seen.includes("failed"), `${o.name} saw ${seen}`);
      assertEquals(seen.at(-1), "left");
      assert(seen.includes("leaving"), `${o.name} saw ${seen}`);
    }
  } finally {
    await sim.close();
  }
});

Deno.test("GossipAgent.close() without leave makes the others report the member failed", async () => {
  const sim = new Sim();
  try {
    const [, stopped] = await sim.cluster(4);
    await sim.run(stopped.close());
    const others = sim.agents.filter((a) => a !== stopped);
    assert(await sim.until(() => sim.allSee("failed", ["s1"], others), 20_000) >= 0);
    for (const o of others) assertEquals(sim.memberEvents(o.name, "s1").at(-1), "failed");
  } finally {
    await sim.close();
  }
});

Deno.test("GossipAgent.sendEvent() delivers a user event exactly once to every member", async () => {
  const sim = new Sim();
  try {
    const agents = await sim.cluster(5);
    await agents[3].sendEvent("deploy", enc.encode("v1"));
    await agents[1].sendEvent("deploy", enc.encode("v2"));
    assert(
      await sim.until(
        () => agents.every((a) => sim.userEvents(a.name, "deploy").length === 2),
        5000,
      ) >= 0,
    );
    await sim.advance(6000); // retransmits and push-pulls replay the event ring
    for (const a of agents) {
      const got = sim.userEvents(a.name, "deploy");
      assertEquals(got.length, 2);
      const payloads = got.map((e) => e.type === "user" ? new TextDecoder().decode(e.payload) : "")
        .sort();
      assertEquals(payloads, ["v1", "v2"]);
    }
  } finally {
    await sim.close();
  }
});

Deno.test("GossipAgent.setTags() reaches the others as an update event", async () => {
  const sim = new Sim();
  try {
    const agents = await sim.cluster(3);
    await sim.run(agents[2].setTags({ role: "db" }));
    assert(
      await sim.until(
        () => agents.every((a) => a.members().find((m) => m.name === "s2")?.tags.role === "db"),
        5000,
      ) >=
        0,
    );
    for (const a of agents) assert(sim.memberEvents(a.name, "s2").includes("update"));
  } finally {
    await sim.close();
  }
});

Deno.test("GossipAgent.query() collects acks and responses, honouring node and tag filters", async () => {
  const sim = new Sim();
  try {
    const handler = (name: string) => (q: { payload: Uint8Array }) =>
      enc.encode(`${name}:${new TextDecoder().decode(q.payload)}`);
    for (let i = 0; i < 4; i++) {
      await sim.add(`s${i}`, {
        tags: { role: i % 2 ? "web" : "db" },
        queryHandler: handler(`s${i}`),
      });
    }
    const [a, ...rest] = sim.agents;
    for (const r of rest) await sim.run(r.join([a.advertiseAddr]));
    assert(await sim.until(() => sim.allSee("alive", ["s0", "s1", "s2", "s3"]), 10_000) >= 0);
    const all = await sim.run(
      a.query("hi", enc.encode("x"), { requestAck: true, timeoutMs: 1000 }),
    );
    assertEquals([...all.acks].sort(), ["s0", "s1", "s2", "s3"]);
    assertEquals(all.responses.map((r) => new TextDecoder().decode(r.payload)).sort(), [
      "s0:x",
      "s1:x",
      "s2:x",
      "s3:x",
    ]);
    const nodes = await sim.run(
      a.query("hi", enc.encode("y"), { filterNodes: ["s2"], timeoutMs: 1000 }),
    );
    assertEquals(nodes.responses.map((r) => r.from), ["s2"]);
    const tagged = await sim.run(
      a.query("hi", enc.encode("z"), { filterTags: { role: "^web$" }, timeoutMs: 1000 }),
    );
    assertEquals(tagged.responses.map((r) => r.from).sort(), ["s1", "s3"]);
    assertEquals(tagged.acks, []);
  } finally {
    await sim.close();
  }
});

Deno.test("GossipAgent reaps a left member after the tombstone timeout", async () => {
  const sim = new Sim();
  try {
    const serf = { tombstoneTimeoutMs: 2000, reapIntervalMs: 500 };
    const agents = await sim.cluster(3, { serf });
    await sim.run(agents[2].leave());
    assert(await sim.until(() => sim.allSee("left", ["s2"], agents.slice(0, 2)), 10_000) >= 0);
    assert(
      await sim.until(
        () => agents.slice(0, 2).every((a) => !a.members().some((m) => m.name === "s2")),
        10_000,
      ) >= 0,
    );
    for (const a of agents.slice(0, 2)) assertEquals(sim.memberEvents(a.name, "s2").at(-1), "reap");
  } finally {
    await sim.close();
  }
});
