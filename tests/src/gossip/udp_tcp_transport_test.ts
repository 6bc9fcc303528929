import { UdpTcpTransport } from "../../../src/gossip/udp_tcp_transport.ts";
import { assertEquals, assertMatch, assertThrows } from "../../_helpers/assert.ts";

Deno.test("UdpTcpTransport.listen() binds UDP and TCP on the same real port", async () => {
  await using t = await UdpTcpTransport.listen("127.0.0.1:0");
  assertMatch(t.localAddr, /^127\.0\.0\.1:\d+$/);
  const port = Number(t.localAddr.split(":")[1]);
  assertEquals(port > 0, true);
  assertThrows(() => Deno.listen({ hostname: "127.0.0.1", port }), Deno.errors.AddrInUse);
  assertThrows(
    () => Deno.listenDatagram({ hostname: "127.0.0.1", port, transport: "udp" }),
    Deno.errors.AddrInUse,
  );
});

Deno.test("UdpTcpTransport.listen() fails on a port whose TCP side is taken", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (taken.addr as Deno.NetAddr).port;
    let failed = false;
    try {
      await UdpTcpTransport.listen(`127.0.0.1:${port}`);
    } catch (e) {
      failed = e instanceof Deno.errors.AddrInUse;
    }
    assertEquals(failed, true);
  } finally {
    taken.close();
  }
});

Deno.test("UdpTcpTransport.packets() gives each datagram its own bytes, sized to it", async () => {
  await using a = await UdpTcpTransport.listen("127.0.0.1:0");
  await using b = await UdpTcpTransport.listen("127.0.0.1:0");
  const it = b.packets()[Symbol.asyncIterator]();
  const enc = new TextEncoder(), dec = new TextDecoder();
  await a.sendPacket(b.localAddr, enc.encode("first"));
  const first = await it.next();
  await a.sendPacket(b.localAddr, enc.encode("second, longer"));
  const second = await it.next();
  assertEquals(first.done || second.done, false);
  if (first.done || second.done) return;
  assertEquals(dec.decode(first.value.bytes), "first", "the shared receive buffer was reused");
  assertEquals(dec.decode(second.value.bytes), "second, longer");
  assertEquals(first.value.bytes.buffer.byteLength, 5);
  await it.return?.();
});
