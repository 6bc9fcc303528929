import type { Clock } from "../../../src/clock.ts";
import {
  matchesFilters,
  PendingQueries,
  QUERY_FLAG_ACK,
  QUERY_FLAG_NO_BROADCAST,
  QueryInbox,
} from "../../../src/gossip/queries.ts";
import { assertEquals } from "../../_helpers/assert.ts";

/** A one-file timer clock: advance() runs due timers in order. */
function testClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    setTimer(ms, fn) {
      const t = { at: now + ms, fn };
      timers.push(t);
      return () => void timers.splice(timers.indexOf(t) >>> 0, timers.includes(t) ? 1 : 0);
    },
    advance(ms) {
      now += ms;
      for (const t of timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    },
  };
}

const q = (lTime: number, id: number, flags = 0) => ({ lTime, id, flags, filters: [] });

Deno.test("matchesFilters() honours node lists", () => {
  assertEquals(matchesFilters([{ type: "nodes", nodes: ["a", "b"] }], "a", {}), true);
  assertEquals(matchesFilters([{ type: "nodes", nodes: ["b"] }], "a", {}), false);
});

Deno.test("matchesFilters() applies tag regexes unanchored, a missing tag being empty", () => {
  const tags = { role: "web-1" };
  assertEquals(matchesFilters([{ type: "tag", tag: "role", expr: "web" }], "a", tags), true);
  assertEquals(matchesFilters([{ type: "tag", tag: "role", expr: "^db" }], "a", tags), false);
  assertEquals(matchesFilters([{ type: "tag", tag: "dc", expr: "^$" }], "a", tags), true);
  assertEquals(matchesFilters([{ type: "tag", tag: "role", expr: "(" }], "a", tags), false);
});

Deno.test("matchesFilters() refuses unknown filter types", () => {
  assertEquals(matchesFilters([{ type: "unknown" }], "a", {}), false);
});

Deno.test("QueryInbox.receive() processes a query once and re-gossips it once", () => {
  const inbox = new QueryInbox(512);
  assertEquals(inbox.receive(q(2, 7), "a", {}), { rebroadcast: true, process: true });
  assertEquals(inbox.receive(q(2, 7), "a", {}), { rebroadcast: false, process: false });
  assertEquals(inbox.receive(q(2, 8), "a", {}).process, true);
  assertEquals(inbox.clock.time(), 3);
});

Deno.test("QueryInbox.receive() re-gossips a filtered-out query unless told not to", () => {
  const inbox = new QueryInbox(512);
  const filtered = { ...q(2, 1), filters: [{ type: "nodes" as const, nodes: ["zz"] }] };
  assertEquals(inbox.receive(filtered, "a", {}), { rebroadcast: true, process: false });
  assertEquals(inbox.receive(q(3, 1, QUERY_FLAG_NO_BROADCAST), "a", {}).rebroadcast, false);
});

Deno.test("QueryInbox.receive() ignores queries older than the ring", () => {
  const inbox = new QueryInbox(4);
  inbox.receive(q(20, 1), "a", {});
  assertEquals(inbox.receive(q(10, 1), "a", {}).process, false);
});

Deno.test("PendingQueries.open() resolves at the deadline with acks and responses", async () => {
  const clock = testClock();
  const pending = new PendingQueries(clock);
  const result = pending.open(5, 99, 1000);
  const payload = new Uint8Array([1]);
  assertEquals(
    pending.record({ lTime: 5, id: 99, from: "a", flags: QUERY_FLAG_ACK, payload }),
    true,
  );
  assertEquals(
    pending.record({ lTime: 5, id: 99, from: "a", flags: QUERY_FLAG_ACK, payload }),
    false,
  );
  assertEquals(pending.record({ lTime: 5, id: 99, from: "a", flags: 0, payload }), true);
  assertEquals(pending.record({ lTime: 5, id: 99, from: "a", flags: 0, payload }), false);
  assertEquals(pending.record({ lTime: 5, id: 1, from: "b", flags: 0, payload }), false);
  clock.advance(1000);
  const r = await result;
  assertEquals(r.acks, ["a"]);
  assertEquals(r.responses.map((x) => x.from), ["a"]);
  assertEquals(pending.record({ lTime: 5, id: 99, from: "c", flags: 0, payload }), false);
});

Deno.test("PendingQueries.closeAll() resolves open queries at once", async () => {
  const pending = new PendingQueries(testClock());
  const result = pending.open(1, 1, 60_000);
  pending.closeAll();
  assertEquals((await result).acks, []);
});
