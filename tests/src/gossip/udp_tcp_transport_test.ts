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
