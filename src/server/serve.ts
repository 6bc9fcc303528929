/**
 * A registry node: gossip membership in `registry-group`, one ring per group
 * fed from the member event stream, and the RPC server answering queries.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import { GossipAgent } from "../gossip/agent.ts";
import { resolveAdvertiseAddr } from "../gossip/advertise_addr.ts";
import type { GossipEvent, GossipMember } from "../gossip/member.ts";
import type { Logger } from "../logger.ts";
import { formatHostPort, parseHostPort } from "../net_addr.ts";
import { RpcServer } from "../rpc/rpc_server.ts";
import { createHandlers } from "./handlers.ts";
import { RegistryState } from "./registry_state.ts";
import { RING_NAMES } from "./admission.ts";
import {
  openGossipWarning,
  registryNodeTags,
  type ResolvedServeOptions,
  resolveServeOptions,
  type ServeOptions,
} from "./serve_options.ts";
import { PeerRingCheck } from "./peer_ring_check.ts";

/** Longest pause between two join attempts. */
const MAX_JOIN_RETRY_MS = 30_000;

/**
 * A running registry node. Start it with {@link RegistryNode.start}; stop it
 * with {@link RegistryNode.shutdown} (graceful leave) or `close()`.
 */
export class RegistryNode implements AsyncDisposable {
  readonly #options: ResolvedServeOptions;
  readonly #logger: Logger;
  readonly #agent: GossipAgent;
  readonly #rpc: RpcServer;
  readonly #events: Promise<void>;
  readonly #subscription: ReturnType<GossipAgent["subscribe"]>;
  #joining: Promise<void> | undefined;
  #stopped = false;
  readonly #stop = new AbortController();
  #closing: Promise<void> | undefined;

  /** The registry state this node answers from. */
  readonly state: RegistryState;

  private constructor(
    options: ResolvedServeOptions,
    agent: GossipAgent,
    rpc: RpcServer,
    state: RegistryState,
  ) {
    this.#options = options;
    this.#logger = options.logger;
    this.#agent = agent;
    this.#rpc = rpc;
    this.state = state;
    this.#subscription = agent.subscribe();
    this.#events = this.#consume(new PeerRingCheck(options.id, options.ring, state, this.#logger));
  }

  /**
   * Starts the RPC listener and the gossip agent, then joins `registries` in
   * the background (the node answers `NOT_READY` until one join succeeded).
   *
   * @param options Node options; see {@link ServeOptions}.
   * @returns The running node.
   * @throws {TypeError|RangeError} On invalid options.
   * @throws {RegistryError} `ADDR_IN_USE` when the gossip or the RPC listen
   *   address is taken (the message names which and its flag).
   */
  static async start(options: ServeOptions): Promise<RegistryNode> {
    const resolved = resolveServeOptions(options);
    const state = new RegistryState({
      nodeId: resolved.id,
      ring: resolved.ring,
      logger: resolved.logger,
    });
    const rpcListen = listenAddr(resolved.addr);
    const rpc = await namingTakenAddr(
      "RPC",
      "-addr",
      rpcListen,
      () => RpcServer.listen(createHandlers(state), { addr: rpcListen, logger: resolved.logger }),
    );
    const gossipListen = listenAddr(resolved.bind);
    let agent: GossipAgent;
    try {
      agent = await namingTakenAddr(
        "gossip",
        "-bind",
        gossipListen,
        () =>
          GossipAgent.start({
            name: resolved.id,
            bindAddr: gossipListen,
            advertiseAddr: resolved.bindAdvertise,
            // The advertise host is known before binding, so peers never see an addr without a host.
            tags: registryNodeTags(resolved, rpc.addr, gossipHostGuess(resolved)),
            encryptKeys: [...resolved.encryptKeys],
            profile: resolved.profile,
            logger: resolved.logger,
          }),
      );
    } catch (e) {
      await rpc.close();
      throw e;
    }
    const node = new RegistryNode(resolved, agent, rpc, state);
    await node.#advertiseRpcAddr();
    node.#warnIfOpen();
    if (resolved.registries.length === 0) state.setReady(true);
    else node.#joining = node.#joinLoop();
    resolved.logger.info("Registry node started", {
      id: resolved.id,
      gossip: agent.advertiseAddr,
      rpc: rpc.addr,
      ring: RING_NAMES[resolved.ring],
    });
    return node;
  }

  /** The address the RPC server is bound to. */
  get rpcAddr(): string {
    return this.#rpc.addr;
  }

  /** The gossip address advertised to peers. */
  get gossipAddr(): string {
    return this.#agent.advertiseAddr;
  }

  /** Gossip members as this node sees them. */
  members(): GossipMember[] {
    return this.#agent.members();
  }

  /**
   * Leaves the cluster gracefully (peers see `left` at once), then closes
   * the RPC server and the gossip agent.
   */
  async shutdown(): Promise<void> {
    if (!this.#stopped) {
      this.#stopped = true;
      try {
        await this.#agent.leave();
      } catch (e) {
        this.#logger.warn("Graceful leave did not complete", { error: String(e) });
      }
    }
    await this.close();
  }

  /** Closes everything without leaving (peers will detect a failure). Idempotent. */
  close(): Promise<void> {
    this.#stopped = true;
    this.#stop.abort();
    this.#closing ??= (async () => {
      this.#subscription.close();
      await this.#rpc.close();
      await this.#agent.close();
      await this.#events;
      await this.#joining;
    })();
    return this.#closing;
  }

  /** Same as {@link RegistryNode.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #consume(check: PeerRingCheck): Promise<void> {
    for await (const event of this.#subscription) this.#apply(event, check);
  }

  #apply(event: GossipEvent, check: PeerRingCheck): void {
    if (event.type === "user") return;
    if (event.type === "snapshot") {
      for (const m of event.members) this.#applyMember(m, check);
    } else if (event.type === "reap") {
      this.state.removeMember(event.member.name);
    } else {
      this.#logMemberEvent(event.type, event.member);
      this.#applyMember(event.member, check);
    }
  }

  /**
   * Joins and departures at info level, as the Go registry logs them, plus
   * `leaving` (the moment a graceful leave takes the member out of every
   * ring); other churn (updates) at debug.
   */
  #logMemberEvent(type: string, member: GossipMember): void {
    const fields = {
      id: member.name,
      group: member.tags.group ?? "",
      addr: member.tags.addr ?? "",
    };
    if (type === "join") this.#logger.info("Member joined", fields);
    else if (INFO_MEMBER_EVENTS.has(type)) this.#logger.info(`Member ${type}`, fields);
    else this.#logger.debug(`Member ${type}`, fields);
  }

  #applyMember(member: GossipMember, check: PeerRingCheck): void {
    this.state.applyMember(member);
    check.observe(member);
  }

  /** Fills an empty RPC advertise host with the gossip advertise IP. */
  async #advertiseRpcAddr(): Promise<void> {
    const tags = registryNodeTags(this.#options, this.#rpc.addr, this.#agent.advertiseAddr);
    if (tags.addr !== this.#agent.localMember().tags.addr) await this.#agent.setTags(tags);
  }

  #warnIfOpen(): void {
    const warning = openGossipWarning(this.#options);
    if (warning) this.#logger.warn(warning, { bind: this.#options.bind });
  }

  async #joinLoop(): Promise<void> {
    let delay = this.#options.joinRetryMs;
    for (let attempt = 1; !this.#stopped; attempt++) {
      try {
        const n = await this.#agent.join([...this.#options.registries], { ignoreOld: true });
        this.state.setReady(true);
        this.#logger.info("Joined the cluster", {
          registries: this.#options.registries,
          joined: n,
        });
        return;
      } catch (e) {
        const message = e instanceof RegistryError ? e.message : String(e);
        this.#logger.warn("Cannot join the cluster yet; retrying", {
          attempt,
          error: message,
          retryMs: delay,
        });
      }
      await this.#pause(delay);
      delay = Math.min(delay * 2, MAX_JOIN_RETRY_MS);
    }
  }

  #pause(ms: number): Promise<void> {
    const signal = this.#stop.signal;
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(id);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const id = setTimeout(done, ms);
      signal.addEventListener("abort", done);
    });
  }
}

/** `:7370` → `0.0.0.0:7370` for listening. */
function listenAddr(text: string): string {
  const { host, port } = parseHostPort(text);
  return formatHostPort(host === "" ? "0.0.0.0" : host, port);
}

/** The gossip advertise address as the agent will choose it (its port may still be 0). */
function gossipHostGuess(options: ResolvedServeOptions): string {
  const bind = listenAddr(options.bind);
  return resolveAdvertiseAddr(bind, options.bindAdvertise, bind);
}

/** Member events besides `join` that are logged at info level. */
const INFO_MEMBER_EVENTS: ReadonlySet<string> = new Set(["leaving", "left", "failed"]);

/**
 * Runs `listen`; an address-in-use failure becomes an `ADDR_IN_USE`
 * {@link RegistryError} naming the listener and its flag.
 */
async function namingTakenAddr<T>(
  what: string,
  flag: string,
  addr: string,
  listen: () => T | Promise<T>,
): Promise<T> {
  try {
    return await listen();
  } catch (e) {
    if (!(e instanceof Deno.errors.AddrInUse)) throw e;
    throw new RegistryError(
      "ADDR_IN_USE",
      `Cannot listen for ${what} on "${addr}" (${flag}): address already in use`,
      { cause: e },
    );
  }
}
