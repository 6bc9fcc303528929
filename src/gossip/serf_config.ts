/**
 * Serf-layer settings with serf's library defaults (gossip-wire.md §7.11).
 *
 * @module
 */

/** Every serf setting, in milliseconds where it is a duration. */
export interface SerfConfig {
  /** Serf (delegate) protocol we speak, DCur of our Vsn. @default 4 (Go library; `serf agent` uses 5) */
  readonly protocolVersion: number;
  /** Longest wait for a leave intent or tag update to be fully gossiped. @default 5000 */
  readonly broadcastTimeoutMs: number;
  /** Time spent still answering probes after leaving, so peers see `left`. @default 1000 */
  readonly leavePropagateDelayMs: number;
  /** How often failed and left members are checked for reaping. @default 15000 */
  readonly reapIntervalMs: number;
  /** How often a random failed member is retried; 0 disables. @default 30000 */
  readonly reconnectIntervalMs: number;
  /** A failed member is erased after this; longer keeps retrying it longer. @default 86400000 */
  readonly reconnectTimeoutMs: number;
  /** A left member stays as a tombstone this long; shorter forgets sooner. @default 86400000 */
  readonly tombstoneTimeoutMs: number;
  /** Buffered intents about unknown members expire after this. @default 300000 */
  readonly recentIntentTimeoutMs: number;
  /** Slots of the user event dedupe ring. @default 512 */
  readonly eventBuffer: number;
  /** Slots of the query dedupe ring. @default 512 */
  readonly queryBuffer: number;
  /** memberlist gossip interval, the unit of the default query timeout. @default 200 */
  readonly gossipIntervalMs: number;
  /** Default query timeout = gossipIntervalMs × this × ceil(log10(n+1)). @default 16 */
  readonly queryTimeoutMult: number;
  /** Largest encoded query. @default 1024 */
  readonly querySizeLimit: number;
  /** Largest encoded query response. @default 1024 */
  readonly queryResponseSizeLimit: number;
  /** Largest encoded user event (name + payload + framing). @default 512 */
  readonly userEventSizeLimit: number;
  /** Retransmissions per serf broadcast = this × ceil(log10(n+1)). @default 4 */
  readonly retransmitMult: number;
  /** Serf queues are pruned to this many messages; lower bounds memory. @default 4096 */
  readonly maxQueueDepth: number;
  /** A queue longer than this is logged as a warning. @default 128 */
  readonly queueDepthWarning: number;
  /** How often queue depths are checked. @default 30000 */
  readonly queueCheckIntervalMs: number;
  /** Run `_serf_conflict` when our name is claimed elsewhere. @default true */
  readonly enableNameConflictResolution: boolean;
}

/** Serf's library defaults (`serf.DefaultConfig()`, DCur 4 like werbenhu/registry). */
export const DEFAULT_SERF_CONFIG: SerfConfig = Object.freeze({
  protocolVersion: 4,
  broadcastTimeoutMs: 5_000,
  leavePropagateDelayMs: 1_000,
  reapIntervalMs: 15_000,
  reconnectIntervalMs: 30_000,
  reconnectTimeoutMs: 24 * 3_600_000,
  tombstoneTimeoutMs: 24 * 3_600_000,
  recentIntentTimeoutMs: 300_000,
  eventBuffer: 512,
  queryBuffer: 512,
  gossipIntervalMs: 200,
  queryTimeoutMult: 16,
  querySizeLimit: 1024,
  queryResponseSizeLimit: 1024,
  userEventSizeLimit: 512,
  retransmitMult: 4,
  maxQueueDepth: 4096,
  queueDepthWarning: 128,
  queueCheckIntervalMs: 30_000,
  enableNameConflictResolution: true,
});

const POSITIVE_KEYS = [
  "broadcastTimeoutMs",
  "reapIntervalMs",
  "reconnectTimeoutMs",
  "tombstoneTimeoutMs",
  "recentIntentTimeoutMs",
  "eventBuffer",
  "queryBuffer",
  "gossipIntervalMs",
  "queryTimeoutMult",
  "querySizeLimit",
  "queryResponseSizeLimit",
  "userEventSizeLimit",
  "retransmitMult",
  "maxQueueDepth",
  "queueDepthWarning",
  "queueCheckIntervalMs",
] as const;

/**
 * Fills defaults and validates a partial serf configuration.
 *
 * @param partial Settings to override.
 * @returns A complete, frozen configuration.
 * @throws {RangeError} When a value is out of range (protocol outside 2–5, a non-positive size or interval).
 * @example
 * ```ts
 * import { resolveSerfConfig } from "./serf_config.ts";
 * resolveSerfConfig({ tombstoneTimeoutMs: 1000 }).protocolVersion; // 4
 * ```
 */
export function resolveSerfConfig(partial: Partial<SerfConfig> = {}): SerfConfig {
  const config: SerfConfig = { ...DEFAULT_SERF_CONFIG, ...stripUndefined(partial) };
  const v = config.protocolVersion;
  if (!Number.isInteger(v) || v < 2 || v > 5) {
    throw new RangeError(`Cannot use serf protocol "${v}": supported versions are 2 to 5`);
  }
  for (const key of POSITIVE_KEYS) {
    if (!Number.isFinite(config[key]) || config[key] <= 0) {
      throw new RangeError(`Cannot use serf setting "${key}" = "${config[key]}": must be positive`);
    }
  }
  for (const key of ["leavePropagateDelayMs", "reconnectIntervalMs"] as const) {
    if (!Number.isFinite(config[key]) || config[key] < 0) {
      throw new RangeError(
        `Cannot use serf setting "${key}" = "${config[key]}": must be 0 or more`,
      );
    }
  }
  return Object.freeze(config);
}

function stripUndefined(partial: Partial<SerfConfig>): Partial<SerfConfig> {
  return Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
}

/**
 * The default query timeout for a cluster of `n` members (§7.7).
 *
 * @param config The serf configuration.
 * @param n Number of members.
 * @returns Milliseconds.
 */
export function defaultQueryTimeoutMs(config: SerfConfig, n: number): number {
  const scale = Math.max(1, Math.ceil(Math.log10(Math.max(1, n) + 1)));
  return config.gossipIntervalMs * config.queryTimeoutMult * scale;
}
