/**
 * The network under the gossip layer: UDP-like packets and TCP-like streams.
 *
 * Addresses are `"host:port"` strings (IPv6 hosts in brackets). Retries,
 * acks, encoding and encryption belong above this interface; a transport only
 * moves bytes. Implementations: the Deno UDP+TCP transport
 * (`udp_tcp_transport.ts`) and the in-memory network used by tests.
 *
 * @module
 */

/** One received datagram. */
export interface Packet {
  /** The sender's address as seen by the network. */
  readonly from: string;
  /** The datagram's bytes. */
  readonly bytes: Uint8Array;
  /** When it arrived, by the transport's clock (ms). */
  readonly receivedAtMs: number;
}

/** A bidirectional byte stream (one TCP connection). */
export interface Stream {
  /** The peer's address. */
  readonly remote: string;
  /** Reads the next chunk; `null` at end of stream. */
  read(): Promise<Uint8Array | null>;
  /** Writes all bytes. */
  write(bytes: Uint8Array): Promise<void>;
  /** Closes both directions; safe to call twice. */
  close(): void;
}

/** Packets and streams on one advertised address. */
export interface Transport {
  /** The `host:port` this transport is bound to (the real port when bound to 0). */
  readonly localAddr: string;
  /** Sends one datagram; errors are reported by rejection, never thrown synchronously. */
  sendPacket(to: string, bytes: Uint8Array): Promise<void>;
  /** Opens a stream to `to`, failing after `timeoutMs`. */
  dialStream(to: string, timeoutMs: number): Promise<Stream>;
  /** Incoming datagrams until the transport closes. */
  packets(): AsyncIterable<Packet>;
  /** Incoming streams until the transport closes. */
  streams(): AsyncIterable<Stream>;
  /** Stops listening and closes every socket; safe to call twice. */
  close(): Promise<void>;
}
