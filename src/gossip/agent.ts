/**
 * The gossip agent: one serf member on a real (or injected) transport. This
 * is what the registry server and the register agent use; it speaks the
 * memberlist + serf protocol of HashiCorp's `serf agent` (gossip-wire.md).
 * UDP needs Deno's `--unstable-net`.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import { type Clock, systemClock } from "../clock.ts";
import { type Logger, noopLogger } from "../logger.ts";
import { resolveAdvertiseAddr } from "./advertise_addr.ts";
import { EventHub, type EventSubscription } from "./event_subscription.ts";
import { Keyring } from "./keyring.ts";
import type { GossipMember } from "./member.ts";
import {
  FAST_PRESET,
  LAN_PRESET,
  LOCAL_PRESET,
  type MemberlistTimings,
  resolveMemberlistConfig,
} from "./memberlist_config.ts";
import { MemberlistNode } from "./node.ts";
import type { QueryResult } from "./queries.ts";
import { Serf } from "./serf.ts";
import type { SerfHost, SerfOptions } from "./serf_options.ts";
import type { SerfConfig } from "./serf_config.ts";
import type { QueryHandler } from "./serf_queries.ts";
import type { Transport } from "./transport.ts";
import { UdpTcpTransport } from "./udp_tcp_transport.ts";

export type { EventSubscription } from "./event_subscription.ts";
export { resolveAdvertiseAddr } from "./advertise_addr.ts";
export type { QueryResult } from "./queries.ts";
export type { QueryHandler, ReceivedQuery } from "./serf_queries.ts";

/** Timing presets: memberlist LAN/local defaults, or a fast one for tests on loopback. */
export type GossipProfile = "lan" | "local" | "fast";

/** Options of {@link GossipAgent.start}. */
export interface GossipAgentOptions {
  /** Unique member name. */
  name: string;
  /** `host:port` to bind UDP and TCP; port 0 picks a free one (the bound port is advertised). */
  bindAddr: string;
  /** `host:port` or `host` to advertise. @default the bind host, or the first non-loopback IPv4 when binding every interface (127.0.0.1 if none) */
  advertiseAddr?: string;
  /** Serf tags (meta ≤ 512 bytes encoded). @default {} */
  tags?: Record<string, string>;
  /** Base64 AES keys, the first is primary (`serf agent -encrypt`). @default no encryption */
  encryptKeys?: string[];
  /** Timing preset; `fast` detects failures in about a second but costs more traffic. @default "lan" */
  profile?: GossipProfile;
  /** Serf protocol we advertise (DCur). @default 4, like the Go serf library */
  protocolVersion?: number;
  /** Where to log; the agent uses the `gossip` child. @default noopLogger */
  logger?: Logger;
  /** Answers application queries (internal `_serf_` queries are answered regardless). @default acks only */
  queryHandler?: QueryHandler;
  /** Serf settings overrides (tests shorten tombstone and reap timers). */
  serf?: Partial<SerfConfig>;
  /** Injected transport (tests: the memory network). @default UdpTcpTransport on `bindAddr` */
  transport?: Transport;
  /** Injected clock. @default systemClock */
  clock?: Clock;
  /** Injected randomness. @default Math.random */
  random?: () => number;
}

const PRESETS: Record<GossipProfile, MemberlistTimings> = {
  lan: LAN_PRESET,
  local: LOCAL_PRESET,
  fast: FAST_PRESET,
};

/**
 * One member of a serf-compatible gossip cluster.
 *
 * @example
 * ```ts ignore
 * import { GossipAgent } from "./agent.ts";
 * await using agent = await GossipAgent.start({ name: "a", bindAddr: "127.0.0.1:0" });
 * agent.members().length; // 1
 * ```
 */
export class GossipAgent implements AsyncDisposable {
  /** Our member name. */
  readonly name: string;
  /** The `ip:port` actually advertised. */
  readonly advertiseAddr: string;
  readonly #serf: Serf;
  readonly #node: MemberlistNode;
  readonly #hub: EventHub;
  readonly #log: Logger;
  #closed: Promise<void> | undefined;

  private constructor(
    name: string,
    advertise: string,
    serf: Serf,
    node: MemberlistNode,
    hub: EventHub,
    log: Logger,
  ) {
    this.name = name;
    this.advertiseAddr = advertise;
    this.#serf = serf;
    this.#node = node;
    this.#hub = hub;
    this.#log = log;
  }

  /**
   * Binds, starts probing and gossiping, and returns the running agent.
   *
   * @param options Name, addresses, tags, keys, timing.
   * @returns The agent, alone in its cluster until {@link GossipAgent.join}.
   * @throws {TypeError} For an empty name or an unparsable address.
   * @throws {RegistryError} `TAGS_TOO_LARGE` when the tags do not fit.
   */
  static async start(options: GossipAgentOptions): Promise<GossipAgent> {
    if (typeof options.name !== "string" || options.name === "") {
      throw new TypeError("Cannot start gossip agent: name is empty");
    }
    const log = (options.logger ?? noopLogger).child("gossip");
    const clock = options.clock ?? systemClock;
    const random = options.random ?? Math.random;
    const preset = PRESETS[options.profile ?? "lan"];
    const keyring = options.encryptKeys?.length
      ? await Keyring.fromBase64(options.encryptKeys)
      : undefined;
    const hub = new EventHub(log);
    let shutdownRequested: () => void = () => {};
    const serf = new Serf({
      ...serfOptions(options, preset),
      clock,
      random,
      logger: log,
      onEvent: (e) => hub.publish(e),
      keyring,
      onConflictShutdown: () => shutdownRequested(),
    });
    const transport = options.transport ?? await UdpTcpTransport.listen(options.bindAddr);
    let node: MemberlistNode;
    let advertise: string;
    try {
      advertise = resolveAdvertiseAddr(
        options.bindAddr,
        options.advertiseAddr,
        transport.localAddr,
      );
      const vsn = [1, 5, 2, 2, 5, options.protocolVersion ?? 4] as const;
      const config = resolveMemberlistConfig(
        { ...preset, name: options.name, advertiseAddr: advertise, vsn },
        preset,
      );
      node = new MemberlistNode({
        transport,
        clock,
        random,
        logger: log,
        config,
        delegate: serf,
        keyring,
      });
    } catch (err) {
      await transport.close(); // nothing else owns it yet
      throw err;
    }
    node.start();
    serf.attach(hostOf(node));
    const agent = new GossipAgent(options.name, advertise, serf, node, hub, log);
    shutdownRequested = () => void agent.close();
    log.info("Gossip agent started", { member: options.name, addr: advertise });
    return agent;
  }

  /**
   * Joins a cluster through any of `addrs`.
   *
   * @param addrs Seeds, `host:port` (or `name/host:port`).
   * @param options `ignoreOld`: skip user events sent before we joined (registry does).
   * @returns How many seeds answered.
   * @throws {RegistryError} `JOIN_FAILED` when none did; `CLOSED` after close.
   */
  async join(addrs: string[], options: { ignoreOld?: boolean } = {}): Promise<number> {
    this.#checkOpen("join");
    let n = 0;
    let cause: unknown;
    try {
      n = await this.#serf.join(addrs, options.ignoreOld ?? false);
    } catch (err) {
      cause = err;
    }
    if (n === 0) {
      throw new RegistryError(
        "JOIN_FAILED",
        `Cannot join cluster via "${addrs.join(",")}": no seed answered${whyNot(cause)}`,
        { cause },
      );
    }
    return n;
  }

  /**
   * Leaves gracefully (peers see `left`, not `failed`), then closes.
   *
   * @throws {RegistryError} `CLOSED` when already closed.
   */
  async leave(): Promise<void> {
    this.#checkOpen("leave");
    try {
      await this.#serf.leave();
    } finally {
      await this.close();
    }
  }

  /** Stops at once without leaving (peers will see `failed`); idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#serf.shutdown();
      await this.#node.close();
      this.#hub.closeAll();
      this.#log.info("Gossip agent closed", { member: this.name });
    })();
    return this.#closed;
  }

  /**
   * Every known member, ourselves included, any status.
   *
   * @returns Snapshots.
   */
  members(): GossipMember[] {
    return this.#serf.members();
  }

  /**
   * Our own member entry.
   *
   * @returns A snapshot.
   */
  localMember(): GossipMember {
    const self = this.#serf.members().find((m) => m.name === this.name);
    if (self === undefined) {
      throw new RegistryError("INTERNAL", `Cannot find local member "${this.name}"`);
    }
    return self;
  }

  /**
   * Replaces our tags and gossips them (peers see an `update`).
   *
   * @param tags New tags.
   * @throws {RegistryError} `TAGS_TOO_LARGE` past 512 bytes; `CLOSED` after close.
   */
  async setTags(tags: Record<string, string>): Promise<void> {
    this.#checkOpen("set tags");
    await this.#serf.setTags(tags);
  }

  /**
   * Sends a user event to every member (we receive it too).
   *
   * @param name Event name.
   * @param payload Payload; name + payload must stay under ~500 bytes.
   * @param options `coalesce`: receivers may merge same-name events.
   * @throws {RangeError} When too large. {RegistryError} `CLOSED` after close.
   */
  sendEvent(
    name: string,
    payload: Uint8Array,
    options: { coalesce?: boolean } = {},
  ): Promise<void> {
    try {
      this.#checkOpen("send event");
      this.#serf.sendEvent(name, payload, options.coalesce ?? false);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Sends a query and collects acks and responses until its timeout.
   *
   * @param name Query name.
   * @param payload Payload.
   * @param options Timeout, node and tag filters, ack request.
   * @returns The acks and responses.
   * @throws {RangeError} When too large. {RegistryError} `CLOSED` after close.
   */
  query(
    name: string,
    payload: Uint8Array,
    options: {
      timeoutMs?: number;
      filterNodes?: string[];
      filterTags?: Record<string, string>;
      requestAck?: boolean;
    } = {},
  ): Promise<QueryResult> {
    try {
      this.#checkOpen("query");
      return this.#serf.query(name, payload, options);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Subscribes to membership and user events: a `snapshot` first, then
   * every change in order. Each subscriber has its own unbounded queue.
   *
   * @returns The subscription; close it when done.
   */
  subscribe(): EventSubscription {
    return this.#hub.subscribe({ type: "snapshot", members: this.members() });
  }

  /**
   * Counters: dropped packets by reason, serf queue depths, subscriber backlog.
   *
   * @returns A fresh record.
   */
  stats(): Record<string, number> {
    const { dropped, ...traffic } = this.#node.stats();
    const out: Record<string, number> = { ...traffic, ...this.#serf.stats() };
    for (const [reason, n] of Object.entries(dropped)) out[`dropped_${reason}`] = n;
    out.subscriber_max_backlog = this.#hub.maxBacklog;
    return out;
  }

  /** Same as {@link GossipAgent.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #checkOpen(action: string): void {
    if (this.#closed !== undefined || this.#serf.state === "shutdown") {
      throw new RegistryError(
        "CLOSED",
        `Cannot ${action} on gossip agent "${this.name}": it is closed`,
      );
    }
  }
}

/** The memberlist operations serf uses, bound to one node. */
function hostOf(node: MemberlistNode): SerfHost {
  return {
    localNode: () => node.localNode(),
    sendUserPacket: (addr, bytes) => node.sendUserPacket(addr, bytes),
    join: (addrs) => node.join(addrs),
    leave: (ms) => node.leave(ms),
    updateMeta: () => node.updateMeta(),
    gossipNow: () => node.gossipNow(),
  };
}

/** The serf settings an agent's options imply. */
function serfOptions(
  options: GossipAgentOptions,
  preset: MemberlistTimings,
): Pick<SerfOptions, "name" | "tags" | "config" | "queryHandler"> {
  return {
    name: options.name,
    tags: options.tags,
    config: {
      protocolVersion: options.protocolVersion,
      gossipIntervalMs: preset.gossipIntervalMs,
      broadcastTimeoutMs: preset.broadcastTimeoutMs,
      ...options.serf,
    },
    queryHandler: options.queryHandler,
  };
}

/** The innermost cause of a failed join, as " (last error: ...)", or "". */
function whyNot(cause: unknown): string {
  let inner = cause;
  while (inner instanceof Error && inner.cause !== undefined) inner = inner.cause;
  return inner instanceof Error ? ` (last error: ${inner.message})` : "";
}
