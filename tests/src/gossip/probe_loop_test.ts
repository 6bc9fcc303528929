import { FAST_PRESET, resolveMemberlistConfig } from "../../../src/gossip/memberlist_config.ts";
import { buildMemberlistParts } from "../../../src/gossip/memberlist_parts.ts";
import { decodeMessage, splitCompound } from "../../../src/gossip/message_codec.ts";
import type { PingMessage } from "../../../src/gossip/messages.ts";
import { noopLogger } from "../../../src/logger.ts";
import { assertEquals } from "../../_helpers/assert.ts";
import { TestDelegate } from "../../_helpers/cluster.ts";
import { alive } from "../../_helpers/core_harness.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";
import { seededRandom } from "../../_helpers/seeded_random.ts";

/** Parts with two alive peers, recording the pings sent. */
function started() {
  const clock = new ManualClock(1000);
  const pings: PingMessage[] = [];
  let seqNo = 0;
  const p = buildMemberlistParts({
    config: resolveMemberlistConfig({ name: "self" }, FAST_PRESET),
    clock,
    random: seededRandom(5),
    logger: noopLogger,
    delegate: new TestDelegate(() => clock.now()),
    advertise: { addr: new Uint8Array([10, 0, 0, 1]), port: 7946 },
    effects: {
      sendPacket(_to, parts) {
        const msgs = parts.flatMap((b) =>
          b[0] === 7 ? splitCompound(b).parts.map(decodeMessage) : [decodeMessage(b)]
        );
        for (const m of msgs) if (m.type === "ping") pings.push(m);
      },
      pushPull() {},
      tcpPing() {},
    },
  }, () => ++seqNo);
  p.local.announce();
  p.state.aliveNode(alive("p2", 2));
  p.state.aliveNode(alive("p3", 3));
  return { clock, pings, ...p };
}

Deno.test("ProbeLoop.tick() during a probe runs the next probe as soon as it finishes", () => {
  const p = started();
  p.probes.tick();
  assertEquals(p.pings.length, 1);
  p.probes.tick();
  assertEquals(p.pings.length, 1, "busy: the tick waits");
  p.acks.ack({ type: "ack", seqNo: p.pings[0].seqNo });
  assertEquals(p.pings.length, 2, "the waiting tick probes on completion");
  p.acks.ack({ type: "ack", seqNo: p.pings[1].seqNo });
  assertEquals(p.pings.length, 2, "one waiting tick, one extra probe");
});

Deno.test("ProbeLoop.stop() drops a waiting tick", () => {
  const p = started();
  p.probes.tick();
  p.probes.tick();
  p.probes.stop();
  p.acks.ack({ type: "ack", seqNo: p.pings[0].seqNo });
  p.clock.advance(1000);
  assertEquals(p.pings.length, 1);
});
