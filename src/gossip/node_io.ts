/**
 * The I/O plumbing of a memberlist node: the receive loops over a
 * {@link Transport} (restarted if the transport's iterator fails), packet
 * encoding and sending, traffic and drop counters, and tracking of in-flight
 * work so `close()` can wait for it.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import type { Keyring } from "./keyring.ts";
import type { PacketMessage } from "./messages.ts";
import { decodePacketDetailed, encodePacket } from "./packet_codec.ts";
import type { Stream, Transport } from "./transport.ts";
import { WireError } from "./wire_error.ts";

/** Traffic counters of one node. */
export interface MemberlistStats {
  /** Datagrams handed to the transport. */
  packetsSent: number;
  /** Bytes of those datagrams. */
  bytesSent: number;
  /** Datagrams received. */
  packetsReceived: number;
  /** Bytes of those datagrams. */
  bytesReceived: number;
  /** Messages decoded from them (compound parts count one each). */
  messagesReceived: number;
  /** Inbound streams accepted. */
  streamsAccepted: number;
  /** Push-pull dials attempted (joins and periodic). */
  streamsDialed: number;
  /** Dropped packets, streams and parts by reason (`WireError` reasons plus driver ones). */
  readonly dropped: Record<string, number>;
}

/** Drop reasons that mean the peer uses another encryption key or label. */
const KEY_MISMATCH_REASONS: ReadonlySet<string> = new Set([
  "decrypt_failed",
  "not_encrypted",
  "unexpected_encryption",
  "label_mismatch",
]);

/** Options of {@link NodeIo}. */
export interface NodeIoOptions {
  /** The network. */
  readonly transport: Transport;
  /** Timers for restart back-off. */
  readonly clock: Clock;
  /** Where to log. */
  readonly logger: Logger;
  /** LZW-compress outgoing packets when it shrinks them. */
  readonly compress: boolean;
  /** Encryption keys, if any. */
  readonly keyring?: Keyring;
  /** Packet label ("" for none). */
  readonly label: string;
}

/** What the receive loops deliver to. */
export interface NodeIoHandlers {
  /** One decoded message of a received packet. */
  onMessage(from: string, msg: PacketMessage): void;
  /** One accepted stream; the returned promise is tracked and its failure counted. */
  onStream(s: Stream): Promise<void>;
}

/**
 * Loops, sending and counters for one node.
 *
 * @example
 * ```ts ignore
 * const io = new NodeIo({ transport, clock, logger, compress: true, label: "" });
 * io.start({ onMessage, onStream });
 * await io.send("10.0.0.2:7946", [bytes], false);
 * await io.close();
 * ```
 */
export class NodeIo {
  #o: NodeIoOptions;
  #loops: Promise<void>[] = [];
  #pending = new Set<Promise<unknown>>();
  #sleepers = new Set<() => void>();
  #closed = false;
  readonly #keyMismatchWarned = new Set<string>();
  #stats: MemberlistStats = {
    packetsSent: 0,
    bytesSent: 0,
    packetsReceived: 0,
    bytesReceived: 0,
    messagesReceived: 0,
    streamsAccepted: 0,
    streamsDialed: 0,
    dropped: {},
  };

  /**
   * Creates the plumbing; nothing runs until {@link start}.
   *
   * @param options Transport, clock, logger and packet wrapper settings.
   */
  constructor(options: NodeIoOptions) {
    this.#o = options;
  }

  /** The live counters (the node hands out copies). */
  get stats(): MemberlistStats {
    return this.#stats;
  }

  /**
   * Starts the packet and stream loops.
   *
   * @param handlers Where decoded packets and accepted streams go.
   */
  start(handlers: NodeIoHandlers): void {
    this.#loops.push(
      this.#keepRunning("packet", () => this.#packetLoop(handlers)),
      this.#keepRunning("stream", () => this.#streamLoop(handlers)),
    );
  }

  /**
   * Encodes (compound, compress, CRC, encrypt, label) and sends one packet;
   * failures are counted as `send_failed`, never thrown.
   *
   * @param to `host:port`.
   * @param parts Encoded messages (several make a compound).
   * @param crc Whether to add the CRC wrapper.
   * @returns When the datagram was handed over or dropped.
   */
  async send(to: string, parts: readonly Uint8Array[], crc: boolean): Promise<void> {
    if (this.#closed) return;
    try {
      const { compress, keyring, label } = this.#o;
      const bytes = await encodePacket(parts, { crc, compress, keyring, label });
      this.#stats.packetsSent++;
      this.#stats.bytesSent += bytes.length;
      await this.#o.transport.sendPacket(to, bytes);
    } catch (e) {
      this.drop("send_failed");
      this.#o.logger.debug("Failed to send a packet", { addr: to, error: String(e) });
    }
  }

  /**
   * Remembers in-flight work so {@link close} can wait for it.
   *
   * @param p Work that handles its own errors.
   */
  track(p: Promise<unknown>): void {
    this.#pending.add(p);
    // Tracked work handles its own errors; this only forgets the promise.
    p.finally(() => this.#pending.delete(p)).catch(() => {});
  }

  /**
   * Counts a drop.
   *
   * @param reason The reason key.
   */
  drop(reason: string): void {
    this.#stats.dropped[reason] = (this.#stats.dropped[reason] ?? 0) + 1;
  }

  /**
   * Counts a failed stream exchange by its wire reason (else `stream_failed`).
   *
   * @param e The error.
   */
  dropStream(e: unknown): void {
    this.drop(e instanceof WireError ? e.reason : "stream_failed");
    this.#warnKeyMismatchOnce(e);
    this.#o.logger.debug("Stream failed", { error: String(e) });
  }

  /**
   * Warns once per reason when a peer's gossip was dropped because its
   * encryption key or label differs from ours: the usual cause of "it never
   * joins", and otherwise only visible at debug level.
   */
  #warnKeyMismatchOnce(e: unknown, addr?: string): void {
    if (!(e instanceof WireError) || !KEY_MISMATCH_REASONS.has(e.reason)) return;
    if (this.#keyMismatchWarned.has(e.reason)) return;
    this.#keyMismatchWarned.add(e.reason);
    this.#o.logger.warn(
      "Dropping gossip from a peer with another encryption key or label: check --encrypt " +
        "(logged once per reason; the rest at debug level)",
      { reason: e.reason, ...(addr ? { addr } : {}), error: e.message },
    );
  }

  /** Closes the transport and waits for the loops and tracked work. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const sleepers = [...this.#sleepers];
    this.#sleepers.clear();
    for (const wake of sleepers) wake();
    await this.#o.transport.close();
    await Promise.allSettled([...this.#loops, ...this.#pending]);
  }

  /** Restarts a receive loop whose transport iterator failed, until closed. */
  async #keepRunning(name: string, loop: () => Promise<void>): Promise<void> {
    for (let failures = 0; !this.#closed; failures++) {
      try {
        await loop();
        return;
      } catch (e) {
        if (this.#closed) return;
        this.drop("transport_error");
        this.#o.logger.warn("Receive loop failed; restarting", { loop: name, error: String(e) });
        await this.#sleep(Math.min(1000, 10 * 2 ** Math.min(failures, 7)));
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        this.#sleepers.delete(wake);
        cancel();
        resolve();
      };
      const cancel = this.#o.clock.setTimer(ms, wake);
      this.#sleepers.add(wake);
    });
  }

  async #packetLoop(h: NodeIoHandlers): Promise<void> {
    const opts = { keyring: this.#o.keyring, label: this.#o.label };
    for await (const p of this.#o.transport.packets()) {
      if (this.#closed) break;
      this.#stats.packetsReceived++;
      this.#stats.bytesReceived += p.bytes.length;
      try {
        const { messages, dropped } = await decodePacketDetailed(p.bytes, opts);
        for (const e of dropped) this.drop(e.reason);
        for (const m of messages) {
          this.#stats.messagesReceived++;
          h.onMessage(p.from, m);
        }
      } catch (e) {
        this.drop(e instanceof WireError ? e.reason : "handler_error");
        this.#warnKeyMismatchOnce(e, p.from);
        this.#o.logger.debug("Dropped a packet", { addr: p.from, error: String(e) });
      }
    }
  }

  async #streamLoop(h: NodeIoHandlers): Promise<void> {
    for await (const s of this.#o.transport.streams()) {
      if (this.#closed) {
        s.close();
        break;
      }
      this.#stats.streamsAccepted++;
      this.track(h.onStream(s).catch((e) => this.dropStream(e)));
    }
  }
}
