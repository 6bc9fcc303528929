/**
 * Serf queries (gossip-wire.md §7.7): the receiving side (query clock,
 * dedupe ring, filters) and the querying side (collecting acks and
 * responses until the deadline).
 *
 * Tag filters are serf's Go RE2 expressions, evaluated here with JavaScript
 * `RegExp` (unanchored, like Go). The two agree on ordinary patterns
 * (`web.*`, `^db-[0-9]+$`, classes, alternation); RE2-only syntax such as
 * `(?P<name>…)` or `\C` fails to compile here and the filter then does not
 * match, so the query is not processed.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import { LamportClock } from "./lamport_clock.ts";

/** Query flag bit: the querier wants an ack. */
export const QUERY_FLAG_ACK = 1;
/** Query flag bit: do not re-gossip the query. */
export const QUERY_FLAG_NO_BROADCAST = 2;

/** A decoded query filter: node names (type 0) or a tag regex (type 1). */
export type QueryFilter =
  | { readonly type: "nodes"; readonly nodes: readonly string[] }
  | { readonly type: "tag"; readonly tag: string; readonly expr: string }
  | { readonly type: "unknown" };

/** The fields of a received query that the inbox looks at. */
export interface InboundQuery {
  readonly lTime: number;
  readonly id: number;
  readonly flags: number;
  readonly filters: readonly QueryFilter[];
}

/** What to do with a received query. */
export interface InboxVerdict {
  /** Re-gossip it. */
  readonly rebroadcast: boolean;
  /** Filters passed and it is new: ack if asked and hand it to the handler. */
  readonly process: boolean;
}

/**
 * Tells whether a member passes every filter.
 *
 * @param filters The query's filters.
 * @param name Our member name.
 * @param tags Our tags.
 * @returns `true` when all filters pass (no filters pass trivially).
 */
export function matchesFilters(
  filters: readonly QueryFilter[],
  name: string,
  tags: Readonly<Record<string, string>>,
): boolean {
  for (const f of filters) {
    if (f.type === "nodes" && !f.nodes.includes(name)) return false;
    if (f.type === "unknown") return false;
    if (f.type === "tag") {
      let re: RegExp;
      try {
        re = new RegExp(f.expr);
      } catch {
        return false; // serf drops a query whose expression does not compile
      }
      if (!re.test(tags[f.tag] ?? "")) return false;
    }
  }
  return true;
}

/**
 * The query clock and the (LTime slot, ID) dedupe ring of received queries.
 *
 * @example
 * ```ts
 * import { QueryInbox } from "./queries.ts";
 * const inbox = new QueryInbox(512);
 * const q = { lTime: 2, id: 7, flags: 0, filters: [] };
 * inbox.receive(q, "me", {}).process; // true
 * inbox.receive(q, "me", {}).process; // false: duplicate
 * ```
 */
export class QueryInbox {
  /** The query clock. */
  readonly clock: LamportClock = new LamportClock();
  #slots: ({ lTime: number; ids: number[] } | null)[];
  #minTime = 0;

  /**
   * Creates an inbox.
   *
   * @param size Dedupe slots (serf: 512).
   * @throws {RangeError} When `size` is not a positive integer.
   */
  constructor(size: number) {
    if (!Number.isInteger(size) || size <= 0) {
      throw new RangeError(`Cannot create a query buffer of "${size}" slots: must be positive`);
    }
    this.#slots = new Array(size).fill(null);
  }

  /**
   * Raises the minimum query time (ignored below it).
   *
   * @param t The new minimum.
   */
  raiseMinTime(t: number): void {
    if (t > this.#minTime) this.#minTime = t;
  }

  /**
   * Records a query and decides what to do with it.
   *
   * @param q The received query.
   * @param name Our member name, for node filters.
   * @param tags Our tags, for tag filters.
   * @returns Whether to re-gossip and whether to process it.
   */
  receive(q: InboundQuery, name: string, tags: Readonly<Record<string, string>>): InboxVerdict {
    this.clock.witness(q.lTime);
    const stale = { rebroadcast: false, process: false };
    if (q.lTime < this.#minTime) return stale;
    const size = this.#slots.length;
    const now = this.clock.time();
    if (now > size && q.lTime < now - size) return stale;
    const index = q.lTime % size;
    const slot = this.#slots[index];
    if (slot !== null && slot.lTime === q.lTime) {
      if (slot.ids.includes(q.id)) return stale;
      slot.ids.push(q.id);
    } else {
      this.#slots[index] = { lTime: q.lTime, ids: [q.id] };
    }
    const rebroadcast = (q.flags & QUERY_FLAG_NO_BROADCAST) === 0;
    return { rebroadcast, process: matchesFilters(q.filters, name, tags) };
  }
}

/** One response to a query we sent. */
export interface QueryResponse {
  /** The responding member. */
  readonly from: string;
  /** Its payload. */
  readonly payload: Uint8Array;
}

/** Everything collected for one query until its deadline. */
export interface QueryResult {
  /** Members that acknowledged (only when an ack was requested), in arrival order. */
  readonly acks: readonly string[];
  /** Responses, one per member at most, in arrival order. */
  readonly responses: readonly QueryResponse[];
}

/** A query response or ack as decoded from the wire. */
export interface InboundResponse {
  readonly lTime: number;
  readonly id: number;
  readonly from: string;
  /** 1 = ack, 0 = response. */
  readonly flags: number;
  readonly payload: Uint8Array;
}

interface Collector {
  readonly id: number;
  readonly acks: string[];
  readonly responses: QueryResponse[];
  readonly seen: Set<string>;
  readonly done: (r: QueryResult) => void;
  readonly onResponse?: (r: QueryResponse) => void;
}

/** Queries we sent that are still collecting, keyed by LTime. */
export class PendingQueries {
  #clock: Clock;
  #open = new Map<number, Collector>();
  #cancels = new Set<() => void>();

  /**
   * Creates the registry of open queries.
   *
   * @param clock Timers for the deadlines.
   */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * Opens a collector that resolves at `timeoutMs` with what arrived.
   *
   * @param lTime The query's LTime.
   * @param id The query's ID.
   * @param timeoutMs How long to collect.
   * @param onResponse Optional callback per response, as it arrives.
   * @returns The result at the deadline.
   */
  open(
    lTime: number,
    id: number,
    timeoutMs: number,
    onResponse?: (r: QueryResponse) => void,
  ): Promise<QueryResult> {
    return new Promise((resolve) => {
      const c: Collector = {
        id,
        acks: [],
        responses: [],
        seen: new Set(),
        done: resolve,
        onResponse,
      };
      this.#open.set(lTime, c);
      const cancel = this.#clock.setTimer(timeoutMs, () => {
        this.#cancels.delete(cancel);
        this.#finish(lTime, c);
      });
      this.#cancels.add(cancel);
    });
  }

  /**
   * Records an ack or a response; duplicates per sender and unknown or
   * finished queries are ignored.
   *
   * @param r The response.
   * @returns `true` when it was recorded.
   */
  record(r: InboundResponse): boolean {
    const c = this.#open.get(r.lTime);
    if (c === undefined || c.id !== r.id) return false;
    if ((r.flags & QUERY_FLAG_ACK) !== 0) {
      if (c.acks.includes(r.from)) return false;
      c.acks.push(r.from);
      return true;
    }
    if (c.seen.has(r.from)) return false;
    c.seen.add(r.from);
    const response = { from: r.from, payload: r.payload };
    c.responses.push(response);
    c.onResponse?.(response);
    return true;
  }

  /** Resolves every open query now with what it has (used at shutdown). */
  closeAll(): void {
    for (const cancel of this.#cancels) cancel();
    this.#cancels.clear();
    for (const [lTime, c] of [...this.#open]) this.#finish(lTime, c);
  }

  #finish(lTime: number, c: Collector): void {
    if (this.#open.get(lTime) === c) this.#open.delete(lTime);
    c.done({ acks: [...c.acks], responses: [...c.responses] });
  }
}
