/**
 * One gossip member for the cluster benchmark (`bench/gossip_cluster.ts`):
 * starts a GossipAgent, joins the seed, and prints one JSON line on stdout
 * for "listening" and then for every membership change, stamped with
 * `Date.now()`, so the parent can time convergence without polling.
 *
 * Usage: deno run -A --unstable-net bench/gossip_node.ts <name> <port> [seed host:port] [profile]
 *
 * @module
 */
import { GossipAgent } from "../src/gossip/agent.ts";

function line(fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ t: Date.now(), ...fields }));
}

if (import.meta.main) {
  const [name, port, seed, profile = "lan"] = Deno.args;
  const agent = await GossipAgent.start({
    name,
    bindAddr: `127.0.0.1:${port}`,
    tags: { group: "web", addr: `127.0.0.1:${port}` },
    profile: profile as "lan" | "local" | "fast",
  });
  line({ ev: "listening", addr: agent.advertiseAddr });
  const sub = agent.subscribe();
  if (seed) {
    agent.join([seed]).catch((err) => line({ ev: "join_failed", error: String(err) }));
  }
  for await (const e of sub) {
    if (e.type === "user") continue;
    const members = agent.members();
    line({
      ev: e.type,
      alive: members.filter((m) => m.status === "alive").length,
      failed: members.filter((m) => m.status === "failed").map((m) => m.name),
    });
  }
}
