import { RegistryError } from "../../../lib/errors.ts";
import { readLocalMeta } from "../../../src/gossip/local_member.ts";
import { FAST_PRESET, resolveMemberlistConfig } from "../../../src/gossip/memberlist_config.ts";
import { buildMemberlistParts } from "../../../src/gossip/memberlist_parts.ts";
import { decodeMessage } from "../../../src/gossip/message_codec.ts";
import { NodeState } from "../../../src/gossip/messages.ts";
import { noopLogger } from "../../../src/logger.ts";
import { assert, assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { alive } from "../../_helpers/core_harness.ts";
import { TestDelegate } from "../../_helpers/cluster.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";
import { seededRandom } from "../../_helpers/seeded_random.ts";

function parts() {
  const clock = new ManualClock(1000);
  const delegate = new TestDelegate(() => clock.now());
  const p = buildMemberlistParts({
    config: resolveMemberlistConfig({ name: "self" }, FAST_PRESET),
    clock,
    random: seededRandom(3),
    logger: noopLogger,
    delegate,
    advertise: { addr: new Uint8Array([10, 0, 0, 1]), port: 7946 },
    effects: { sendPacket() {}, pushPull() {}, tcpPing() {} },
  }, () => 1);
  return { delegate, ...p };
}

Deno.test("readLocalMeta() returns the delegate's meta up to 512 bytes, else throws TAGS_TOO_LARGE", () => {
  const delegate = new TestDelegate(() => 0);
  delegate.meta = new Uint8Array(512);
  assertEquals(readLocalMeta(delegate, "self").length, 512);
  delegate.meta = new Uint8Array(513);
  const err = assertThrows(() => readLocalMeta(delegate, "self"), RegistryError, '"self"');
  assertEquals((err as RegistryError).code, "TAGS_TOO_LARGE");
});

Deno.test("LocalMember.announce() enters us alive at incarnation 1 with the delegate's meta", () => {
  const p = parts();
  p.delegate.meta = new Uint8Array([0xff, 0x81, 0xa1, 0x61, 0xa1, 0x62]);
  p.local.announce();
  const self = p.table.get("self");
  assert(self);
  assertEquals(self.incarnation, 1);
  assertEquals(self.state, NodeState.ALIVE);
  assertEquals([...self.meta], [...p.delegate.meta]);
  assertEquals(p.broadcasts.length, 1);
});

Deno.test("LocalMember.updateMeta() needs an announcement, then gossips incarnation + 1", () => {
  const p = parts();
  assertEquals(p.local.updateMeta(() => {}), false, "not announced yet");
  assertEquals(p.table.get("self"), undefined);
  p.local.announce();
  p.state.aliveNode(alive("peer", 2));
  p.delegate.meta = new Uint8Array([0xff, 0x80, 1]);
  assertEquals(p.local.updateMeta(() => {}), true, "peer is alive");
  assertEquals(p.table.get("self")?.incarnation, 2);
  assertEquals([...p.table.get("self")!.meta], [0xff, 0x80, 1]);
});

Deno.test("LocalMember.othersAlive() ignores us and members that are not alive", () => {
  const p = parts();
  p.local.announce();
  assertEquals(p.local.othersAlive(), false);
  p.state.aliveNode(alive("peer", 2));
  assertEquals(p.local.othersAlive(), true);
  p.state.deadNode({ type: "dead", node: "peer", incarnation: 1, from: "peer" });
  assertEquals(p.local.othersAlive(), false);
});

Deno.test("LocalMember.requeueAlive() makes our alive the freshest broadcast, and does nothing before the announcement", () => {
  const p = parts();
  p.local.requeueAlive();
  assertEquals(p.broadcasts.length, 0);
  p.local.announce();
  p.state.aliveNode(alive("peer", 2));
  p.local.requeueAlive();
  assertEquals(p.broadcasts.length, 2, "same key: replaces our queued alive");
  const first = decodeMessage(p.broadcasts.take(2, 1400)[0]);
  assertEquals(first.type === "alive" && first.node, "self");
});
