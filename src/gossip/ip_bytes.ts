/**
 * IP addresses as the gossip wire carries them (4 or 16 raw bytes) and as
 * `host:port` strings for the transport.
 *
 * @module
 */

/**
 * Parses a textual IPv4 or IPv6 address into its raw bytes.
 *
 * @param text `a.b.c.d` or an IPv6 address (brackets allowed).
 * @returns 4 bytes for IPv4, 16 for IPv6.
 * @throws {TypeError} When the text is not an IP address.
 * @example
 * ```ts
 * import { ipToBytes } from "./ip_bytes.ts";
 * ipToBytes("127.0.0.1"); // Uint8Array [127, 0, 0, 1]
 * ```
 */
export function ipToBytes(text: string): Uint8Array {
  const host = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const v4 = parseV4(host);
  if (v4) return v4;
  const v6 = parseV6(host);
  if (v6) return v6;
  throw new TypeError(`Cannot parse IP address "${text}"`);
}

function parseV4(host: string): Uint8Array | null {
  const parts = host.split(".");
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i])) return null;
    const v = Number(parts[i]);
    if (v > 255) return null;
    out[i] = v;
  }
  return out;
}

function parseV6(host: string): Uint8Array | null {
  const zone = host.indexOf("%");
  const text = zone === -1 ? host : host.slice(0, zone);
  if (!text.includes(":")) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string): string[] => s === "" ? [] : s.split(":");
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const words: number[] = [];
  for (const g of [...head, ...(halves.length === 2 ? ["::"] : []), ...tail]) {
    if (g === "::") continue;
    if (g.includes(".")) {
      const v4 = parseV4(g);
      if (!v4) return null;
      words.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) words.push(parseInt(g, 16));
    else return null;
  }
  const missing = 8 - words.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const headWords = halves.length === 2 ? countWords(head) : 8;
  const full = [
    ...words.slice(0, headWords),
    ...new Array(8 - words.length).fill(0),
    ...words.slice(headWords),
  ];
  const out = new Uint8Array(16);
  full.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

function countWords(groups: string[]): number {
  return groups.reduce((n, g) => n + (g.includes(".") ? 2 : 1), 0);
}

/**
 * Formats raw IP bytes; an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is
 * shown as IPv4, like Go's `net.IP.String()`.
 *
 * @param bytes 4 or 16 bytes.
 * @returns The textual address, or `""` for any other length.
 * @example
 * ```ts
 * import { ipToString } from "./ip_bytes.ts";
 * ipToString(new Uint8Array([10, 0, 0, 1])); // "10.0.0.1"
 * ```
 */
export function ipToString(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join(".");
  if (bytes.length !== 16) return "";
  if (isV4Mapped(bytes)) return bytes.subarray(12).join(".");
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return compressV6(words);
}

function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

function compressV6(words: string[]): string {
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === "0") j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  if (bestStart === -1) return words.join(":");
  const head = words.slice(0, bestStart).join(":");
  const tail = words.slice(bestStart + bestLen).join(":");
  return `${head}::${tail}`;
}

/**
 * Formats an IP (raw bytes) and port as a transport address.
 *
 * @param ip 4 or 16 raw bytes.
 * @param port The port.
 * @returns `a.b.c.d:port` or `[v6]:port`.
 * @example
 * ```ts
 * import { addrString } from "./ip_bytes.ts";
 * addrString(new Uint8Array([127, 0, 0, 1]), 7946); // "127.0.0.1:7946"
 * ```
 */
export function addrString(ip: Uint8Array, port: number): string {
  const host = ipToString(ip);
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Compares two byte arrays for equality.
 *
 * @param a First array.
 * @param b Second array.
 * @returns `true` when both have the same length and bytes.
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
