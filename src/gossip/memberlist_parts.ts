/**
 * Builds the collaborators the memberlist core (`Memberlist` in swim.ts)
 * delegates to, wired to each other and to the core's options.
 *
 * @module
 */
import { AckHandlers } from "./ack_handlers.ts";
import { Awareness } from "./awareness.ts";
import { BroadcastQueue } from "./broadcast_queue.ts";
import { GossipSender } from "./gossip_sender.ts";
import { LocalMember } from "./local_member.ts";
import type { MemberlistOptions } from "./memberlist_options.ts";
import { MemberState } from "./member_state.ts";
import { encodeMessage } from "./message_codec.ts";
import { NodeTable } from "./node_table.ts";
import { PeriodicTasks } from "./periodic_tasks.ts";
import { PingResponder } from "./ping_responder.ts";
import { ProbeLoop } from "./probe_loop.ts";
import { PushPullScheduler } from "./push_pull_scheduler.ts";

/** The core's collaborators. */
export interface MemberlistParts {
  /** Every known member. */
  readonly table: NodeTable;
  /** Memberlist broadcasts waiting to be sent. */
  readonly broadcasts: BroadcastQueue;
  /** The Lifeguard health score. */
  readonly awareness: Awareness;
  /** Member-state precedence. */
  readonly state: MemberState;
  /** Outgoing packets with piggy-backed broadcasts. */
  readonly sender: GossipSender;
  /** Pending acks and the probe timers. */
  readonly acks: AckHandlers;
  /** The core's timers. */
  readonly tasks: PeriodicTasks;
  /** The probe cycle and its ticks. */
  readonly probes: ProbeLoop;
  /** Answers pings and relays indirect pings. */
  readonly responder: PingResponder;
  /** When push-pull exchanges happen. */
  readonly pushPulls: PushPullScheduler;
  /** The local member's own announcements. */
  readonly local: LocalMember;
}

/** The collaborators the others are built on. */
type BaseParts = Omit<MemberlistParts, "probes" | "responder" | "pushPulls" | "local">;

/**
 * Creates the collaborators and wires them to each other and to the options.
 *
 * @param options The core's options.
 * @param nextSeqNo The core's sequence number source (shared by every ping).
 * @returns The collaborators.
 */
export function buildMemberlistParts(
  options: MemberlistOptions,
  nextSeqNo: () => number,
): MemberlistParts {
  const { config, clock, random, logger, delegate, effects, advertise } = options;
  const table = new NodeTable(random);
  const broadcasts = new BroadcastQueue({
    retransmitMult: config.retransmitMult,
    numNodes: () => table.size,
  });
  const awareness = new Awareness(config.awarenessMaxMultiplier);
  const state = new MemberState({ config, clock, table, broadcasts, awareness, delegate, logger });
  const packetOverhead = options.packetOverhead ?? 0;
  const sender = new GossipSender({ config, broadcasts, delegate, effects, packetOverhead });
  const acks = new AckHandlers(clock);
  const tasks = new PeriodicTasks(clock, random);
  const base: BaseParts = { table, broadcasts, awareness, state, sender, acks, tasks };
  return {
    ...base,
    probes: buildProbeLoop(options, base, nextSeqNo),
    responder: buildResponder(options, base, nextSeqNo),
    pushPulls: new PushPullScheduler({
      config,
      random,
      table,
      tasks,
      pushPull: (to) => effects.pushPull(to),
    }),
    local: new LocalMember({ config, advertise, delegate, table, state, broadcasts }),
  };
}

/** The prober and its ticks, sending through the gossip sender and the effects. */
function buildProbeLoop(
  options: MemberlistOptions,
  base: BaseParts,
  nextSeqNo: () => number,
): ProbeLoop {
  const { config, clock, logger, effects, advertise } = options;
  const { acks, table, awareness, state, sender } = base;
  return new ProbeLoop({
    config,
    clock,
    acks,
    logger,
    table,
    awareness,
    state,
    nextSeqNo,
    self: () => advertise,
    send: (to, msg) => sender.sendMsg(to, msg),
    sendParts: (to, msgs, crc) => effects.sendPacket(to, msgs.map(encodeMessage), crc),
    tcpPing: (to, ping, ms) => effects.tcpPing(to, ping, ms),
  });
}

/** The ping answering side, sending through the gossip sender. */
function buildResponder(
  options: MemberlistOptions,
  base: BaseParts,
  nextSeqNo: () => number,
): PingResponder {
  const { config, logger, delegate, advertise } = options;
  return new PingResponder({
    name: config.name,
    probeTimeoutMs: config.probeTimeoutMs,
    acks: base.acks,
    logger,
    nextSeqNo,
    self: () => advertise,
    ackPayload: () => delegate.ackPayload(),
    send: (to, msg) => base.sender.sendMsg(to, msg),
  });
}
