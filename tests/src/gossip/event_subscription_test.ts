import { BACKLOG_WARNING, EventHub } from "../../../src/gossip/event_subscription.ts";
import type { GossipEvent } from "../../../src/gossip/member.ts";
import { noopLogger } from "../../../src/logger.ts";
import { assertEquals } from "../../_helpers/assert.ts";

function user(n: number): GossipEvent {
  return { type: "user", name: `e${n}`, payload: new Uint8Array(), lTime: n, coalesce: false };
}
const SNAP: GossipEvent = { type: "snapshot", members: [] };

Deno.test("EventHub.subscribe() delivers the snapshot first, then events in order", async () => {
  const hub = new EventHub(noopLogger);
  const sub = hub.subscribe(SNAP);
  hub.publish(user(1));
  hub.publish(user(2));
  assertEquals((await sub.next())?.type, "snapshot");
  assertEquals(await sub.next(), user(1));
  assertEquals(await sub.next(), user(2));
  sub.close();
  assertEquals(await sub.next(), undefined);
  assertEquals(hub.size, 0);
});

Deno.test("EventHub.publish() never drops events for a slow subscriber and counts its backlog", async () => {
  const warnings: unknown[] = [];
  const hub = new EventHub({ ...noopLogger, warn: (m: string) => warnings.push(m) });
  const sub = hub.subscribe(SNAP);
  const total = BACKLOG_WARNING + 5;
  for (let i = 0; i < total; i++) hub.publish(user(i));
  assertEquals(hub.maxBacklog, total + 1);
  assertEquals(warnings.length, 1);
  await sub.next();
  for (let i = 0; i < total; i++) assertEquals(await sub.next(), user(i));
  assertEquals(sub.backlog, 0);
  sub.close();
});

Deno.test("EventSubscription iterates until closed and wakes a pending reader on close", async () => {
  const hub = new EventHub(noopLogger);
  const sub = hub.subscribe(SNAP);
  const seen: string[] = [];
  const reading = (async () => {
    for await (const e of sub) seen.push(e.type);
  })();
  hub.publish(user(1));
  await new Promise((r) => setTimeout(r, 0));
  hub.closeAll();
  await reading;
  assertEquals(seen, ["snapshot", "user"]);
});
