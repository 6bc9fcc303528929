import { assertEquals } from "../../_helpers/assert.ts";
import { PeerRingCheck } from "../../../src/server/peer_ring_check.ts";
import type { GossipMember } from "../../../src/gossip/member.ts";
import { noopLogger } from "../../../src/logger.ts";

function member(name: string, tags: Record<string, string>): GossipMember {
  return {
    name,
    addr: "127.0.0.1:7370",
    tags,
    status: "alive",
    protocol: { min: 1, max: 5, cur: 2 },
    delegate: { min: 2, max: 5, cur: 4 },
  };
}

Deno.test("PeerRingCheck.observe() warns once about a Go registry (no ring tag) when we use the default ring", () => {
  const warnings: string[] = [];
  const check = new PeerRingCheck(
    "r1",
    "default",
    { addWarning: (t) => warnings.push(t) },
    noopLogger,
  );
  const go = member("go-1", { group: "registry-group", addr: ":9800", replicas: "10000" });
  check.observe(go);
  check.observe(go);
  assertEquals(warnings.length, 1);
  assertEquals(warnings[0].includes('"go-1" uses ring "chash"'), true);
});

Deno.test("PeerRingCheck.observe() stays quiet for same-ring peers, services and itself", () => {
  const warnings: string[] = [];
  const check = new PeerRingCheck(
    "r1",
    "chash",
    { addWarning: (t) => warnings.push(t) },
    noopLogger,
  );
  check.observe(member("go-1", { group: "registry-group", addr: ":9800" }));
  check.observe(member("r2", { group: "registry-group", ring: "chash" }));
  check.observe(member("svc", { group: "web", ring: "default-1" }));
  check.observe(member("r1", { group: "registry-group", ring: "default-1" }));
  assertEquals(warnings, []);
});
