/**
 * Chooses the `ip:port` a gossip agent advertises, the way serf does when no
 * advertise address is given: the bind host, or for a wildcard bind the
 * first non-loopback IPv4 of the machine. Reads `Deno.networkInterfaces()`
 * (needs `--allow-sys`; without it, loopback is used).
 *
 * @module
 */
import { parseHostPort } from "../net_addr.ts";

/**
 * Works out the `ip:port` to advertise.
 *
 * @param bindAddr The bind option (`host:port`).
 * @param advertiseAddr The advertise option (`host:port` or `host`), if any.
 * @param boundAddr The transport's bound `host:port` (with the real port).
 * @returns `ip:port`, IPv6 in brackets.
 * @throws {TypeError} For an unparsable address.
 * @example
 * ```ts
 * import { resolveAdvertiseAddr } from "./advertise_addr.ts";
 * resolveAdvertiseAddr("127.0.0.1:0", undefined, "127.0.0.1:40123"); // "127.0.0.1:40123"
 * ```
 */
export function resolveAdvertiseAddr(
  bindAddr: string,
  advertiseAddr: string | undefined,
  boundAddr: string,
): string {
  const bound = parseHostPort(boundAddr);
  let host = parseHostPort(bindAddr, bound.port).host;
  let port = bound.port;
  if (advertiseAddr !== undefined && advertiseAddr !== "") {
    const adv = parseHostPort(advertiseAddr, bound.port);
    host = adv.host;
    port = adv.port === 0 ? bound.port : adv.port;
  }
  if (host === "" || host === "0.0.0.0" || host === "::") host = firstPrivateIpv4();
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The first non-loopback IPv4 address of this machine.
 *
 * @returns The address, or `127.0.0.1` when there is none or it cannot be read.
 */
export function firstPrivateIpv4(): string {
  try {
    for (const nic of Deno.networkInterfaces()) {
      if (nic.family === "IPv4" && !nic.address.startsWith("127.")) return nic.address;
    }
  } catch {
    // no --allow-sys: loopback is right for a single machine
  }
  return "127.0.0.1";
}
