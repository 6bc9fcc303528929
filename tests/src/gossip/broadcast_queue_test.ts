import { BroadcastQueue, retransmitLimit } from "../../../src/gossip/broadcast_queue.ts";
import { assertEquals } from "../../_helpers/assert.ts";

function bytes(n: number, fill: number): Uint8Array {
  return new Uint8Array(n).fill(fill);
}

Deno.test("retransmitLimit() is mult × ceil(log10(n + 1))", () => {
  assertEquals(retransmitLimit(4, 2), 4);
  assertEquals(retransmitLimit(4, 9), 4);
  assertEquals(retransmitLimit(4, 10), 8);
  assertEquals(retransmitLimit(4, 99), 8);
  assertEquals(retransmitLimit(4, 100), 12);
});

Deno.test("BroadcastQueue.take() hands out fewest transmits, then larger, then newer first", () => {
  const q = new BroadcastQueue({ retransmitMult: 4, numNodes: () => 3 });
  q.queue({ bytes: bytes(3, 1) });
  q.queue({ bytes: bytes(5, 2) });
  q.queue({ bytes: bytes(3, 3) });
  assertEquals(q.take(0, 5).map((b) => b[0]), [2]);
  assertEquals(q.take(0, 6).map((b) => b[0]), [3, 1]);
  assertEquals(q.take(0, 100).map((b) => b[0]), [2, 3, 1]);
});

Deno.test("BroadcastQueue.take() counts overhead per message against the limit", () => {
  const q = new BroadcastQueue({ retransmitMult: 4, numNodes: () => 3 });
  q.queue({ bytes: bytes(4, 1) });
  q.queue({ bytes: bytes(4, 2) });
  assertEquals(q.take(2, 11).length, 1);
  assertEquals(q.take(2, 12).length, 2);
});

Deno.test("BroadcastQueue drops a message after the retransmit limit and runs onFinished", () => {
  let finished = 0;
  const q = new BroadcastQueue({ retransmitMult: 2, numNodes: () => 3 });
  q.queue({ bytes: bytes(1, 1), onFinished: () => finished++ });
  assertEquals(q.take(0, 10).length, 1);
  assertEquals(finished, 0);
  assertEquals(q.take(0, 10).length, 1);
  assertEquals(finished, 1);
  assertEquals(q.length, 0);
  assertEquals(q.take(0, 10).length, 0);
});

Deno.test("BroadcastQueue.queue() replaces a message with the same key", () => {
  let replaced = 0;
  const q = new BroadcastQueue({ retransmitMult: 4, numNodes: () => 3 });
  q.queue({ bytes: bytes(2, 1), key: "a", onFinished: () => replaced++ });
  q.queue({ bytes: bytes(2, 2), key: "b" });
  q.queue({ bytes: bytes(2, 3), key: "a" });
  q.queue({ bytes: bytes(2, 4) });
  q.queue({ bytes: bytes(2, 5) });
  assertEquals(replaced, 1);
  assertEquals(q.length, 4);
  assertEquals(q.take(0, 100).map((b) => b[0]).sort(), [2, 3, 4, 5]);
});

Deno.test("BroadcastQueue.prune() keeps the newest messages", () => {
  const q = new BroadcastQueue({ retransmitMult: 4, numNodes: () => 3 });
  for (let i = 0; i < 5; i++) q.queue({ bytes: bytes(1, i) });
  q.prune(2);
  assertEquals(q.take(0, 100).map((b) => b[0]).sort(), [3, 4]);
  q.clear();
  assertEquals(q.length, 0);
});
