/**
 * Builds the shared state of one serf member ({@link SerfCore}) from its
 * options: settings, member table, clocks, event ring, broadcast queues,
 * query engine and timers, all on the injected clock and randomness.
 *
 * @module
 */
import { noopLogger } from "../logger.ts";
import { LamportClock } from "./lamport_clock.ts";
import type { GossipEvent } from "./member.ts";
import { PendingQueries, QueryInbox } from "./queries.ts";
import { resolveSerfConfig } from "./serf_config.ts";
import type { SerfCore } from "./serf_dispatch.ts";
import { MemberTable } from "./serf_members.ts";
import type { SerfHost, SerfOptions } from "./serf_options.ts";
import { SerfQueries } from "./serf_queries.ts";
import { SerfQueues } from "./serf_queues.ts";
import { SerfTimers } from "./serf_timers.ts";
import { UserEventBuffer } from "./user_events.ts";

/** What the owner of a {@link SerfCore} provides to it. */
export interface SerfCoreHooks {
  /** Our current tags, for query tag filters. */
  readonly tags: () => Readonly<Record<string, string>>;
  /** The memberlist node (throws before attach). */
  readonly host: () => SerfHost;
  /** Whether we are alive (not leaving, left or shut down). */
  readonly isAlive: () => boolean;
  /** Delivers an event to the application. */
  readonly emit: (event: GossipEvent) => void;
  /** Counts a statistic. */
  readonly count: (key: string) => void;
}

/**
 * Creates the shared state of one serf member.
 *
 * @param options Name, settings, clock, randomness, logger, query handler,
 * keyring and conflict callback.
 * @param hooks What the owner provides: tags, host, liveness, events, counters.
 * @returns The core.
 * @throws {RangeError} For invalid settings.
 */
export function createSerfCore(options: SerfOptions, hooks: SerfCoreHooks): SerfCore {
  const config = resolveSerfConfig(options.config);
  const log = options.logger ?? noopLogger;
  const members = new MemberTable();
  const queries = new SerfQueries({
    name: options.name,
    config,
    clock: options.clock,
    random: options.random,
    logger: log,
    inbox: new QueryInbox(config.queryBuffer),
    pending: new PendingQueries(options.clock),
    tags: hooks.tags,
    members,
    host: hooks.host,
    handler: options.queryHandler,
    keyring: options.keyring,
    count: hooks.count,
    onConflictLost: options.onConflictShutdown,
  });
  return {
    name: options.name,
    config,
    clock: options.clock,
    log,
    members,
    memberClock: new LamportClock(),
    events: new UserEventBuffer(config.eventBuffer),
    queues: new SerfQueues(config.retransmitMult, () => members.size),
    queries,
    timers: new SerfTimers(options.clock),
    isAlive: hooks.isAlive,
    emit: hooks.emit,
    count: hooks.count,
  };
}
