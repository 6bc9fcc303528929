import { SerfQueues } from "../../../src/gossip/serf_queues.ts";
import { noopLogger } from "../../../src/logger.ts";
import { assertEquals } from "../../_helpers/assert.ts";

Deno.test("SerfQueues.take() drains intents, then queries, then events within the budget", () => {
  const q = new SerfQueues(4, () => 3);
  q.queue("event", new Uint8Array([3, 0]));
  q.queue("query", new Uint8Array([4, 0]));
  q.queue("intent", new Uint8Array([1, 0]));
  assertEquals(q.take(1, 1400).map((b) => b[0]), [1, 4, 3]);
  assertEquals(q.take(1, 6).map((b) => b[0]), [1, 4]);
});

Deno.test("SerfQueues finishes a message after its retransmit limit", () => {
  let finished = 0;
  const q = new SerfQueues(2, () => 3);
  q.queue("intent", new Uint8Array([1]), () => finished++);
  q.take(1, 1400);
  assertEquals(finished, 0);
  q.take(1, 1400);
  assertEquals(finished, 1);
  assertEquals(q.depths(), { intent: 0, query: 0, event: 0 });
});

Deno.test("SerfQueues.check() prunes a queue to the maximum depth and warns", () => {
  const warned: string[] = [];
  const q = new SerfQueues(4, () => 3);
  for (let i = 0; i < 10; i++) q.queue("event", new Uint8Array([i]));
  q.check(5, 8, { ...noopLogger, warn: (m: string) => warned.push(m) });
  assertEquals(q.depths().event, 8);
  assertEquals(warned.length, 1);
});
