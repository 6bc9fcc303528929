/**
 * The options of a registry node, with their defaults resolved and checked once.
 *
 * @module
 */
import type { Logger } from "../logger.ts";
import { noopLogger } from "../logger.ts";
import { parseHostPort } from "../net_addr.ts";
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
  readonly id: string;
  readonly bind: string;
  readonly bindAdvertise: string | undefined;
  readonly addr: string;
  readonly advertise: string | undefined;
  readonly registries: readonly string[];
  readonly encryptKeys: readonly string[];
  readonly ring: ServeRing;
  readonly profile: "lan" | "local";
  readonly logger: Logger;
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
