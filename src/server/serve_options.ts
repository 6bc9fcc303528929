/**
 * The options of a registry node, with their defaults resolved and checked once.
 *
 * @module
 */
import type { Logger } from "../logger.ts";
import { noopLogger } from "../logger.ts";
import { formatHostPort, isBeyondLoopback, parseHostPort } from "../net_addr.ts";
import { REGISTRY_GROUP } from "../../lib/types.ts";
import { RING_NAMES, type StateRing } from "./admission.ts";

/** Ring algorithms a registry node can answer with. */
export type ServeRing = StateRing;

/** Options of a registry node; see {@link resolveServeOptions} for the defaults. */
export interface ServeOptions {
  /** Node id (gossip member name). Required. */
  readonly id: string;
  /** Gossip bind address. @default ":7370" (every interface) */
  readonly bind?: string;
  /** Gossip address advertised to peers. @default the bind address, with a real IP for an empty host */
  readonly bindAdvertise?: string;
  /** RPC (discovery) listen address. @default ":9800" */
  readonly addr?: string;
  /** RPC address clients are told to use (the `addr` tag). @default `addr`, its empty host filled with the gossip advertise IP */
  readonly advertise?: string;
  /** Gossip addresses to join; the node is ready only after one exchange succeeded. @default [] (ready at once) */
  readonly registries?: readonly string[];
  /** Serf keyring, base64, first is primary. @default [] (no encryption) */
  readonly encryptKeys?: readonly string[];
  /** Ring algorithm. `chash` gives the Go registry's answers. @default "default" */
  readonly ring?: ServeRing;
  /** Gossip timing profile: `lan` as serf, `local` detects failures faster on one host. @default "lan" */
  readonly profile?: "lan" | "local";
  /** Where log lines go. @default noopLogger */
  readonly logger?: Logger;
  /** First delay between join attempts; doubles up to 30 s. @default 1000 */
  readonly joinRetryMs?: number;
}

/** {@link ServeOptions} with every default filled in. */
export interface ResolvedServeOptions {
  /** Node id. */
  readonly id: string;
  /** Gossip bind address. */
  readonly bind: string;
  /** Gossip advertise address, when given. */
  readonly bindAdvertise: string | undefined;
  /** RPC listen address. */
  readonly addr: string;
  /** RPC advertise address, when given. */
  readonly advertise: string | undefined;
  /** Gossip addresses to join, blanks removed. */
  readonly registries: readonly string[];
  /** Serf keyring, primary first. */
  readonly encryptKeys: readonly string[];
  /** Ring algorithm. */
  readonly ring: ServeRing;
  /** Gossip timing profile. */
  readonly profile: "lan" | "local";
  /** Where log lines go. */
  readonly logger: Logger;
  /** First delay between join attempts. */
  readonly joinRetryMs: number;
}

/**
 * Fills defaults and validates.
 *
 * @param options Partial options.
 * @returns Complete, checked options.
 * @throws {TypeError} On an empty id or a malformed address.
 * @throws {RangeError} On an unknown ring or profile, or a non-positive retry delay.
 */
export function resolveServeOptions(options: ServeOptions): ResolvedServeOptions {
  if (options.id.trim() === "") throw new TypeError("Cannot start registry: id is empty");
  const resolved: ResolvedServeOptions = {
    id: options.id,
    bind: options.bind ?? ":7370",
    bindAdvertise: options.bindAdvertise || undefined,
    addr: options.addr ?? ":9800",
    advertise: options.advertise || undefined,
    registries: (options.registries ?? []).map((r) => r.trim()).filter((r) => r !== ""),
    encryptKeys: options.encryptKeys ?? [],
    ring: options.ring ?? "default",
    profile: options.profile ?? "lan",
    logger: options.logger ?? noopLogger,
    joinRetryMs: options.joinRetryMs ?? 1000,
  };
  for (const a of [resolved.bind, resolved.addr]) parseHostPort(a);
  if (resolved.bindAdvertise) {
    parseHostPort(resolved.bindAdvertise, parseHostPort(resolved.bind).port);
  }
  if (resolved.advertise) parseHostPort(resolved.advertise, parseHostPort(resolved.addr).port);
  for (const r of resolved.registries) parseHostPort(r, 7370);
  if (!Object.hasOwn(RING_NAMES, resolved.ring)) {
    throw new RangeError(`Cannot start registry: unknown ring "${resolved.ring}"`);
  }
  if (resolved.profile !== "lan" && resolved.profile !== "local") {
    throw new RangeError(`Cannot start registry: unknown profile "${resolved.profile}"`);
  }
  if (!(resolved.joinRetryMs > 0)) {
    throw new RangeError("Cannot start registry: joinRetryMs must be positive");
  }
  return resolved;
}

/** The Go registry's default `replicas` tag value. */
const DEFAULT_REPLICAS = "10000";

/**
 * The tags of a registry node: the Go registry's `group`, `addr` and
 * `replicas`, plus `ring`. An RPC advertise address with no host (`:9800`)
 * or a wildcard host gets the gossip advertise IP; port 0 gets the bound port.
 *
 * @param options Resolved node options.
 * @param rpcBound The address the RPC server is bound to.
 * @param gossipAdvertise The gossip advertise address, once known.
 * @returns The tags to gossip.
 */
export function registryNodeTags(
  options: ResolvedServeOptions,
  rpcBound: string,
  gossipAdvertise?: string,
): Record<string, string> {
  const want = parseHostPort(options.advertise ?? options.addr, parseHostPort(options.addr).port);
  const port = want.port === 0 ? parseHostPort(rpcBound).port : want.port;
  let host = want.host;
  if (host === "" || host === "0.0.0.0" || host === "::") {
    host = gossipAdvertise ? parseHostPort(gossipAdvertise).host : "";
  }
  return {
    group: REGISTRY_GROUP,
    addr: formatHostPort(host, port),
    replicas: DEFAULT_REPLICAS,
    ring: RING_NAMES[options.ring],
  };
}

/**
 * The warning to log when gossip listens beyond loopback without a key.
 *
 * @param options Resolved node options.
 * @returns The warning text, or `undefined` when gossip is loopback-only or encrypted.
 */
export function openGossipWarning(options: ResolvedServeOptions): string | undefined {
  if (options.encryptKeys.length > 0) return undefined;
  if (!isBeyondLoopback(parseHostPort(options.bind).host)) return undefined;
  return "Gossip listens beyond loopback without an encryption key: set --encrypt to protect the cluster";
}
