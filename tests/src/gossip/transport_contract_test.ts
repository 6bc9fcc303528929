import { UdpTcpTransport } from "../../../src/gossip/udp_tcp_transport.ts";
import { drain } from "../../_helpers/cluster.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";
import { MemoryNetwork } from "../../_helpers/memory_network.ts";
import { seededRandom } from "../../_helpers/seeded_random.ts";
import { transportContract } from "./transport_contract.ts";

transportContract("MemoryNetwork transport", () => {
  const clock = new ManualClock();
  const net = new MemoryNetwork(clock, seededRandom(1));
  net.delayMs = 2;
  const a = net.transport("10.0.0.1:7946");
  const b = net.transport("10.0.0.2:7946");
  return Promise.resolve({
    a,
    b,
    deadAddr: "10.0.0.3:7946",
    async settle<T>(p: Promise<T>): Promise<T> {
      let done = false;
      const watched = p.finally(() => done = true);
      watched.catch(() => {});
      for (let i = 0; i < 1000 && !done; i++) {
        await drain();
        if (!done) clock.advance(1);
      }
      return await watched;
    },
    async close() {
      await a.close();
      await b.close();
    },
  });
});

transportContract("UdpTcpTransport", async () => {
  const a = await UdpTcpTransport.listen("127.0.0.1:0");
  const b = await UdpTcpTransport.listen("127.0.0.1:0");
  const spare = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const deadAddr = `127.0.0.1:${(spare.addr as Deno.NetAddr).port}`;
  spare.close();
  return {
    a,
    b,
    deadAddr,
    async settle<T>(p: Promise<T>): Promise<T> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("Transport contract: timed out")), 5000);
      });
      try {
        return await Promise.race([p, deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await a.close();
      await b.close();
    },
  };
});
