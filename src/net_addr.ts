/**
 * `host:port` parsing and formatting, in the Go style the original's flags use
 * (`:7370` means every interface, port 7370).
 *
 * @module
 */

/** A parsed address; `host` is `""` when the text had none (`:7370`). */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses `host:port`, `[v6]:port`, `:port`, or a bare host (then `defaultPort`).
 *
 * @param text The address text.
 * @param defaultPort Port used when the text has none; without it a port is required.
 * @returns The host (brackets removed) and port.
 * @throws {TypeError} When the text is empty or the port is not 0–65535.
 */
export function parseHostPort(text: string, defaultPort?: number): HostPort {
  const value = text.trim();
  if (value === "") throw new TypeError("Cannot parse address: it is empty");
  let host = value;
  let portText: string | undefined;
  const v6 = value.match(/^\[([^\]]+)\](?::(.*))?$/);
  if (v6) {
    host = v6[1];
    portText = v6[2];
  } else {
    const colon = value.lastIndexOf(":");
    if (colon !== -1 && value.indexOf(":") === colon) {
      host = value.slice(0, colon);
      portText = value.slice(colon + 1);
    }
  }
  if (portText === undefined) {
    if (defaultPort === undefined) throw new TypeError(`Cannot parse address "${text}": no port`);
    return { host, port: defaultPort };
  }
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new TypeError(`Cannot parse address "${text}": port must be 0-65535`);
  }
  return { host, port };
}

/**
 * Formats a host and port, bracketing IPv6 hosts.
 *
 * @param host Host name or IP (may be `""`).
 * @param port Port number.
 * @returns `host:port` or `[v6]:port`.
 */
export function formatHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Tells whether binding to `host` listens beyond loopback.
 *
 * @param host A bind host (`""`, `0.0.0.0` and `::` mean every interface).
 * @returns `true` unless the host is a loopback address or `localhost`.
 */
export function isBeyondLoopback(host: string): boolean {
  if (host === "localhost" || host === "::1") return false;
  return !/^127\./.test(host);
}
