import { decodeSerfMessage, encodeSerfMessage } from "../../../src/gossip/serf_messages.ts";
import { receiveSerfPayload } from "../../../src/gossip/serf_receive.ts";
import { assertEquals } from "../../_helpers/assert.ts";
import { coreFixture } from "./_serf_core_fixture.ts";

Deno.test("receiveSerfPayload() re-gossips new messages in the queue of their kind", () => {
  const f = coreFixture();
  const event = encodeSerfMessage({
    type: "userEvent",
    lTime: 1,
    name: "x",
    payload: new Uint8Array(),
    cc: false,
  });
  receiveSerfPayload(f.core, event);
  receiveSerfPayload(f.core, event);
  receiveSerfPayload(f.core, encodeSerfMessage({ type: "join", lTime: 3, node: "a" }));
  assertEquals(f.core.queues.depths(), { intent: 1, query: 0, event: 1 });
  assertEquals(f.emitted.map((e) => e.type), ["user"]);
});

Deno.test("receiveSerfPayload() keeps a copy, not the caller's buffer", () => {
  const f = coreFixture();
  const bytes = encodeSerfMessage({ type: "join", lTime: 3, node: "a" });
  receiveSerfPayload(f.core, bytes);
  bytes.fill(0);
  const [copy] = f.core.queues.take(2, 1400).map(decodeSerfMessage);
  assertEquals(copy, { type: "join", lTime: 3, node: "a" });
});

Deno.test("receiveSerfPayload() counts and logs an undecodable message", () => {
  const f = coreFixture();
  receiveSerfPayload(f.core, new Uint8Array([0x42, 0xff]));
  assertEquals(f.counts, { serf_bad_message: 1 });
  assertEquals(f.logs.map((l) => l.message), ["Dropped undecodable serf message"]);
});
