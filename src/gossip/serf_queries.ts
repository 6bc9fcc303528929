/**
 * Serf's query engine: builds outgoing queries, processes received ones
 * (ack, internal answers, the application handler, relays) and collects the
 * answers to ours (gossip-wire.md §7.7, §7.9). The broadcast queueing stays
 * in `serf.ts`.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import { addrString, ipToBytes } from "./ip_bytes.ts";
import { answerInternalQuery, CONFLICT_QUERY, isInternalQuery } from "./internal_queries.ts";
import type { Keyring } from "./keyring.ts";
import type { LamportClock } from "./lamport_clock.ts";
import {
  type PendingQueries,
  QUERY_FLAG_ACK,
  type QueryFilter,
  type QueryInbox,
  type QueryResult,
} from "./queries.ts";
import { defaultQueryTimeoutMs, type SerfConfig } from "./serf_config.ts";
import type { MemberTable } from "./serf_members.ts";
import {
  decodeFilter,
  decodeSerfMessage,
  encodeNodeFilter,
  encodeSerfMessage,
  encodeTagFilter,
  type SerfMessage,
} from "./serf_messages.ts";
import type { SerfHost } from "./serf.ts";

/** A query as the application handler sees it. */
export interface ReceivedQuery {
  /** Query name. */
  readonly name: string;
  /** Query payload. */
  readonly payload: Uint8Array;
  /** The querier's member name. */
  readonly from: string;
  /** The query's LTime. */
  readonly lTime: number;
}

/**
 * Answers an application query: return the response payload (≤ ~1000 bytes)
 * or `undefined` for no response. Runs off the protocol loop; a late answer
 * (after the query's timeout) is dropped.
 */
export type QueryHandler = (
  query: ReceivedQuery,
) => Uint8Array | undefined | Promise<Uint8Array | undefined>;

/** Options of an outgoing query. */
export interface SerfQueryOptions {
  /** How long to collect. @default GossipInterval × 16 × ceil(log10(n+1)) */
  readonly timeoutMs?: number;
  /** Only these members answer. */
  readonly filterNodes?: readonly string[];
  /** Only members whose tag matches the regex answer (tag → expression). */
  readonly filterTags?: Readonly<Record<string, string>>;
  /** Ask every processing member for an ack. @default false */
  readonly requestAck?: boolean;
  /** Extra relayed copies of each answer. @default 0 */
  readonly relayFactor?: number;
}

type QueryMsg = Extract<SerfMessage, { type: "query" }>;
type ResponseMsg = Extract<SerfMessage, { type: "queryResponse" }>;
type RelayMsg = Extract<SerfMessage, { type: "relay" }>;

/** Dependencies of {@link SerfQueries}. */
export interface SerfQueriesDeps {
  /** Our member name. */
  readonly name: string;
  /** Size limits and the default timeout factors. */
  readonly config: SerfConfig;
  /** Deadlines. */
  readonly clock: Clock;
  /** Query IDs and relay choices. */
  readonly random: () => number;
  /** Where to log. */
  readonly logger: Logger;
  /** The query clock and dedupe ring. */
  readonly inbox: QueryInbox;
  /** Collectors of our own queries. */
  readonly pending: PendingQueries;
  /** Our current tags, for tag filters. */
  readonly tags: () => Readonly<Record<string, string>>;
  /** The member table (conflict answers, relay candidates, cluster size). */
  readonly members: MemberTable;
  /** The memberlist node, for direct UDP sends. */
  readonly host: () => SerfHost;
  /** The application's query handler. */
  readonly handler?: QueryHandler;
  /** The keyring, for key queries. */
  readonly keyring?: Keyring;
  /** Counts a statistic. */
  readonly count: (key: string) => void;
  /** Called when a name conflict is lost. */
  readonly onConflictLost?: () => void;
}

/** The query engine of one serf member. */
export class SerfQueries {
  readonly #d: SerfQueriesDeps;

  /**
   * Creates the engine.
   *
   * @param deps Shared serf state and callbacks.
   */
  constructor(deps: SerfQueriesDeps) {
    this.#d = deps;
  }

  /** The query clock. */
  get clock(): LamportClock {
    return this.#d.inbox.clock;
  }

  /**
   * Builds a query, opens its collector and processes it locally.
   *
   * @param name Query name.
   * @param payload Query payload.
   * @param options Timeout, filters, ack.
   * @returns The encoded query (to gossip) and the result promise.
   * @throws {RangeError} When the encoded query exceeds `querySizeLimit`.
   */
  send(
    name: string,
    payload: Uint8Array,
    options: SerfQueryOptions,
  ): { bytes: Uint8Array; result: Promise<QueryResult> } {
    const d = this.#d;
    const local = d.host().localNode();
    const filters: Uint8Array[] = [];
    if (options.filterNodes) filters.push(encodeNodeFilter([...options.filterNodes]));
    for (const [tag, expr] of Object.entries(options.filterTags ?? {})) {
      filters.push(encodeTagFilter(tag, expr));
    }
    const timeoutMs = options.timeoutMs ?? defaultQueryTimeoutMs(d.config, d.members.size);
    const msg: QueryMsg = {
      type: "query",
      lTime: this.clock.time(),
      id: Math.floor(d.random() * 0x7fffffff),
      addr: ipToBytes(local.ip),
      port: local.port,
      sourceNode: d.name,
      filters,
      flags: options.requestAck ? QUERY_FLAG_ACK : 0,
      relayFactor: options.relayFactor ?? 0,
      timeoutMs,
      name,
      payload,
    };
    const bytes = encodeSerfMessage(msg);
    if (bytes.length > d.config.querySizeLimit) {
      throw new RangeError(
        `Cannot send query "${name}": ${bytes.length} bytes exceed ${d.config.querySizeLimit}`,
      );
    }
    const result = d.pending.open(msg.lTime, msg.id, timeoutMs);
    this.receive(msg);
    return { bytes, result };
  }

  /**
   * Processes a received (or our own) query.
   *
   * @param q The query.
   * @returns Whether to re-gossip it.
   */
  receive(q: QueryMsg): boolean {
    const d = this.#d;
    const verdict = d.inbox.receive({ ...q, filters: q.filters.map(readFilter) }, d.name, d.tags());
    if (!verdict.process) return verdict.rebroadcast;
    d.count("serf_queries_processed");
    const deadline = d.clock.now() + q.timeoutMs;
    if ((q.flags & QUERY_FLAG_ACK) !== 0) this.#respond(q, QUERY_FLAG_ACK, new Uint8Array(0));
    const answer = isInternalQuery(q.name)
      ? answerInternalQuery(q.name, q.payload, {
        localName: d.name,
        lookup: (n) => d.members.get(n),
        keyring: d.keyring,
      })
      : d.handler?.({ name: q.name, payload: q.payload, from: q.sourceNode, lTime: q.lTime });
    Promise.resolve(answer).then((payload) => {
      if (payload === undefined) return;
      if (d.clock.now() > deadline) return void d.count("serf_query_answer_late");
      this.#respond(q, 0, payload);
    }).catch((err) => d.logger.warn("Query handler failed", { query: q.name, error: String(err) }));
    return verdict.rebroadcast;
  }

  /**
   * Records an ack or response to one of our queries.
   *
   * @param r The response.
   */
  record(r: ResponseMsg): void {
    if (!this.#d.pending.record(r)) this.#d.count("serf_query_response_ignored");
  }

  /**
   * Forwards a relayed message to its destination.
   *
   * @param r The relay message.
   */
  relay(r: RelayMsg): void {
    const to = addrString(r.destIp, r.destPort);
    this.#d.host().sendUserPacket(to, r.inner).catch((err) => {
      this.#d.logger.debug("Relay failed", { addr: to, error: String(err) });
    });
  }

  /**
   * Starts `_serf_conflict` about our own name; stops us when a majority of
   * answers does not show our address.
   *
   * @returns The query bytes to gossip.
   */
  resolveConflict(): Uint8Array {
    const d = this.#d;
    const local = d.host().localNode();
    const payload = new TextEncoder().encode(d.name);
    const { bytes, result } = this.send(CONFLICT_QUERY, payload, {});
    result.then(({ responses }) => {
      let total = 0;
      let ours = 0;
      for (const r of responses) {
        const m = safeDecode(r.payload);
        if (m?.type !== "conflictResponse" || m.member === null || m.member.name !== d.name) {
          continue;
        }
        total++;
        if (
          addrString(m.member.addr, m.member.port) === addrString(ipToBytes(local.ip), local.port)
        ) ours++;
      }
      if (ours >= Math.floor(total / 2) + 1 || total === 0) {
        d.logger.info("Name conflict resolved in our favour", {
          member: d.name,
          votes: ours,
          total,
        });
        return;
      }
      d.logger.error("Name conflict lost: shutting down", { member: d.name, votes: ours, total });
      d.onConflictLost?.();
    });
    return bytes;
  }

  /** Resolves every open query with what it has. */
  closeAll(): void {
    this.#d.pending.closeAll();
  }

  #respond(q: QueryMsg, flags: number, payload: Uint8Array): void {
    const d = this.#d;
    const r: ResponseMsg = {
      type: "queryResponse",
      lTime: q.lTime,
      id: q.id,
      from: d.name,
      flags,
      payload,
    };
    if (q.sourceNode === d.name) return this.record(r); // our own query: no round trip
    const bytes = encodeSerfMessage(r);
    if (bytes.length > d.config.queryResponseSizeLimit) {
      d.logger.warn("Query response too large", { query: q.name, size: bytes.length });
      return;
    }
    const to = addrString(q.addr, q.port);
    d.host().sendUserPacket(to, bytes).catch((err) => {
      d.logger.debug("Query response failed", { addr: to, error: String(err) });
    });
    this.#relayCopies(q, bytes);
  }

  #relayCopies(q: QueryMsg, bytes: Uint8Array): void {
    const d = this.#d;
    if (q.relayFactor <= 0) return;
    const peers = d.members.all().filter((m) =>
      m.status === "alive" && m.name !== d.name && m.vsn[1] >= 5
    );
    if (peers.length <= q.relayFactor) return;
    for (let i = 0; i < q.relayFactor; i++) {
      const [peer] = peers.splice(Math.floor(d.random() * peers.length), 1);
      const relay = encodeSerfMessage({
        type: "relay",
        destIp: q.addr,
        destPort: q.port,
        destName: q.sourceNode,
        inner: bytes,
      });
      d.host().sendUserPacket(addrString(ipToBytes(peer.ip), peer.port), relay).catch(() => {
        // best effort: the direct copy was already sent
      });
    }
  }
}

function readFilter(raw: Uint8Array): QueryFilter {
  try {
    return decodeFilter(raw);
  } catch {
    return { type: "unknown" }; // serf skips a query whose filter does not decode
  }
}

function safeDecode(bytes: Uint8Array): SerfMessage | undefined {
  try {
    return decodeSerfMessage(bytes);
  } catch {
    return undefined;
  }
}
