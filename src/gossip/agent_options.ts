/**
 * Options of a `GossipAgent`: who it is, where it listens, how it
 * gossips, and the injected clock, randomness and transport tests use.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import type { SerfConfig } from "./serf_config.ts";
import type { QueryHandler } from "./serf_queries.ts";
import type { Transport } from "./transport.ts";

/** Timing presets: memberlist LAN/local defaults, or a fast one for tests on loopback. */
export type GossipProfile = "lan" | "local" | "fast";

/** Options of `GossipAgent.start`. */
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
