/**
 * A memberlist core (`Memberlist` from swim.ts) with recorded effects and a
 * manual clock, for unit tests that feed typed messages directly.
 *
 * @module
 */
import {
  FAST_PRESET,
  type MemberlistConfigInput,
  type MemberlistTimings,
  resolveMemberlistConfig,
} from "../../src/gossip/memberlist_config.ts";
import { decodeMessage, splitCompound } from "../../src/gossip/message_codec.ts";
import type { AliveMessage, PacketMessage, PingMessage, Vsn } from "../../src/gossip/messages.ts";
import { Memberlist } from "../../src/gossip/swim.ts";
import { ipToBytes } from "../../src/gossip/ip_bytes.ts";
import { noopLogger } from "../../src/logger.ts";
import { TestDelegate } from "./cluster.ts";
import { ManualClock } from "./manual_clock.ts";
import { seededRandom } from "./seeded_random.ts";

/** One recorded packet. */
export interface SentPacket {
  readonly to: string;
  readonly messages: PacketMessage[];
  readonly crc: boolean;
  readonly atMs: number;
}

/** A core under test. */
export class CoreHarness {
  readonly clock: ManualClock = new ManualClock(1000);
  readonly delegate: TestDelegate;
  readonly core: Memberlist;
  readonly sent: SentPacket[] = [];
  readonly pushPulls: string[] = [];
  readonly tcpPings: { to: string; ping: PingMessage; timeoutMs: number }[] = [];

  constructor(
    input: MemberlistConfigInput = { name: "self" },
    preset: MemberlistTimings = FAST_PRESET,
    addr = "10.0.0.1:7946",
  ) {
    this.delegate = new TestDelegate(() => this.clock.now());
    const [host, port] = addr.split(":");
    this.core = new Memberlist({
      config: resolveMemberlistConfig(input, preset),
      clock: this.clock,
      random: seededRandom(42),
      logger: noopLogger,
      delegate: this.delegate,
      advertise: { addr: ipToBytes(host), port: Number(port) },
      effects: {
        sendPacket: (to, parts, crc) => {
          const messages = parts.flatMap((p) =>
            p[0] === 7 ? splitCompound(p).parts.map(decodeMessage) : [decodeMessage(p)]
          );
          this.sent.push({ to, messages, crc, atMs: this.clock.now() });
        },
        pushPull: (to) => this.pushPulls.push(to),
        tcpPing: (to, ping, timeoutMs) => this.tcpPings.push({ to, ping, timeoutMs }),
      },
    });
  }

  /** Every sent message of a type, with its destination. */
  messages<T extends PacketMessage["type"]>(
    type: T,
  ): { to: string; msg: Extract<PacketMessage, { type: T }> }[] {
    return this.sent.flatMap((p) =>
      p.messages.filter((m) => m.type === type).map((m) => ({
        to: p.to,
        msg: m as Extract<PacketMessage, { type: T }>,
      }))
    );
  }

  /** Forgets recorded effects. */
  clear(): void {
    this.sent.length = 0;
    this.pushPulls.length = 0;
    this.tcpPings.length = 0;
  }
}

/** An alive message for a peer `name` at `10.0.0.<i>:7946`. */
export function alive(
  name: string,
  i: number,
  incarnation = 1,
  vsn: Vsn = [1, 5, 2, 2, 5, 4],
): AliveMessage {
  return {
    type: "alive",
    node: name,
    addr: new Uint8Array([10, 0, 0, i]),
    port: 7946,
    meta: new Uint8Array([0xff, 0x80]),
    vsn,
    incarnation,
  };
}
