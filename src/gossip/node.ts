/**
 * `MemberlistNode`: the driver that runs the memberlist core on a
 * {@link Transport}. It decodes packets and streams with the wire codecs,
 * feeds them to the core, and performs the core's effects (encode, encrypt,
 * send; dial push-pull and TCP pings), counting what it drops.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import { type Clock, systemClock } from "../clock.ts";
import { type Logger, noopLogger } from "../logger.ts";
import { parseHostPort } from "../net_addr.ts";
import type { MemberlistDelegate, NodeRecord } from "./delegate.ts";
import { ipToBytes } from "./ip_bytes.ts";
import type { Keyring } from "./keyring.ts";
import type { MemberlistConfig } from "./memberlist_config.ts";
import { type MemberlistStats, NodeIo } from "./node_io.ts";
import { parseJoinAddress } from "./push_pull.ts";
import { StreamExchange } from "./stream_exchange.ts";
import { Memberlist } from "./swim.ts";
import type { Transport } from "./transport.ts";
import { ENCRYPTION_OVERHEAD_V1, LABEL_HEADER_OVERHEAD, MessageType } from "./wire_constants.ts";

/** Options of {@link MemberlistNode}. */
export interface MemberlistNodeOptions {
  /** The network; the node closes it on `close()`. */
  readonly transport: Transport;
  /** Resolved settings (see `resolveMemberlistConfig`). */
  readonly config: MemberlistConfig;
  /** The layer above (serf). */
  readonly delegate: MemberlistDelegate;
  /** Time source. @default systemClock */
  readonly clock?: Clock;
  /** Uniform `[0, 1)` source. @default Math.random */
  readonly random?: () => number;
  /** Where to log. @default noopLogger */
  readonly logger?: Logger;
  /** Encrypt everything with this keyring's primary key. @default none */
  readonly keyring?: Keyring;
  /** Packet and stream label. @default "" (none) */
  readonly label?: string;
}

export type { MemberlistStats } from "./node_io.ts";

/**
 * A memberlist member on a transport.
 *
 * @example
 * ```ts ignore
 * const node = new MemberlistNode({ transport, config, delegate });
 * node.start();
 * await node.join(["127.0.0.1:7946"]);
 * await node.leave(5000);
 * await node.close();
 * ```
 */
export class MemberlistNode {
  #o: MemberlistNodeOptions;
  #clock: Clock;
  #logger: Logger;
  #core: Memberlist;
  #io: NodeIo;
  #exchange: StreamExchange;
  #advertisePort: number;
  #started = false;
  #closed = false;

  /**
   * Builds the node; call {@link start} to begin.
   *
   * @param options Transport, settings, delegate and optional clock, randomness, keyring, label.
   * @throws {TypeError} When the advertised address is not an IP literal with a port.
   */
  constructor(options: MemberlistNodeOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#logger = (options.logger ?? noopLogger).child("memberlist");
    const adv = parseHostPort(options.config.advertiseAddr || options.transport.localAddr);
    if (adv.host === "" || adv.host === "0.0.0.0" || adv.host === "::") {
      throw new TypeError(`Cannot advertise "${adv.host}:${adv.port}": set an IP to advertise`);
    }
    this.#advertisePort = adv.port;
    const label = options.label ?? "";
    const overhead = (label ? LABEL_HEADER_OVERHEAD + new TextEncoder().encode(label).length : 0) +
      (options.keyring ? ENCRYPTION_OVERHEAD_V1 : 0);
    this.#io = new NodeIo({
      transport: options.transport,
      clock: this.#clock,
      logger: this.#logger,
      compress: options.config.enableCompression,
      keyring: options.keyring,
      label,
    });
    this.#core = new Memberlist({
      config: options.config,
      clock: this.#clock,
      random: options.random ?? Math.random,
      logger: this.#logger,
      delegate: options.delegate,
      advertise: { addr: ipToBytes(adv.host), port: adv.port },
      packetOverhead: overhead,
      effects: {
        sendPacket: (to, parts, crc) => this.#io.track(this.#io.send(to, parts, crc)),
        pushPull: (to) =>
          this.#io.track(this.#pushPull(to, false).catch((e) => this.#io.dropStream(e))),
        tcpPing: (to, ping, ms) =>
          this.#io.track(
            this.#exchange.tcpPing(to, ping, ms).then((ok) =>
              this.#core.tcpPingResult(ping.seqNo, ok)
            ),
          ),
      },
    });
    this.#exchange = this.#makeExchange(label);
  }

  /** The protocol core (for tests and diagnostics). */
  get core(): Memberlist {
    return this.#core;
  }

  /**
   * Announces the local member and starts the packet and stream loops.
   *
   * @throws {RegistryError} `TAGS_TOO_LARGE` when the delegate's meta exceeds 512 bytes.
   */
  start(): void {
    if (this.#started) return;
    this.#core.start();
    this.#started = true;
    this.#io.start({
      onMessage: (from, msg) => this.#core.handleMessage(from, msg),
      onStream: (s) => this.#exchange.serve(s),
    });
  }

  /**
   * Joins through push-pull exchanges (`Join=true`) with each address; after
   * a success, schedules `joinSyncPushPulls` extra push-pulls, the last with
   * the first address that answered (the core's `syncAfterJoin`).
   *
   * @param addresses `[name/]host[:port]` entries; the port defaults to ours.
   * @returns How many exchanges succeeded.
   * @throws {RegistryError} `JOIN_FAILED` when none did (the cause is the last error).
   * @throws {TypeError} Before {@link start}.
   */
  async join(addresses: readonly string[]): Promise<number> {
    if (!this.#started) throw new TypeError("Cannot join: call start() first");
    let ok = 0;
    let last: unknown;
    let via = "";
    for (const text of addresses) {
      try {
        const { addr } = parseJoinAddress(text, this.#advertisePort);
        await this.#pushPull(addr, true);
        if (ok++ === 0) via = addr;
      } catch (e) {
        last = e;
        this.#logger.debug("Join attempt failed", { addr: text, error: String(e) });
      }
    }
    if (ok === 0) {
      throw new RegistryError(
        "JOIN_FAILED",
        `Cannot join "${addresses.join(",")}": no member answered`,
        {
          cause: last,
        },
      );
    }
    this.#core.syncAfterJoin(via);
    return ok;
  }

  /**
   * Leaves gracefully: gossips `dead{self, From: self}` and waits until it is
   * fully retransmitted (only if another member is alive). Keeps answering
   * pings until {@link close}.
   *
   * @param timeoutMs The longest wait.
   * @throws {RegistryError} `LEAVE_TIMEOUT` when the broadcast did not finish in time.
   */
  async leave(timeoutMs: number): Promise<void> {
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => resolveDone = r);
    if (!this.#core.leave(() => resolveDone())) return;
    if (!await this.#within(done, timeoutMs)) {
      throw new RegistryError("LEAVE_TIMEOUT", `Cannot finish leaving within "${timeoutMs}" ms`);
    }
  }

  /** Runs one gossip round now (queued broadcasts go out without waiting for the tick). */
  gossipNow(): void {
    this.#core.gossipNow();
  }

  /**
   * Re-reads `delegate.nodeMeta()` and gossips it with a higher incarnation;
   * waits until retransmitted or `broadcastTimeoutMs` passes.
   *
   * @returns When the broadcast finished or the wait ran out.
   * @throws {RegistryError} `TAGS_TOO_LARGE` when the new meta exceeds 512 bytes.
   */
  async updateMeta(): Promise<void> {
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => resolveDone = r);
    if (!this.#core.updateMeta(() => resolveDone())) return;
    await this.#within(done, this.#o.config.broadcastTimeoutMs);
  }

  /**
   * Sends a user message straight to `addr` over UDP (no CRC, no piggy-backing).
   *
   * @param addr `host:port`.
   * @param payload The delegate's bytes (serf: one serf message).
   * @returns When the datagram was handed to the transport.
   */
  async sendUserPacket(addr: string, payload: Uint8Array): Promise<void> {
    const msg = new Uint8Array(payload.length + 1);
    msg[0] = MessageType.USER;
    msg.set(payload, 1);
    await this.#io.send(addr, [msg], false);
  }

  /**
   * Every member the node knows (any state), itself included.
   *
   * @returns Snapshots.
   */
  nodes(): NodeRecord[] {
    return this.#core.nodes();
  }

  /**
   * The local member.
   *
   * @returns Its snapshot.
   * @throws {RangeError} Before {@link start}.
   */
  localNode(): NodeRecord {
    return this.#core.localNode();
  }

  /**
   * Alive members, this one included.
   *
   * @returns The count.
   */
  numAliveNodes(): number {
    return this.#core.numAliveNodes();
  }

  /**
   * A copy of the traffic counters.
   *
   * @returns Counters and drops by reason.
   */
  stats(): MemberlistStats {
    const stats = this.#io.stats;
    return { ...stats, dropped: { ...stats.dropped } };
  }

  /** Stops the protocol, closes the transport and waits for the loops. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#core.stop();
    await this.#io.close();
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #makeExchange(label: string): StreamExchange {
    return new StreamExchange({
      transport: this.#o.transport,
      clock: this.#clock,
      core: this.#core,
      config: this.#o.config,
      delegate: this.#o.delegate,
      logger: this.#logger,
      keyring: this.#o.keyring,
      label,
      drop: (reason) => this.#io.drop(reason),
    });
  }

  #pushPull(addr: string, join: boolean): Promise<void> {
    this.#io.stats.streamsDialed++;
    return this.#exchange.pushPull(addr, join);
  }

  /** Resolves `true` if `p` settles within `ms` on the node's clock, else `false`. */
  #within(p: Promise<void>, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const cancel = this.#clock.setTimer(ms, () => resolve(false));
      p.then(() => {
        cancel();
        resolve(true);
      });
    });
  }
}
