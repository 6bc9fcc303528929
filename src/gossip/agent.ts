/**
 * The gossip agent: one serf member on a real (or injected) transport. This
 * is what the registry server and the register agent use; it speaks the
 * memberlist + serf protocol of HashiCorp's `serf agent` (gossip-wire.md).
 * UDP needs Deno's `--unstable-net`.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import { systemClock } from "../clock.ts";
import { type Logger, noopLogger } from "../logger.ts";
import { EventHub, type EventSubscription } from "./event_subscription.ts";
import { Keyring } from "./keyring.ts";
import type { GossipMember } from "./member.ts";
import type { GossipAgentOptions } from "./agent_options.ts";
import { hostOf, serfOptions, startMemberlistNode, whyNot } from "./agent_wiring.ts";
import type { MemberlistNode } from "./node.ts";
import type { QueryResult } from "./queries.ts";
import { Serf } from "./serf.ts";
import { UdpTcpTransport } from "./udp_tcp_transport.ts";

export type { GossipAgentOptions, GossipProfile } from "./agent_options.ts";
export type { EventSubscription } from "./event_subscription.ts";
export { resolveAdvertiseAddr } from "./advertise_addr.ts";
export type { QueryResult } from "./queries.ts";
export type { QueryHandler, ReceivedQuery } from "./serf_queries.ts";

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
    const keyring = options.encryptKeys?.length
      ? await Keyring.fromBase64(options.encryptKeys)
      : undefined;
    const hub = new EventHub(log);
    let shutdownRequested: () => void = () => {};
    const serf = new Serf({
      ...serfOptions(options),
      clock,
      random,
      logger: log,
      onEvent: (e) => hub.publish(e),
      keyring,
      onConflictShutdown: () => shutdownRequested(),
    });
    const transport = options.transport ?? await UdpTcpTransport.listen(options.bindAddr);
    const { node, advertise } = await startMemberlistNode(options, {
      transport,
      serf,
      clock,
      random,
      log,
      keyring,
    });
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
