/**
 * The SWIM probe cycle (gossip-wire.md §6.6): direct ping, indirect pings
 * through other members with nacks, the TCP fallback ping, the Lifeguard
 * health adjustments, and relaying indirect pings for others.
 *
 * @module
 */
import type { CancelTimer, Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import type { Awareness } from "./awareness.ts";
import { addrString } from "./ip_bytes.ts";
import type { MemberlistConfig } from "./memberlist_config.ts";
import type { MemberState } from "./member_state.ts";
import {
  type AckMessage,
  type IndirectPingMessage,
  type NackMessage,
  NodeState,
  type PacketMessage,
  type PingMessage,
} from "./messages.ts";
import type { NodeEntry, NodeTable } from "./node_table.ts";

/** What the prober needs from the core. */
export interface ProbeDeps {
  /** Resolved settings. */
  readonly config: MemberlistConfig;
  /** Time source and timers. */
  readonly clock: Clock;
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
  self(): { readonly addr: Uint8Array; readonly port: number };
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

interface AckHandler {
  onAck(msg: AckMessage): void;
  onNack(): void;
  cancel: CancelTimer;
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
 * Runs one probe at a time and relays indirect pings.
 *
 * @example
 * ```ts ignore
 * const prober = new Prober(deps);
 * prober.probe(); // on every probe tick
 * ```
 */
export class Prober {
  #d: ProbeDeps;
  #handlers = new Map<number, AckHandler>();
  #round: ProbeRound | undefined;
  #timers: CancelTimer[] = [];

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
    const ping = this.#ping(seqNo, target.name);
    const to = addrString(target.addr, target.port);
    const interval = this.#d.awareness.scaleTimeout(this.#d.config.probeIntervalMs);
    this.#setHandler(seqNo, interval, {
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
    this.#after(this.#d.config.probeTimeoutMs, () => this.#probeTimeout(round, ping, interval));
    return true;
  }

  /**
   * Handles an ack: completes the probe or relay waiting for its sequence number.
   *
   * @param msg The ack.
   */
  handleAck(msg: AckMessage): void {
    const h = this.#handlers.get(msg.seqNo);
    if (!h) return;
    this.#handlers.delete(msg.seqNo);
    h.cancel();
    h.onAck(msg);
  }

  /**
   * Handles a nack from an indirect-probe relay.
   *
   * @param msg The nack.
   */
  handleNack(msg: NackMessage): void {
    this.#handlers.get(msg.seqNo)?.onNack();
  }

  /**
   * Answers a ping addressed to us (or to no name) with an ack.
   *
   * @param from The packet's source address.
   * @param ping The ping.
   * @param payload The ack payload (serf: a coordinate).
   */
  handlePing(from: string, ping: PingMessage, payload: Uint8Array): void {
    if (ping.node !== "" && ping.node !== this.#d.config.name) {
      this.#d.logger.debug("Ignoring a ping for another name", { member: ping.node });
      return;
    }
    this.#d.send(replyAddr(from, ping), { type: "ack", seqNo: ping.seqNo, payload });
  }

  /**
   * Relays an indirect ping: pings the target and forwards its ack, or a
   * nack after `ProbeTimeout` when asked.
   *
   * @param from The packet's source address.
   * @param req The request.
   */
  handleIndirectPing(from: string, req: IndirectPingMessage): void {
    const seqNo = this.#d.nextSeqNo();
    const back = replyAddr(from, req);
    let answered = false;
    this.#setHandler(seqNo, this.#d.config.probeTimeoutMs, {
      onAck: () => {
        answered = true;
        this.#d.send(back, { type: "ack", seqNo: req.seqNo });
      },
      onNack: () => {},
      onTimeout: () => {},
    });
    this.#d.send(addrString(req.target, req.port), this.#ping(seqNo, req.node));
    if (!req.nack) return;
    this.#after(this.#d.config.probeTimeoutMs, () => {
      if (!answered) this.#d.send(back, { type: "nack", seqNo: req.seqNo });
    });
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

  /** Cancels every timer and pending handler (shutdown). */
  stop(): void {
    for (const h of this.#handlers.values()) h.cancel();
    this.#handlers.clear();
    for (const cancel of this.#timers) cancel();
    this.#timers = [];
    this.#round = undefined;
  }

  #ping(seqNo: number, node: string): PingMessage {
    const self = this.#d.self();
    return {
      type: "ping",
      seqNo,
      node,
      sourceAddr: self.addr,
      sourcePort: self.port,
      sourceNode: this.#d.config.name,
    };
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
    this.#after(this.#d.config.probeTimeoutMs, () => this.#finish(round, false));
  }

  #finish(round: ProbeRound, ok: boolean): void {
    if (round.done) return;
    round.done = true;
    if (this.#round === round) this.#round = undefined;
    const h = this.#handlers.get(round.seqNo);
    if (h) {
      h.cancel();
      this.#handlers.delete(round.seqNo);
    }
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

  #setHandler(
    seqNo: number,
    timeoutMs: number,
    h: { onAck(msg: AckMessage): void; onNack(): void; onTimeout(): void },
  ): void {
    const cancel = this.#d.clock.setTimer(timeoutMs, () => {
      if (this.#handlers.get(seqNo)?.cancel !== cancel) return;
      this.#handlers.delete(seqNo);
      h.onTimeout();
    });
    this.#handlers.set(seqNo, { onAck: h.onAck, onNack: h.onNack, cancel });
  }

  #after(ms: number, fn: () => void): void {
    const cancel = this.#d.clock.setTimer(ms, () => {
      this.#timers = this.#timers.filter((c) => c !== cancel);
      fn();
    });
    this.#timers.push(cancel);
  }
}

/** Where to answer: `Source*` when both are set, else the packet's source. */
function replyAddr(from: string, m: PingMessage | IndirectPingMessage): string {
  if (m.sourceAddr && m.sourceAddr.length > 0 && m.sourcePort) {
    return addrString(m.sourceAddr, m.sourcePort);
  }
  return from;
}
