/**
 * An in-memory network of linked {@link Transport}s driven by a
 * {@link ManualClock}: every delivery is a clock timer, so `clock.advance()`
 * moves traffic deterministically. Switches: loss probability, delay,
 * reorder jitter, partitions, per-address up/down.
 *
 * @module
 */
import type { Packet, Stream, Transport } from "../../src/gossip/transport.ts";
import type { ManualClock } from "./manual_clock.ts";

/** An unbounded async queue that ends when closed. */
class AsyncQueue<T> {
  #items: T[] = [];
  #head = 0;
  #waiter: ((r: IteratorResult<T>) => void) | null = null;
  #closed = false;

  push(item: T): void {
    if (this.#closed) return;
    if (this.#waiter) {
      const w = this.#waiter;
      this.#waiter = null;
      w({ value: item, done: false });
    } else this.#items.push(item);
  }

  close(): void {
    this.#closed = true;
    if (this.#waiter) {
      const w = this.#waiter;
      this.#waiter = null;
      w({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#head < this.#items.length) {
      const value = this.#items[this.#head++];
      if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((r) => this.#waiter = r);
  }

  async *iterate(): AsyncIterable<T> {
    for (;;) {
      const r = await this.next();
      if (r.done) return;
      yield r.value;
    }
  }
}

/** Traffic counters for one address. */
export interface MemoryTraffic {
  packetsSent: number;
  bytesSent: number;
  packetsDelivered: number;
  packetsDropped: number;
  /** Stream bytes written by this address (both ends of its streams count for their owner). */
  streamBytesSent: number;
}

/** One end of an in-memory stream. */
class MemoryStream implements Stream {
  readonly remote: string;
  peer: MemoryStream | null = null;
  #net: MemoryNetwork;
  #local: string;
  #inbox = new AsyncQueue<Uint8Array | null>();
  #closed = false;

  #onClose: () => void;
  #traffic: MemoryTraffic;

  constructor(
    net: MemoryNetwork,
    ends: { local: string; remote: string; traffic: MemoryTraffic },
    onClose: () => void,
  ) {
    this.#net = net;
    this.#local = ends.local;
    this.remote = ends.remote;
    this.#traffic = ends.traffic;
    this.#onClose = onClose;
  }

  async read(): Promise<Uint8Array | null> {
    if (this.#closed) return null;
    const r = await this.#inbox.next();
    return r.done || r.value === null ? null : r.value;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.#closed) {
      return Promise.reject(new Deno.errors.BrokenPipe("Cannot write: stream is closed"));
    }
    const copy = bytes.slice();
    this.#traffic.streamBytesSent += copy.length;
    const peer = this.peer;
    if (peer && this.#net.canReach(this.#local, this.remote)) {
      this.#net.clock.setTimer(this.#net.delayMs, () => peer.receive(copy));
    }
    return Promise.resolve();
  }

  receive(chunk: Uint8Array | null): void {
    this.#inbox.push(chunk);
    if (chunk === null) this.#inbox.close();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#inbox.close();
    this.#onClose();
    const peer = this.peer;
    if (peer) this.#net.clock.setTimer(this.#net.delayMs, () => peer.receive(null));
  }
}

/** A transport on the memory network. */
export class MemoryTransport implements Transport {
  readonly localAddr: string;
  readonly traffic: MemoryTraffic = {
    packetsSent: 0,
    bytesSent: 0,
    packetsDelivered: 0,
    packetsDropped: 0,
    streamBytesSent: 0,
  };
  #net: MemoryNetwork;
  #packets = new AsyncQueue<Packet>();
  #streams = new AsyncQueue<Stream>();
  #open = new Set<MemoryStream>();
  closed = false;

  constructor(net: MemoryNetwork, addr: string) {
    this.#net = net;
    this.localAddr = addr;
  }

  sendPacket(to: string, bytes: Uint8Array): Promise<void> {
    if (this.closed) {
      return Promise.reject(new Deno.errors.BadResource("Cannot send: transport is closed"));
    }
    this.traffic.packetsSent++;
    this.traffic.bytesSent += bytes.length;
    this.#net.deliverPacket(this.localAddr, to, bytes.slice());
    return Promise.resolve();
  }

  #dials = new Set<(e: Error) => void>();

  dialStream(to: string, timeoutMs: number): Promise<Stream> {
    if (this.closed) {
      return Promise.reject(new Deno.errors.BadResource("Cannot dial: transport is closed"));
    }
    // A pending dial fails when this transport closes, like a socket would.
    return new Promise((resolve, reject) => {
      const fail = (e: Error): void => reject(e);
      this.#dials.add(fail);
      this.#net.connect(this, to, timeoutMs).then(resolve, reject).finally(() =>
        this.#dials.delete(fail)
      );
    });
  }

  packets(): AsyncIterable<Packet> {
    return this.#packets.iterate();
  }

  streams(): AsyncIterable<Stream> {
    return this.#streams.iterate();
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.#packets.close();
    this.#streams.close();
    for (const s of [...this.#open]) s.close();
    for (const fail of this.#dials) {
      fail(new Deno.errors.BadResource("Cannot dial: transport is closed"));
    }
    this.#dials.clear();
    this.#net.remove(this);
    return Promise.resolve();
  }

  /** Internal: a datagram arrives. */
  receivePacket(from: string, bytes: Uint8Array): void {
    this.traffic.packetsDelivered++;
    this.#packets.push({ from, bytes, receivedAtMs: this.#net.clock.now() });
  }

  /** Internal: a stream end owned by this transport. */
  newStream(remote: string): MemoryStream {
    const s: MemoryStream = new MemoryStream(
      this.#net,
      { local: this.localAddr, remote, traffic: this.traffic },
      () => this.#open.delete(s),
    );
    this.#open.add(s);
    return s;
  }

  /** Internal: accept an incoming stream. */
  accept(s: MemoryStream): void {
    this.#streams.push(s);
  }
}

/**
 * The network. Addresses are `ip:port` strings chosen by the test.
 *
 * @example
 * ```ts ignore
 * const net = new MemoryNetwork(clock, seededRandom(1));
 * const a = net.transport("10.0.0.1:7946");
 * ```
 */
export class MemoryNetwork {
  readonly clock: ManualClock;
  /** Probability that a datagram is lost. */
  lossProbability = 0;
  /** One-way delay of every delivery (ms). */
  delayMs = 0;
  /** Extra random delay of datagrams, 0–jitterMs (reorders them). */
  jitterMs = 0;
  /** Addresses whose inbound datagrams are all dropped (streams still work), like a UDP firewall. */
  readonly packetsBlockedTo: Set<string> = new Set();
  #random: () => number;
  #nodes = new Map<string, MemoryTransport>();
  #down = new Set<string>();
  #group = new Map<string, number>();

  /**
   * Creates an empty network.
   *
   * @param clock The clock that drives delivery.
   * @param random Loss and jitter randomness.
   */
  constructor(clock: ManualClock, random: () => number) {
    this.clock = clock;
    this.#random = random;
  }

  /**
   * Creates (binds) a transport.
   *
   * @param addr Its `ip:port`.
   * @returns The transport.
   * @throws {RangeError} When the address is taken.
   */
  transport(addr: string): MemoryTransport {
    if (this.#nodes.has(addr)) throw new RangeError(`Cannot bind "${addr}": address in use`);
    const t = new MemoryTransport(this, addr);
    this.#nodes.set(addr, t);
    return t;
  }

  /**
   * Takes an address off the network (as if its host stopped) or back.
   *
   * @param addr The address.
   * @param up Whether it is reachable.
   */
  setUp(addr: string, up: boolean): void {
    if (up) this.#down.delete(addr);
    else this.#down.add(addr);
  }

  /**
   * Splits the network: addresses in different groups cannot reach each
   * other; addresses in no group reach everyone.
   *
   * @param groups Sets of addresses.
   */
  partition(...groups: readonly (readonly string[])[]): void {
    this.#group.clear();
    groups.forEach((g, i) => g.forEach((a) => this.#group.set(a, i)));
  }

  /** Removes every partition. */
  heal(): void {
    this.#group.clear();
  }

  /**
   * Whether traffic from `a` can reach `b` now.
   *
   * @param a Sender.
   * @param b Receiver.
   * @returns `false` when either is down or they are partitioned.
   */
  canReach(a: string, b: string): boolean {
    if (this.#down.has(a) || this.#down.has(b)) return false;
    const ga = this.#group.get(a), gb = this.#group.get(b);
    return ga === undefined || gb === undefined || ga === gb;
  }

  /** Internal: schedules a datagram. */
  deliverPacket(from: string, to: string, bytes: Uint8Array): void {
    const sender = this.#nodes.get(from);
    const lost = this.#random() < this.lossProbability || this.packetsBlockedTo.has(to);
    if (!this.canReach(from, to) || lost) {
      if (sender) sender.traffic.packetsDropped++;
      return;
    }
    const delay = this.delayMs + (this.jitterMs > 0 ? this.#random() * this.jitterMs : 0);
    this.clock.setTimer(delay, () => {
      const dest = this.#nodes.get(to);
      if (dest && !dest.closed && this.canReach(from, to)) dest.receivePacket(from, bytes);
    });
  }

  /** Internal: opens a stream pair, or fails like TCP would. */
  connect(dialer: MemoryTransport, to: string, timeoutMs: number): Promise<Stream> {
    const from = dialer.localAddr;
    return new Promise((resolve, reject) => {
      if (!this.canReach(from, to)) {
        this.clock.setTimer(
          timeoutMs,
          () => reject(new Deno.errors.TimedOut(`Cannot dial "${to}": timed out`)),
        );
        return;
      }
      this.clock.setTimer(this.delayMs, () => {
        const dest = this.#nodes.get(to);
        if (!dest || dest.closed || dialer.closed) {
          reject(new Deno.errors.ConnectionRefused(`Cannot dial "${to}": connection refused`));
          return;
        }
        const a = dialer.newStream(to), b = dest.newStream(from);
        a.peer = b;
        b.peer = a;
        dest.accept(b);
        resolve(a);
      });
    });
  }

  /** Internal: unbinds a closed transport. */
  remove(t: MemoryTransport): void {
    if (this.#nodes.get(t.localAddr) === t) this.#nodes.delete(t.localAddr);
  }
}
