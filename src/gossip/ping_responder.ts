/**
 * The answering side of SWIM (gossip-wire.md §4, §6.6): acks for pings
 * addressed to us, and relaying indirect pings for other members, with a
 * nack after `ProbeTimeout` when the requester asked for one.
 *
 * @module
 */
import type { Logger } from "../logger.ts";
import type { AckHandlers } from "./ack_handlers.ts";
import { addrString } from "./ip_bytes.ts";
import type { IndirectPingMessage, PacketMessage, PingMessage } from "./messages.ts";

/** Our advertised address. */
export interface SelfAddress {
  /** IP bytes (4 or 16). */
  readonly addr: Uint8Array;
  /** Gossip port. */
  readonly port: number;
}

/** What {@link PingResponder} needs from the core. */
export interface PingResponderDeps {
  /** Our member name. */
  readonly name: string;
  /** How long a relay waits for the target's ack. */
  readonly probeTimeoutMs: number;
  /** The shared ack registry. */
  readonly acks: AckHandlers;
  /** Where to log. */
  readonly logger: Logger;
  /** The next sequence number. */
  nextSeqNo(): number;
  /** Our advertised address. */
  self(): SelfAddress;
  /** The ack payload (serf: a coordinate). */
  ackPayload(): Uint8Array;
  /** Sends one message with piggy-backed broadcasts, no CRC. */
  send(to: string, msg: PacketMessage): void;
}

/**
 * A ping with our `Source*` fields, as memberlist sends them.
 *
 * @param seqNo Our sequence number.
 * @param node The target's name.
 * @param name Our name.
 * @param self Our advertised address.
 * @returns The ping.
 */
export function sourcedPing(
  seqNo: number,
  node: string,
  name: string,
  self: SelfAddress,
): PingMessage {
  return {
    type: "ping",
    seqNo,
    node,
    sourceAddr: self.addr,
    sourcePort: self.port,
    sourceNode: name,
  };
}

/**
 * Answers pings and relays indirect pings.
 *
 * @example
 * ```ts ignore
 * const responder = new PingResponder(deps);
 * responder.handlePing("10.0.0.2:7946", ping);
 * ```
 */
export class PingResponder {
  #d: PingResponderDeps;

  /**
   * Creates a responder.
   *
   * @param deps Name, timeouts, the ack registry and sending.
   */
  constructor(deps: PingResponderDeps) {
    this.#d = deps;
  }

  /**
   * Answers a ping addressed to us (or to no name) with an ack.
   *
   * @param from The packet's source address.
   * @param ping The ping.
   */
  handlePing(from: string, ping: PingMessage): void {
    if (ping.node !== "" && ping.node !== this.#d.name) {
      this.#d.logger.debug("Ignoring a ping for another name", { member: ping.node });
      return;
    }
    const ack = { type: "ack", seqNo: ping.seqNo, payload: this.#d.ackPayload() } as const;
    this.#d.send(replyAddr(from, ping), ack);
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
    this.#d.acks.set(seqNo, this.#d.probeTimeoutMs, {
      onAck: () => {
        answered = true;
        this.#d.send(back, { type: "ack", seqNo: req.seqNo });
      },
      onNack: () => {},
      onTimeout: () => {},
    });
    const ping = sourcedPing(seqNo, req.node, this.#d.name, this.#d.self());
    this.#d.send(addrString(req.target, req.port), ping);
    if (!req.nack) return;
    this.#d.acks.after(this.#d.probeTimeoutMs, () => {
      if (!answered) this.#d.send(back, { type: "nack", seqNo: req.seqNo });
    });
  }
}

/** Where to answer: `Source*` when both are set, else the packet's source. */
function replyAddr(from: string, m: PingMessage | IndirectPingMessage): string {
  if (m.sourceAddr && m.sourceAddr.length > 0 && m.sourcePort) {
    return addrString(m.sourceAddr, m.sourcePort);
  }
  return from;
}
