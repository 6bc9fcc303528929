/**
 * The options of a service registration, with their defaults filled in and
 * checked once, so nothing else tests for `undefined`.
 *
 * @module
 */
import type { Logger } from "../logger.ts";
import { noopLogger } from "../logger.ts";
import { formatHostPort, parseHostPort } from "../net_addr.ts";
import { type HealthCheck, parseHealthCheck } from "./health_check.ts";
import { buildServiceTags } from "./service_tags.ts";

/** The gossip port of a registry node when an address has none. */
export const DEFAULT_REGISTRY_PORT = 7370;

/** Options of a service registration (`register()` and `registry register`). */
export interface RegisterOptions {
  /** The service group. Required; never `registry-group`. */
  readonly group: string;
  /** The address clients should use (`host:port`); an empty host is filled with the advertised gossip IP. Required. */
  readonly addr: string;
  /** The service id (gossip member name). @default `<group>-<hostname>-<6 random characters>` */
  readonly id?: string;
  /** Gossip addresses of registry nodes (port 7370 when left out). @default ["127.0.0.1:7370"] */
  readonly registries?: readonly string[];
  /** Gossip bind address. Port 0 picks a free port, so it never collides with a local registry. @default "0.0.0.0:0" */
  readonly bind?: string;
  /** Gossip address advertised to peers, for NAT. @default the bind address, with this host's IP for a wildcard host */
  readonly bindAdvertise?: string;
  /** Extra tags; keys `group`, `addr`, `replicas`, `weight`, `ring` are reserved. The whole set must fit 512 bytes. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Weight on the default ring (above 0, at most 1000): a weight-2 service gets about twice the keys. @default 1 */
  readonly weight?: number;
  /** Serf keyring, base64 16/24/32-byte keys, the first is primary. @default [] (no encryption) */
  readonly encryptKeys?: readonly string[];
  /** Health check: `none`, `tcp` (connect to `addr`) or an `http://` URL (2xx is healthy); with one, joining waits for the first pass. @default "none" */
  readonly check?: string;
  /** Delay between health probes; shorter notices failures sooner but costs more probes. @default 5000 */
  readonly checkIntervalMs?: number;
  /** How long one probe may take. @default the smaller of the interval and 2000 */
  readonly checkTimeoutMs?: number;
  /** Passes in a row before an unhealthy service rejoins; higher damps flapping more. @default 2 */
  readonly checkRise?: number;
  /** Failures in a row before a healthy service leaves; higher tolerates blips but keeps a dead service longer. @default 1 */
  readonly checkFall?: number;
  /** Gossip timings: `lan` as serf; `local` detects failures faster on one host. @default "lan" */
  readonly profile?: "lan" | "local";
  /** Where log lines go. @default a logger that drops everything */
  readonly logger?: Logger;
  /** First delay between join attempts when no registry answers; doubles each time. @default 1000 */
  readonly joinRetryMs?: number;
  /** Cap of the join retry delay. @default 30000 */
  readonly joinRetryMaxMs?: number;
}

/** {@link RegisterOptions} with every default filled in and checked. */
export interface ResolvedRegisterOptions {
  readonly id: string;
  readonly group: string;
  readonly addr: string;
  readonly registries: readonly string[];
  readonly bind: string;
  readonly bindAdvertise: string | undefined;
  /** The full tag set (contract tags included), already size-checked. */
  readonly tags: Readonly<Record<string, string>>;
  readonly weight: number;
  readonly encryptKeys: readonly string[];
  readonly check: HealthCheck;
  readonly checkIntervalMs: number;
  readonly checkTimeoutMs: number;
  readonly checkRise: number;
  readonly checkFall: number;
  readonly profile: "lan" | "local";
  readonly logger: Logger;
  readonly joinRetryMs: number;
  readonly joinRetryMaxMs: number;
}

/** Sources of the default id's parts, injectable for tests. */
export interface IdSources {
  /** This machine's name. @default Deno.hostname(), or "host" without permission */
  readonly hostname?: () => string;
  /** A random number in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/**
 * Fills defaults and validates registration options.
 *
 * @param options Partial options.
 * @param sources Hostname and randomness for the default id.
 * @returns Complete, checked options.
 * @throws {TypeError} On an empty or reserved group, an empty id, a malformed
 *   address, check or key, a reserved tag key, or an empty registry list.
 * @throws {RangeError} On a bad weight, interval, timeout, rise, fall, profile or retry delay.
 * @throws {RegistryError} `TAGS_TOO_LARGE` when the tags do not fit 512 bytes.
 * @example
 * ```ts
 * import { resolveRegisterOptions } from "./register_options.ts";
 * const o = resolveRegisterOptions({ group: "web", addr: "10.0.0.5:8080", id: "web-1" });
 * o.registries; // ["127.0.0.1:7370"]
 * ```
 */
export function resolveRegisterOptions(
  options: RegisterOptions,
  sources: IdSources = {},
): ResolvedRegisterOptions {
  const tags = buildServiceTags({
    group: options.group,
    addr: options.addr,
    weight: options.weight,
    extraTags: options.tags,
  });
  parseHostPort(options.addr);
  const checkIntervalMs = options.checkIntervalMs ?? 5000;
  const resolved: ResolvedRegisterOptions = {
    id: options.id ?? defaultServiceId(options.group, sources),
    group: options.group,
    addr: options.addr,
    registries: resolveRegistries(options.registries ?? ["127.0.0.1:7370"]),
    bind: resolveBind(options.bind ?? "0.0.0.0:0"),
    bindAdvertise: options.bindAdvertise || undefined,
    tags,
    weight: options.weight ?? 1,
    encryptKeys: resolveKeys(options.encryptKeys ?? []),
    check: parseHealthCheck(options.check ?? "none", options.addr),
    checkIntervalMs,
    checkTimeoutMs: options.checkTimeoutMs ?? Math.min(checkIntervalMs, 2000),
    checkRise: options.checkRise ?? 2,
    checkFall: options.checkFall ?? 1,
    profile: options.profile ?? "lan",
    logger: options.logger ?? noopLogger,
    joinRetryMs: options.joinRetryMs ?? 1000,
    joinRetryMaxMs: options.joinRetryMaxMs ?? 30_000,
  };
  checkResolved(resolved);
  return resolved;
}

function checkResolved(o: ResolvedRegisterOptions): void {
  if (o.id.trim() === "" || o.id.length > 128) {
    throw new TypeError(`Cannot register service "${o.id}": id must be 1-128 characters`);
  }
  if (o.bindAdvertise !== undefined) parseHostPort(o.bindAdvertise, parseHostPort(o.bind).port);
  for (
    const [name, value] of [
      ["checkIntervalMs", o.checkIntervalMs],
      ["checkTimeoutMs", o.checkTimeoutMs],
      ["joinRetryMs", o.joinRetryMs],
      ["joinRetryMaxMs", o.joinRetryMaxMs],
    ] as const
  ) {
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new RangeError(`Cannot register service "${o.id}": ${name} must be positive`);
    }
  }
  for (const [name, value] of [["checkRise", o.checkRise], ["checkFall", o.checkFall]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`Cannot register service "${o.id}": ${name} must be a positive integer`);
    }
  }
  if (o.profile !== "lan" && o.profile !== "local") {
    throw new RangeError(`Cannot register service "${o.id}": unknown profile "${o.profile}"`);
  }
}

/**
 * The default service id: `<group>-<hostname>-<6 random base-36 characters>`,
 * limited to the characters serf's optional name check allows.
 *
 * @param group The service group.
 * @param sources Hostname and randomness.
 * @returns A fresh id.
 */
export function defaultServiceId(group: string, sources: IdSources = {}): string {
  const random = sources.random ?? Math.random;
  let suffix = "";
  for (let i = 0; i < 6; i++) suffix += Math.floor(random() * 36).toString(36);
  const safe = (text: string) => text.replace(/[^A-Za-z0-9.-]+/g, "-").replace(/^-+|-+$/g, "");
  const host = safe((sources.hostname ?? systemHostname)()) || "host";
  return `${safe(group) || "service"}-${host}-${suffix}`;
}

function systemHostname(): string {
  try {
    return Deno.hostname();
  } catch {
    // Without --allow-sys the id simply uses a generic host part.
    return "host";
  }
}

function resolveRegistries(list: readonly string[]): string[] {
  const out = list.map((r) => r.trim()).filter((r) => r !== "").map((r) => {
    const { host, port } = parseHostPort(r, DEFAULT_REGISTRY_PORT);
    if (host === "") throw new TypeError(`Cannot use registry address "${r}": host is empty`);
    return formatHostPort(host, port);
  });
  if (out.length === 0) throw new TypeError("Cannot register service: no registry address given");
  return out;
}

function resolveBind(bind: string): string {
  const { host, port } = parseHostPort(bind);
  return formatHostPort(host === "" ? "0.0.0.0" : host, port);
}

function resolveKeys(keys: readonly string[]): string[] {
  return keys.map((key) => {
    let length = -1;
    try {
      length = atob(key.trim()).length;
    } catch {
      // Not base64: reported below like a key of the wrong length.
    }
    if (length !== 16 && length !== 24 && length !== 32) {
      throw new TypeError("Cannot use encryption key: it must be base64 of 16, 24 or 32 bytes");
    }
    return key.trim();
  });
}
