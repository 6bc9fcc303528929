/**
 * The real network: UDP datagrams and TCP streams on one port number, on
 * Deno sockets. The only gossip code that touches the network; UDP needs
 * `--unstable-net`.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import { formatHostPort, parseHostPort } from "../net_addr.ts";
import type { Packet, Stream, Transport } from "./transport.ts";

const BIND_ATTEMPTS = 8;
/** The largest UDP payload; the receive buffer must hold any datagram. */
const UDP_RECEIVE_BUFFER = 65536;
/** Bytes read from a TCP stream at a time. */
const TCP_READ_BUFFER = 16384;

/** A TCP connection as a {@link Stream}. */
class TcpStream implements Stream {
  readonly remote: string;
  #conn: Deno.TcpConn;
  #closed = false;
  // Streams are short-lived and mostly small (a push-pull of 20 members is
  // ~3 KB); larger states just take a few reads.
  #buf = new Uint8Array(TCP_READ_BUFFER);

  constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
    const addr = conn.remoteAddr;
    this.remote = formatHostPort(addr.hostname, addr.port);
    try {
      conn.setNoDelay(true);
    } catch {
      // Best effort: a socket that is already closing cannot take options.
    }
  }

  async read(): Promise<Uint8Array | null> {
    if (this.#closed) return null;
    try {
      const n = await this.#conn.read(this.#buf);
      if (n === null) return null;
      return this.#buf.slice(0, n);
    } catch (e) {
      if (this.#closed) return null;
      throw e;
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    let off = 0;
    while (off < bytes.length) off += await this.#conn.write(bytes.subarray(off));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // Already closed by the peer or the runtime; nothing left to release.
    }
  }
}

/**
 * UDP and TCP on the same `host:port`.
 *
 * @example
 * ```ts ignore
 * await using t = await UdpTcpTransport.listen("127.0.0.1:0");
 * await t.sendPacket("127.0.0.1:7946", new Uint8Array([0]));
 * ```
 */
export class UdpTcpTransport implements Transport {
  readonly localAddr: string;
  #udp: Deno.DatagramConn;
  #tcp: Deno.TcpListener;
  #streams = new Set<Stream>();
  #closed = false;

  private constructor(udp: Deno.DatagramConn, tcp: Deno.TcpListener, localAddr: string) {
    this.#udp = udp;
    this.#tcp = tcp;
    this.localAddr = localAddr;
  }

  /**
   * Binds TCP, then UDP on the same port (port 0 picks a free one; retried on a clash).
   *
   * @param hostPort `host:port` to bind.
   * @returns The transport.
   * @throws {Deno.errors.AddrInUse} When no common port could be bound.
   * @throws {TypeError} When the address cannot be parsed.
   * @throws {RegistryError} `UNSUPPORTED_RUNTIME` when Deno runs without `--unstable-net`.
   */
  static async listen(hostPort: string): Promise<UdpTcpTransport> {
    requireUdp();
    const { host, port } = parseHostPort(hostPort);
    const hostname = host === "" ? "0.0.0.0" : host;
    let lastError: unknown;
    for (let i = 0; i < (port === 0 ? BIND_ATTEMPTS : 1); i++) {
      const tcp = Deno.listen({ hostname, port, transport: "tcp" });
      const bound = (tcp.addr as Deno.NetAddr).port;
      try {
        const udp = Deno.listenDatagram({ hostname, port: bound, transport: "udp" });
        return await Promise.resolve(
          new UdpTcpTransport(udp, tcp, formatHostPort(hostname, bound)),
        );
      } catch (e) {
        tcp.close();
        lastError = e;
      }
    }
    throw lastError;
  }

  async sendPacket(to: string, bytes: Uint8Array): Promise<void> {
    const { host, port } = parseHostPort(to);
    await this.#udp.send(bytes, { transport: "udp", hostname: host, port });
  }

  async dialStream(to: string, timeoutMs: number): Promise<Stream> {
    const { host, port } = parseHostPort(to);
    const signal = AbortSignal.timeout(Math.max(1, timeoutMs));
    const conn = await Deno.connect({ hostname: host, port, transport: "tcp", signal });
    if (this.#closed) {
      conn.close();
      throw new Deno.errors.BadResource("Cannot dial: the transport is closed");
    }
    return this.#adopt(conn);
  }

  async *packets(): AsyncIterable<Packet> {
    // One receive buffer per iterator, and each datagram copied out at its
    // size: a fresh 64 KiB buffer per datagram kept ~64 KiB of native memory
    // per received packet alive until the next GC.
    const buf = new Uint8Array(UDP_RECEIVE_BUFFER);
    while (!this.#closed) {
      let got: [Uint8Array, Deno.Addr];
      try {
        got = await this.#udp.receive(buf);
      } catch (e) {
        if (this.#closed) return;
        throw e;
      }
      const addr = got[1] as Deno.NetAddr;
      yield {
        from: formatHostPort(addr.hostname, addr.port),
        bytes: got[0].slice(),
        receivedAtMs: performance.now(),
      };
    }
  }

  async *streams(): AsyncIterable<Stream> {
    while (!this.#closed) {
      let conn: Deno.TcpConn;
      try {
        conn = await this.#tcp.accept();
      } catch (e) {
        if (this.#closed) return;
        throw e;
      }
      yield this.#adopt(conn);
    }
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    for (const s of this.#streams) s.close();
    this.#streams.clear();
    try {
      this.#udp.close();
    } catch {
      // Already closed.
    }
    try {
      this.#tcp.close();
    } catch {
      // Already closed.
    }
    return Promise.resolve();
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #adopt(conn: Deno.TcpConn): Stream {
    const s = new TcpStream(conn);
    this.#streams.add(s);
    const close = s.close.bind(s);
    s.close = () => {
      this.#streams.delete(s);
      close();
    };
    return s;
  }
}

/** UDP sockets are still unstable in Deno: without `--unstable-net` the API is missing. */
function requireUdp(): void {
  if (typeof Deno.listenDatagram === "function") return;
  throw new RegistryError(
    "UNSUPPORTED_RUNTIME",
    "Cannot open gossip sockets: UDP needs Deno's --unstable-net flag " +
      "(deno run --unstable-net ...; the compiled binary and `deno task serve` have it)",
  );
}
