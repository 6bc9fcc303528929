/**
 * The TCP side of a memberlist node: answering inbound streams (TCP ping,
 * push-pull, user message) and dialing push-pulls and TCP pings, each under
 * the `tcpTimeoutMs` deadline (gossip-wire.md §1, §4, §6.9).
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import type { MemberlistDelegate } from "./delegate.ts";
import type { Keyring } from "./keyring.ts";
import type { MemberlistConfig } from "./memberlist_config.ts";
import type { PingMessage, PushPullMessage, StreamMessage } from "./messages.ts";
import {
  encodeStreamMessage,
  type EncodeStreamOptions,
  readStreamMessage,
  type ReadStreamOptions,
} from "./stream_codec.ts";
import type { Memberlist } from "./swim.ts";
import type { Stream, Transport } from "./transport.ts";
import { WireError } from "./wire_error.ts";

/** What {@link StreamExchange} works with. */
export interface StreamExchangeOptions {
  /** The network. */
  readonly transport: Transport;
  /** Time source and timers. */
  readonly clock: Clock;
  /** The protocol core. */
  readonly core: Memberlist;
  /** Resolved settings. */
  readonly config: MemberlistConfig;
  /** The layer above (serf). */
  readonly delegate: MemberlistDelegate;
  /** Where to log. */
  readonly logger: Logger;
  /** Encryption keys, if any. */
  readonly keyring?: Keyring;
  /** Packet and stream label ("" for none). */
  readonly label?: string;
  /** Counts a dropped stream or request by reason. */
  drop(reason: string): void;
}

/**
 * Runs stream exchanges for one node.
 *
 * @example
 * ```ts ignore
 * const exchange = new StreamExchange(options);
 * await exchange.pushPull("10.0.0.2:7946", true);
 * ```
 */
export class StreamExchange {
  #o: StreamExchangeOptions;
  #inboundPushPulls = 0;

  /**
   * Creates the exchange.
   *
   * @param options Transport, core, settings and the drop counter.
   */
  constructor(options: StreamExchangeOptions) {
    this.#o = options;
  }

  /**
   * Answers one inbound stream, then closes it.
   *
   * @param s The accepted stream.
   * @throws {WireError} When the request cannot be read.
   */
  async serve(s: Stream): Promise<void> {
    const cancel = this.#o.clock.setTimer(this.#o.config.tcpTimeoutMs, () => s.close());
    try {
      const msg = await this.#readRequest(s);
      if (msg.type === "ping") {
        const ack = this.#o.core.handleStreamPing(msg);
        if (ack) await s.write(await encodeStreamMessage(ack, this.#writeOptions(false)));
      } else if (msg.type === "pushPull") {
        await this.#answerPushPull(s, msg);
      } else if (msg.type === "user") {
        this.#o.delegate.notifyUserMessage(msg.payload);
      } else {
        this.#o.drop("unexpected_stream_message");
      }
    } finally {
      cancel();
      s.close();
    }
  }

  /**
   * Dials `addr`, sends our state, reads and merges the reply.
   *
   * @param addr `host:port`.
   * @param join Whether this is a join.
   * @throws {RegistryError} `PROTOCOL_ERROR` for an error reply or incompatible versions.
   * @throws {WireError} When the reply cannot be read; transport errors when the dial fails.
   */
  async pushPull(addr: string, join: boolean): Promise<void> {
    const timeout = this.#o.config.tcpTimeoutMs;
    const s = await this.#o.transport.dialStream(addr, timeout);
    const cancel = this.#o.clock.setTimer(timeout, () => s.close());
    try {
      const local = this.#o.core.localState(join);
      await s.write(await encodeStreamMessage(local, this.#writeOptions(true)));
      const reply = await readStreamMessage(s, this.#readOptions(true));
      if (reply.type !== "pushPull") {
        const detail = reply.type === "err"
          ? `remote error "${reply.error}"`
          : `got "${reply.type}"`;
        throw new RegistryError("PROTOCOL_ERROR", `Cannot push-pull with "${addr}": ${detail}`);
      }
      this.#o.core.mergeRemoteState(reply);
    } finally {
      cancel();
      s.close();
    }
  }

  /**
   * Sends `ping` over a new stream and waits for the matching ack.
   *
   * @param to `host:port`.
   * @param ping The probe's ping.
   * @param timeoutMs The deadline for dial, write and read together.
   * @returns Whether an ack with the same sequence number came back in time.
   */
  async tcpPing(to: string, ping: PingMessage, timeoutMs: number): Promise<boolean> {
    let s: Stream | undefined;
    const cancel = this.#o.clock.setTimer(timeoutMs, () => s?.close());
    try {
      s = await this.#o.transport.dialStream(to, timeoutMs);
      await s.write(await encodeStreamMessage(ping, this.#writeOptions(true)));
      const reply = await readStreamMessage(s, this.#readOptions(true));
      return reply.type === "ack" && reply.seqNo === ping.seqNo;
    } catch (e) {
      this.#o.logger.debug("TCP ping failed", { addr: to, error: String(e) });
      return false;
    } finally {
      cancel();
      s?.close();
    }
  }

  /** Reads the request; on a malformed one (not a cut-off), tells the dialer like Go's errResp. */
  async #readRequest(s: Stream): Promise<StreamMessage> {
    try {
      return await readStreamMessage(s, this.#readOptions(false));
    } catch (e) {
      if (e instanceof WireError && e.reason !== "truncated") {
        const err = { type: "err", error: e.message } as const;
        // Best effort: the dialer may already be gone; the read error is what gets reported.
        await s.write(await encodeStreamMessage(err, this.#writeOptions(false))).catch(() => {});
      }
      throw e;
    }
  }

  async #answerPushPull(s: Stream, msg: PushPullMessage): Promise<void> {
    // Like Go: beyond the limit the stream is closed unanswered.
    if (this.#inboundPushPulls >= this.#o.config.maxConcurrentPushPulls) {
      this.#o.drop("too_many_push_pulls");
      return;
    }
    this.#inboundPushPulls++;
    try {
      const reply = this.#o.core.localState(msg.join);
      await s.write(await encodeStreamMessage(reply, this.#writeOptions(false)));
      this.#o.core.mergeRemoteState(msg);
    } finally {
      this.#inboundPushPulls--;
    }
  }

  #readOptions(isDialer: boolean): ReadStreamOptions {
    return { keyring: this.#o.keyring, label: this.#o.label ?? "", isDialer };
  }

  #writeOptions(writeLabel: boolean): EncodeStreamOptions {
    return {
      compress: this.#o.config.enableCompression,
      keyring: this.#o.keyring,
      label: this.#o.label ?? "",
      writeLabel,
    };
  }
}
