import { LAN_PRESET } from "../../../src/gossip/memberlist_config.ts";
import { NodeState } from "../../../src/gossip/messages.ts";
import { assert, assertEquals } from "../../_helpers/assert.ts";
import { SimCluster, type SimNode } from "../../_helpers/cluster.ts";

/** Joins every node after the first to `seeds`, at most `parallel` at a time. */
async function joinAll(c: SimCluster, seeds: SimNode[], parallel = 32): Promise<void> {
  const rest = c.nodes.filter((n) => !seeds.includes(n));
  for (let i = 0; i < rest.length; i += parallel) {
    const batch = rest.slice(i, i + parallel).map((n) => n.node.join(seeds.map((s) => s.addr)));
    await c.run(Promise.all(batch));
  }
}

async function convergedCluster(n: number, seed: number): Promise<SimCluster> {
  const c = new SimCluster({ seed, overrides: { enableCompression: false } });
  for (let i = 0; i < n; i++) c.add();
  await joinAll(c, [c.nodes[0]]);
  const took = await c.until(() => c.converged(), 30_000);
  assert(took >= 0, `${n} nodes did not converge`);
  return c;
}

for (const n of [3, 10, 100]) {
  Deno.test(`Memberlist cluster of ${n} converges on the memory network`, async () => {
    const c = await convergedCluster(n, n);
    try {
      for (const node of c.nodes) assertEquals(node.node.numAliveNodes(), n);
    } finally {
      await c.close();
    }
  });
}

Deno.test("Memberlist suspects a stopped member, then declares it dead everywhere", async () => {
  const c = await convergedCluster(5, 21);
  try {
    const victim = c.nodes[4];
    await c.crash(victim);
    const others = c.nodes.slice(0, 4);
    let sawSuspect = false;
    const took = await c.until(() => {
      sawSuspect ||= others.some((o) => c.stateOf(o, victim.name) === NodeState.SUSPECT);
      return others.every((o) => c.stateOf(o, victim.name) === NodeState.DEAD);
    }, 20_000);
    assert(took >= 0, "the stopped member was not declared dead");
    assert(sawSuspect, "dead without being suspected first");
    for (const o of others) {
      assert(
        o.delegate.events.some((e) =>
          e.type === "leave" && e.name === victim.name && e.state === NodeState.DEAD
        ),
      );
      assertEquals(o.node.numAliveNodes(), 4);
    }
  } finally {
    await c.close();
  }
});

Deno.test("Memberlist member that is suspected while alive refutes and stays alive", async () => {
  const c = await convergedCluster(5, 22);
  try {
    const target = c.nodes[3];
    c.nodes[0].node.core.handleMessage("10.9.9.9:1", {
      type: "suspect",
      node: target.name,
      from: c.nodes[0].name,
      incarnation: 1,
    });
    assertEquals(c.stateOf(c.nodes[0], target.name), NodeState.SUSPECT);
    const took = await c.until(
      () =>
        c.nodes.every((n) =>
          n.node.nodes().find((r) => r.name === target.name)?.incarnation === 2
        ) && c.converged(),
      5000,
    );
    assert(took >= 0, "the refutation did not spread");
    await c.advance(5000);
    assert(c.converged(), "a refuted member must stay alive");
    assert(c.nodes.every((n) => !n.delegate.events.some((e) => e.type === "leave")));
  } finally {
    await c.close();
  }
});

Deno.test("Memberlist partition marks the other side dead and heals after a reconnect", async () => {
  const c = await convergedCluster(6, 23);
  try {
    const left = c.nodes.slice(0, 3), right = c.nodes.slice(3);
    c.net.partition(left.map((n) => n.addr), right.map((n) => n.addr));
    const split = await c.until(
      () =>
        left.every((n) => c.sees(n, right.map((r) => r.name), NodeState.DEAD)) &&
        right.every((n) => c.sees(n, left.map((l) => l.name), NodeState.DEAD)),
      20_000,
    );
    assert(split >= 0, "the sides did not see each other dead");
    c.net.heal();
    // What serf's reconnect does: a join to one failed member.
    await c.run(left[0].node.join([right[0].addr]));
    const healed = await c.until(() => c.converged(), 10_000);
    assert(healed >= 0, "the partition did not heal");
  } finally {
    await c.close();
  }
});

Deno.test("Memberlist with 10% packet loss raises no false failure over 10 simulated minutes", async () => {
  const c = new SimCluster({
    seed: 24,
    preset: LAN_PRESET,
    stepMs: 10,
    overrides: { enableCompression: false },
  });
  try {
    for (let i = 0; i < 10; i++) c.add();
    await joinAll(c, [c.nodes[0]]);
    assert(await c.until(() => c.converged(), 30_000) >= 0);
    c.net.lossProbability = 0.1;
    await c.advance(600_000);
    const failures = c.nodes.flatMap((n) => n.delegate.events.filter((e) => e.type === "leave"));
    assertEquals(failures, []);
    assert(c.converged());
    const sent = c.nodes.reduce((s, n) => s + n.transport.traffic.packetsDropped, 0);
    assert(sent > 1000, `loss must really happen (dropped ${sent})`);
  } finally {
    await c.close();
  }
});

Deno.test("Memberlist graceful leave shows left, not dead", async () => {
  const c = await convergedCluster(5, 25);
  try {
    const leaver = c.nodes[2];
    await c.run(leaver.node.leave(5000));
    await leaver.node.close();
    leaver.running = false;
    const others = c.nodes.filter((n) => n !== leaver);
    const took = await c.until(
      () => others.every((o) => c.stateOf(o, leaver.name) === NodeState.LEFT),
      5000,
    );
    assert(took >= 0);
    await c.advance(2000);
    for (const o of others) {
      const states = o.delegate.events.filter((e) => e.name === leaver.name && e.type === "leave")
        .map((e) => e.state);
      assertEquals(states, [NodeState.LEFT]);
    }
  } finally {
    await c.close();
  }
});

Deno.test("Memberlist refuses the same name at another address and tells both delegates", async () => {
  const c = await convergedCluster(3, 26);
  try {
    const impostor = c.add("n1", "10.5.5.5:7946");
    await c.run(impostor.node.join([c.nodes[0].addr]));
    await c.advance(1000);
    const seed = c.nodes[0];
    assertEquals(seed.node.nodes().find((r) => r.name === "n1")?.ip, "10.0.0.1");
    assert(seed.delegate.events.some((e) => e.type === "conflict" && e.name === "n1"));
    assert(impostor.delegate.events.some((e) => e.type === "conflict" && e.name === "n1"));
    assert(c.nodes.slice(0, 3).every((n) => c.stateOf(n, "n1") === NodeState.ALIVE));
  } finally {
    await c.close();
  }
});

Deno.test("Memberlist keeps a member whose UDP is blocked alive through TCP pings", async () => {
  const c = await convergedCluster(4, 27);
  try {
    const walled = c.nodes[1];
    c.net.packetsBlockedTo.add(walled.addr);
    let suspected = false;
    await c.until(() => {
      suspected ||= c.nodes.some((n) => n.node.nodes().some((r) => r.state !== NodeState.ALIVE));
      return false;
    }, 10_000);
    assert(!suspected, "TCP fallback pings must prevent suspicion");
    assert(c.converged());
    c.net.packetsBlockedTo.clear();
  } finally {
    await c.close();
  }
});

Deno.test("Memberlist with TCP pings disabled does fail a member whose UDP is blocked", async () => {
  const c = new SimCluster({
    seed: 28,
    overrides: { enableCompression: false, disableTcpPings: true },
  });
  try {
    for (let i = 0; i < 4; i++) c.add();
    await joinAll(c, [c.nodes[0]]);
    assert(await c.until(() => c.converged(), 5000) >= 0);
    const walled = c.nodes[1];
    c.net.packetsBlockedTo.add(walled.addr);
    const took = await c.until(() => c.stateOf(c.nodes[0], walled.name) === NodeState.DEAD, 20_000);
    assert(took >= 0, "without TCP pings the walled member is declared dead");
  } finally {
    await c.close();
  }
});
