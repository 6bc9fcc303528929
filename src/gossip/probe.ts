/**
 * The SWIM probe cycle (gossip-wire.md §6.6): direct ping, indirect pings
 * through other members with nacks, the TCP fallback ping, and the
 * Lifeguard health adjustments. Answering pings lives in `ping_responder.ts`.
 *
 * @module
 */
import type { Logger } from "../logger.ts";
import type { AckHandlers } from "./ack_handlers.ts";
import type { Awareness } from "./awareness.ts";
import { addrString } from "./ip_bytes.ts";
import type { MemberlistConfig } from "./memberlist_config.ts";
import type { MemberState } from "./member_state.ts";
import { NodeState, type PacketMessage, type PingMessage } from "./messages.ts";
import type { NodeEntry, NodeTable } from "./node_table.ts";
import { type SelfAddress, sourcedPing } from "./ping_responder.ts";

/** What the prober needs from the core. */
export interface ProbeDeps {
  /** Resolved settings. */
  readonly config: MemberlistConfig;
  /** The shared ack registry (also owns the probe's timers). */
  readonly acks: AckHandlers;
  /** The node table. */
  readonly table: NodeTable;
  /** The Lifeguard health score. */
  readonly awareness: Awareness;
  /** The current state. */
  readonly state: MemberState;
  /** Where to log. */
  readonly logger: Logger;
  /** The next sequence number (shared by every ping we send). */
  nextSeqNo(): number;
  /** Our advertised IP bytes and port. */
  self(): SelfAddress;
  /** Sends one message with piggy-backed broadcasts, no CRC. */
  send(to: string, msg: PacketMessage): void;
  /** Sends messages as one packet (a compound if several), no piggy-backing. */
  sendParts(to: string, msgs: readonly PacketMessage[], crc: boolean): void;
  /** Starts a TCP ping; the result must come back through {@link Prober.tcpPingResult}. */
  tcpPing(to: string, ping: PingMessage, timeoutMs: number): void;
  /** Removes dead and left members past their gossip time (end of a probe round). */
  purge(): void;
  /** Runs when a probe finishes, so a tick that arrived meanwhile can run. */
  onIdle(): void;
}

interface ProbeRound {
  readonly target: NodeEntry;
  readonly seqNo: number;
  /** The target's incarnation when the probe started (what a failure accuses). */
  readonly incarnation: number;
  expectedNacks: number;
  nacks: number;
  tcpPending: boolean;
  intervalOver: boolean;
  done: boolean;
}

/**
 * Runs one probe at a time.
 *
 * @example
 * ```ts ignore
 * const prober = new Prober(deps);
 * prober.probe(); // on every probe tick
 * ```
 */
export class Prober {
  #d: ProbeDeps;
  #round: ProbeRound | undefined;

  /**
   * Creates a prober.
   *
   * @param deps The core's pieces it uses.
   */
  constructor(deps: ProbeDeps) {
    this.#d = deps;
  }

  /** Whether a probe is still waiting for its outcome. */
  get busy(): boolean {
    return this.#round !== undefined;
  }

  /**
   * Starts the next probe (a probe tick). Does nothing while one is running.
   *
   * @returns `true` when a probe started.
   */
  probe(): boolean {
    if (this.#round) return false;
    const target = this.#d.table.nextProbeTarget(this.#d.config.name, () => this.#d.purge());
    if (!target) return false;
    const seqNo = this.#d.nextSeqNo();
    const round: ProbeRound = {
      target,
      seqNo,
      incarnation: target.incarnation,
      expectedNacks: 0,
      nacks: 0,
      tcpPending: false,
      intervalOver: false,
      done: false,
    };
    this.#round = round;
    const ping = sourcedPing(seqNo, target.name, this.#d.config.name, this.#d.self());
    const to = addrString(target.addr, target.port);
    const interval = this.#d.awareness.scaleTimeout(this.#d.config.probeIntervalMs);
    this.#d.acks.set(seqNo, interval, {
      onAck: () => this.#finish(round, true),
      onNack: () => round.nacks++,
      onTimeout: () => this.#intervalOver(round),
    });
    if (target.state === NodeState.ALIVE) this.#d.send(to, ping);
    else {
      const accuse = {
        type: "suspect",
        incarnation: target.incarnation,
        node: target.name,
      } as const;
      this.#d.sendParts(to, [ping, { ...accuse, from: this.#d.config.name }], target.vsn[1] >= 5);
    }
    this.#d.acks.after(
      this.#d.config.probeTimeoutMs,
      () => this.#probeTimeout(round, ping, interval),
    );
    return true;
  }

  /**
   * Reports the outcome of a TCP fallback ping started by this prober.
   *
   * @param seqNo The ping's sequence number.
   * @param ok Whether an ack with that sequence number came back in time.
   */
  tcpPingResult(seqNo: number, ok: boolean): void {
    const round = this.#round;
    if (!round || round.seqNo !== seqNo || !round.tcpPending) return;
    round.tcpPending = false;
    if (ok) {
      this.#d.logger.warn("Was able to connect to member but other probes failed", {
        member: round.target.name,
      });
      this.#finish(round, true);
    } else if (round.intervalOver) this.#finish(round, false);
  }

  /** Forgets the running probe (shutdown; the ack registry cancels the timers). */
  stop(): void {
    this.#round = undefined;
  }

  #probeTimeout(round: ProbeRound, ping: PingMessage, intervalMs: number): void {
    if (round.done) return;
    const { config, table } = this.#d;
    const target = round.target;
    const peers = table.randomSample(
      config.indirectChecks,
      (e) => e.name !== config.name && e.name !== target.name && e.state === NodeState.ALIVE,
    );
    const self = this.#d.self();
    for (const peer of peers) {
      const nack = peer.vsn[1] >= 4;
      if (nack) round.expectedNacks++;
      this.#d.send(addrString(peer.addr, peer.port), {
        type: "indirectPing",
        seqNo: round.seqNo,
        node: target.name,
        target: target.addr,
        port: target.port,
        nack,
        sourceAddr: self.addr,
        sourcePort: self.port,
        sourceNode: config.name,
      });
    }
    if (!config.disableTcpPings && target.vsn[1] >= 3) {
      round.tcpPending = true;
      const remaining = Math.max(1, intervalMs - config.probeTimeoutMs);
      this.#d.tcpPing(addrString(target.addr, target.port), ping, remaining);
    }
  }

  #intervalOver(round: ProbeRound): void {
    if (round.done) return;
    round.intervalOver = true;
    if (!round.tcpPending) return this.#finish(round, false);
    // The driver reports TCP pings by their deadline; do not wait forever if it does not.
    this.#d.acks.after(this.#d.config.probeTimeoutMs, () => this.#finish(round, false));
  }

  #finish(round: ProbeRound, ok: boolean): void {
    if (round.done) return;
    round.done = true;
    if (this.#round === round) this.#round = undefined;
    this.#d.acks.remove(round.seqNo);
    if (ok) this.#d.awareness.apply(-1);
    else this.#suspect(round);
    this.#d.onIdle();
  }

  #suspect(round: ProbeRound): void {
    const missed = round.expectedNacks > 0 ? Math.max(0, round.expectedNacks - round.nacks) : 1;
    this.#d.awareness.apply(missed);
    const target = round.target;
    if (target.state === NodeState.ALIVE) {
      this.#d.logger.info("Suspecting member: no acks received", { member: target.name });
    }
    this.#d.state.suspectNode({
      type: "suspect",
      node: target.name,
      incarnation: round.incarnation,
      from: this.#d.config.name,
    });
  }
}
