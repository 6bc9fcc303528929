import { assert, assertEquals } from "../../_helpers/assert.ts";
import { startGossipAgent } from "../../../src/register/start_gossip_agent.ts";

Deno.test("startGossipAgent() starts a real agent that a second one can join", async () => {
  const tags = { group: "web", addr: "127.0.0.1:1", replicas: "10000", weight: "1" };
  const a = await startGossipAgent({
    name: "sga-a",
    bindAddr: "127.0.0.1:0",
    tags,
    profile: "local",
  });
  const b = await startGossipAgent({
    name: "sga-b",
    bindAddr: "127.0.0.1:0",
    tags,
    profile: "local",
  });
  try {
    assert(a.advertiseAddr.startsWith("127.0.0.1:"));
    assertEquals(await b.join([a.advertiseAddr], { ignoreOld: true }), 1);
  } finally {
    await b.close();
    await a.close();
  }
});
