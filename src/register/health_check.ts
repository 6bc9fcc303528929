/**
 * Health checks of a registered service: what to check (`none`, `tcp`, an
 * `http://` URL) and one probe of it.
 *
 * @module
 */
import { formatHostPort, parseHostPort } from "../net_addr.ts";

/** What to check, parsed from `--check`. */
export type HealthCheck =
  | { readonly kind: "none" }
  | { readonly kind: "tcp"; readonly hostname: string; readonly port: number }
  | { readonly kind: "http"; readonly url: string };

/** One probe: resolves `true` when healthy; never rejects. */
export type HealthProbe = () => Promise<boolean>;

/**
 * Parses a check specification.
 *
 * @param text `none`, `tcp` (connect to the service address) or an
 *   `http://` / `https://` URL (a 2xx answer is healthy).
 * @param serviceAddr The service address (`host:port`), used by `tcp`; an
 *   empty or wildcard host means this machine (`127.0.0.1`).
 * @returns The parsed check.
 * @throws {TypeError} On any other text, a malformed URL or a malformed address.
 * @example
 * ```ts
 * import { parseHealthCheck } from "./health_check.ts";
 * parseHealthCheck("tcp", ":8080"); // { kind: "tcp", hostname: "127.0.0.1", port: 8080 }
 * ```
 */
export function parseHealthCheck(text: string, serviceAddr: string): HealthCheck {
  const value = text.trim();
  if (value === "none") return { kind: "none" };
  if (value === "tcp") {
    const { host, port } = parseHostPort(serviceAddr);
    const wildcard = host === "" || host === "0.0.0.0" || host === "::";
    return { kind: "tcp", hostname: wildcard ? "127.0.0.1" : host, port };
  }
  if (/^https?:\/\//i.test(value)) {
    if (!URL.canParse(value)) throw new TypeError(`Cannot parse check URL "${value}"`);
    return { kind: "http", url: value };
  }
  throw new TypeError(`Cannot parse check "${value}": use none, tcp or an http:// URL`);
}

/**
 * Describes a check for logs and help output.
 *
 * @param check The check.
 * @returns `none`, `tcp host:port` or the URL.
 */
export function describeHealthCheck(check: HealthCheck): string {
  if (check.kind === "tcp") return `tcp ${formatHostPort(check.hostname, check.port)}`;
  if (check.kind === "http") return check.url;
  return "none";
}

/**
 * Makes the probe function of a check.
 *
 * @param check The check.
 * @param timeoutMs How long one probe may take before it counts as a failure.
 * @returns A probe that resolves `true` when healthy and never rejects.
 * @throws {RangeError} When `timeoutMs` is not positive.
 * @example
 * ```ts
 * import { healthProbe } from "./health_check.ts";
 * const probe = healthProbe({ kind: "none" }, 1000);
 * await probe(); // true
 * ```
 */
export function healthProbe(check: HealthCheck, timeoutMs: number): HealthProbe {
  if (!(timeoutMs > 0)) {
    throw new RangeError(`Cannot probe: timeout "${timeoutMs}" is not positive`);
  }
  if (check.kind === "tcp") return () => probeTcp(check.hostname, check.port, timeoutMs);
  if (check.kind === "http") return () => probeHttp(check.url, timeoutMs);
  return () => Promise.resolve(true);
}

async function probeTcp(hostname: string, port: number, timeoutMs: number): Promise<boolean> {
  const connecting = Deno.connect({ hostname, port });
  let cancel: (() => void) | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    const id = setTimeout(() => resolve("timeout"), timeoutMs);
    cancel = () => clearTimeout(id);
  });
  try {
    const result = await Promise.race([connecting, timedOut]);
    if (result === "timeout") {
      // The connect may still succeed later: close it then, so nothing leaks.
      connecting.then((conn) => conn.close(), () => {});
      return false;
    }
    result.close();
    return true;
  } catch {
    // Refused, unreachable or unresolvable: all mean unhealthy.
    return false;
  } finally {
    cancel?.();
  }
}

async function probeHttp(url: string, timeoutMs: number): Promise<boolean> {
  const abort = new AbortController();
  const id = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const response = await fetch(url, { signal: abort.signal, redirect: "manual" });
    await response.body?.cancel();
    return response.status >= 200 && response.status < 300;
  } catch {
    // Connection errors and timeouts mean unhealthy.
    return false;
  } finally {
    clearTimeout(id);
  }
}
