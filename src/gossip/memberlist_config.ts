/**
 * memberlist (SWIM + Lifeguard) settings: every field documented, the LAN and
 * local presets of gossip-wire.md §6.1, a fast preset for tests, and
 * {@link resolveMemberlistConfig} which fills defaults and validates.
 *
 * @module
 */
import type { Vsn } from "./messages.ts";
import { DEFAULT_VSN, UDP_BUFFER_SIZE } from "./wire_constants.ts";

/** Protocol timings and limits; a preset fills all of them. */
export interface MemberlistTimings {
  /** Time between probes of one member; shorter finds failures sooner but sends more pings. */
  readonly probeIntervalMs: number;
  /** How long to wait for a direct ack before probing indirectly; must exceed a round trip. */
  readonly probeTimeoutMs: number;
  /** How many members are asked to probe indirectly; more tolerates lossy paths at more traffic. */
  readonly indirectChecks: number;
  /** Time between gossip rounds; shorter spreads news faster at more packets. */
  readonly gossipIntervalMs: number;
  /** How many random members each gossip round sends to (fanout). */
  readonly gossipNodes: number;
  /** How long dead or left members still receive gossip and stay in the table before purging. */
  readonly gossipToTheDeadTimeMs: number;
  /** Retransmit limit factor: each broadcast goes out `mult × ceil(log10(n+1))` times. */
  readonly retransmitMult: number;
  /** Suspicion timeout factor (Lifeguard minimum); higher means fewer false failures, slower detection. */
  readonly suspicionMult: number;
  /** The longest suspicion timeout as a multiple of the minimum (Lifeguard maximum). */
  readonly suspicionMaxTimeoutMult: number;
  /** Time between periodic full-state exchanges (0 disables); scaled up above 32 members. */
  readonly pushPullIntervalMs: number;
  /**
   * Extra push-pulls after each successful join, at about 0.5, 1, 2, … probe
   * intervals, the last with the member joined through, the others with random
   * alive members (0 disables); closes the gaps that bandwidth-bound gossip
   * leaves in large clusters within seconds instead of a push-pull interval,
   * at a burst of full-state TCP exchanges right after joining (and one more
   * exchange per joiner for the seed).
   */
  readonly joinSyncPushPulls: number;
  /** Deadline for every stream (push-pull, TCP ping, user stream). */
  readonly tcpTimeoutMs: number;
  /** Upper bound of the local health multiplier (Lifeguard); 1 disables awareness. */
  readonly awarenessMaxMultiplier: number;
  /** Turns off the TCP fallback ping; only for networks where TCP is filtered. */
  readonly disableTcpPings: boolean;
  /** LZW-compress outgoing packets when it shrinks them, and every outgoing stream. */
  readonly enableCompression: boolean;
  /** Byte budget of one outgoing gossip packet, wrappers included (Go: 1400). */
  readonly udpBufferSize: number;
  /** How long a dead member's name stays bound to its address (0: until purged). */
  readonly deadNodeReclaimTimeMs: number;
  /** How long `updateMeta()` waits for its broadcast to be fully retransmitted. */
  readonly broadcastTimeoutMs: number;
  /** At most this many push-pull exchanges run at once (Go: 128). */
  readonly maxConcurrentPushPulls: number;
}

/** The complete configuration of one memberlist node. */
export interface MemberlistConfig extends MemberlistTimings {
  /** Unique member name; other members refuse the same name at another address. */
  readonly name: string;
  /** Advertised `host:port` (an IP literal); `""` means the transport's local address. */
  readonly advertiseAddr: string;
  /** `[PMin, PMax, PCur, DMin, DMax, DCur]` we advertise; DCur is the serf protocol. */
  readonly vsn: Vsn;
}

/** What callers pass: a name, plus any fields that differ from the preset. */
export type MemberlistConfigInput = Partial<MemberlistConfig> & { readonly name: string };

/** memberlist `DefaultLANConfig` (the `serf agent` default profile). */
export const LAN_PRESET: MemberlistTimings = Object.freeze({
  probeIntervalMs: 1000,
  probeTimeoutMs: 500,
  indirectChecks: 3,
  gossipIntervalMs: 200,
  gossipNodes: 3,
  gossipToTheDeadTimeMs: 30_000,
  retransmitMult: 4,
  suspicionMult: 4,
  suspicionMaxTimeoutMult: 6,
  pushPullIntervalMs: 30_000,
  joinSyncPushPulls: 3,
  tcpTimeoutMs: 10_000,
  awarenessMaxMultiplier: 8,
  disableTcpPings: false,
  enableCompression: true,
  udpBufferSize: UDP_BUFFER_SIZE,
  deadNodeReclaimTimeMs: 0,
  broadcastTimeoutMs: 5000,
  maxConcurrentPushPulls: 128,
});

/** memberlist `DefaultLocalConfig`: loopback or one host. */
export const LOCAL_PRESET: MemberlistTimings = Object.freeze({
  ...LAN_PRESET,
  probeIntervalMs: 1000,
  probeTimeoutMs: 200,
  indirectChecks: 1,
  gossipIntervalMs: 100,
  gossipToTheDeadTimeMs: 15_000,
  retransmitMult: 2,
  suspicionMult: 3,
  pushPullIntervalMs: 15_000,
  tcpTimeoutMs: 1000,
});

/** A fast preset for tests on loopback or the in-memory network (not for production). */
export const FAST_PRESET: MemberlistTimings = Object.freeze({
  ...LAN_PRESET,
  probeIntervalMs: 100,
  probeTimeoutMs: 50,
  indirectChecks: 3,
  gossipIntervalMs: 20,
  gossipToTheDeadTimeMs: 3000,
  pushPullIntervalMs: 2000,
  tcpTimeoutMs: 500,
  broadcastTimeoutMs: 1000,
});

const POSITIVE_FIELDS = [
  "probeIntervalMs",
  "probeTimeoutMs",
  "gossipIntervalMs",
  "gossipToTheDeadTimeMs",
  "retransmitMult",
  "suspicionMult",
  "suspicionMaxTimeoutMult",
  "tcpTimeoutMs",
  "awarenessMaxMultiplier",
  "udpBufferSize",
  "broadcastTimeoutMs",
  "maxConcurrentPushPulls",
] as const;

const NON_NEGATIVE_FIELDS = [
  "indirectChecks",
  "gossipNodes",
  "pushPullIntervalMs",
  "joinSyncPushPulls",
  "deadNodeReclaimTimeMs",
] as const;

/**
 * Fills defaults from a preset and validates the result.
 *
 * @param input The node name plus fields that differ from the preset.
 * @param preset The timings to start from.
 * @returns A complete, frozen configuration.
 * @throws {TypeError} When the name is empty or a field has the wrong type.
 * @throws {RangeError} When a number is out of range or the Vsn is invalid.
 * @example
 * ```ts
 * import { LOCAL_PRESET, resolveMemberlistConfig } from "./memberlist_config.ts";
 * const config = resolveMemberlistConfig({ name: "a" }, LOCAL_PRESET);
 * config.probeTimeoutMs; // 200
 * ```
 */
export function resolveMemberlistConfig(
  input: MemberlistConfigInput,
  preset: MemberlistTimings = LAN_PRESET,
): MemberlistConfig {
  const config: MemberlistConfig = {
    ...preset,
    advertiseAddr: "",
    vsn: DEFAULT_VSN,
    ...stripUndefined(input),
  };
  if (typeof config.name !== "string" || config.name === "") {
    throw new TypeError("Cannot configure memberlist: name is empty");
  }
  for (const key of POSITIVE_FIELDS) checkNumber(key, config[key], 1);
  for (const key of NON_NEGATIVE_FIELDS) checkNumber(key, config[key], 0);
  checkVsn(config.vsn);
  return Object.freeze({ ...config, vsn: Object.freeze([...config.vsn]) as unknown as Vsn });
}

function stripUndefined(input: MemberlistConfigInput): MemberlistConfigInput {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined) out[k] = v;
  return out as unknown as MemberlistConfigInput;
}

function checkNumber(key: string, value: unknown, min: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(`Cannot configure memberlist: "${key}" is not a number`);
  }
  if (value < min) {
    throw new RangeError(`Cannot configure memberlist: "${key}" is "${value}", below "${min}"`);
  }
}

function checkVsn(vsn: Vsn): void {
  const ok = Array.isArray(vsn) && vsn.length === 6 &&
    vsn.every((v) => Number.isInteger(v) && v >= 0 && v <= 255) &&
    vsn[0] <= vsn[1] && vsn[0] > 0 && vsn[3] <= vsn[4] &&
    vsn[2] >= vsn[0] && vsn[2] <= vsn[1] && vsn[5] >= vsn[3] && vsn[5] <= vsn[4];
  if (!ok) throw new RangeError(`Cannot configure memberlist: Vsn "${vsn}" is invalid`);
}
