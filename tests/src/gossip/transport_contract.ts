/**
 * One contract suite for every {@link Transport}: packets, streams both
 * ways, stream end, close. Run by `transport_contract_test.ts` against the
 * memory network and the UDP/TCP transport.
 *
 * @module
 */
import type { Stream, Transport } from "../../../src/gossip/transport.ts";
import { assert, assertEquals, assertRejects } from "../../_helpers/assert.ts";

/** Two connected transports and a way to let time pass. */
export interface TransportPair {
  readonly a: Transport;
  readonly b: Transport;
  /** An address nobody listens on. */
  readonly deadAddr: string;
  /** Waits for `p`, moving time if the transport needs it; rejects after a deadline. */
  settle<T>(p: Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

async function readAll(s: Stream, pair: TransportPair, want: number): Promise<string> {
  let text = "";
  while (text.length < want) {
    const chunk = await pair.settle(s.read());
    if (chunk === null) break;
    text += dec.decode(chunk);
  }
  return text;
}

/**
 * Registers the contract tests.
 *
 * @param name The implementation's name (in test names).
 * @param make Creates a fresh pair per test.
 */
export function transportContract(name: string, make: () => Promise<TransportPair>): void {
  Deno.test(`${name} delivers a packet with the sender's address`, async () => {
    const pair = await make();
    try {
      const it = pair.b.packets()[Symbol.asyncIterator]();
      await pair.a.sendPacket(pair.b.localAddr, enc.encode("ping"));
      const got = await pair.settle(it.next());
      assert(!got.done);
      assertEquals(dec.decode(got.value.bytes), "ping");
      assertEquals(got.value.from, pair.a.localAddr);
    } finally {
      await pair.close();
    }
  });

  Deno.test(`${name} carries stream bytes both ways and ends the peer's reads on close`, async () => {
    const pair = await make();
    try {
      const accepted = pair.b.streams()[Symbol.asyncIterator]().next();
      const s = await pair.settle(pair.a.dialStream(pair.b.localAddr, 1000));
      await s.write(enc.encode("hello"));
      const got = await pair.settle(accepted);
      assert(!got.done);
      const server = got.value;
      assertEquals(await readAll(server, pair, 5), "hello");
      await server.write(enc.encode("world!"));
      assertEquals(await readAll(s, pair, 6), "world!");
      s.close();
      assertEquals(await pair.settle(server.read()), null);
      server.close();
      server.close();
    } finally {
      await pair.close();
    }
  });

  Deno.test(`${name} fails to dial an address nobody listens on`, async () => {
    const pair = await make();
    try {
      await assertRejects(() => pair.settle(pair.a.dialStream(pair.deadAddr, 500)));
    } finally {
      await pair.close();
    }
  });

  Deno.test(`${name} close() ends packet and stream iteration and is idempotent`, async () => {
    const pair = await make();
    const packets = pair.a.packets()[Symbol.asyncIterator]().next();
    const streams = pair.a.streams()[Symbol.asyncIterator]().next();
    await pair.a.close();
    await pair.a.close();
    assertEquals((await pair.settle(packets)).done, true);
    assertEquals((await pair.settle(streams)).done, true);
    await assertRejects(() => pair.a.sendPacket(pair.b.localAddr, new Uint8Array([1])));
    await pair.close();
  });
}
