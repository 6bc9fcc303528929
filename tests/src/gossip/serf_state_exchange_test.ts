import { encodeSerfMessage } from "../../../src/gossip/serf_messages.ts";
import {
  encodeLocalState,
  mergeRemoteStateBytes,
  syncStateOf,
} from "../../../src/gossip/serf_state_exchange.ts";
import { decodeSerfMessage } from "../../../src/gossip/serf_messages.ts";
import { assertEquals } from "../../_helpers/assert.ts";
import { coreFixture } from "./_serf_core_fixture.ts";

Deno.test("encodeLocalState() sends our clocks and member status times", () => {
  const f = coreFixture();
  f.core.memberClock.witness(6);
  const pp = decodeSerfMessage(encodeLocalState(f.core));
  assertEquals(pp.type === "pushPull" && [pp.lTime, pp.statusLTimes], [7, { me: 0 }]);
});

Deno.test("mergeRemoteStateBytes() counts bytes that are not a push-pull state", () => {
  const f = coreFixture();
  mergeRemoteStateBytes(f.core, new Uint8Array([2, 0xc1]), false);
  mergeRemoteStateBytes(f.core, encodeSerfMessage({ type: "join", lTime: 1, node: "a" }), false);
  assertEquals(f.counts, { serf_bad_push_pull: 2 });
  assertEquals(f.logs.map((l) => l.message), ["Dropped undecodable serf push-pull state"]);
});

Deno.test("mergeRemoteStateBytes() applies a peer's state without re-gossip", () => {
  const a = coreFixture();
  a.core.members.nodeJoined({
    name: "x",
    ip: "10.0.0.3",
    port: 1,
    tags: {},
    vsn: [1, 5, 2, 2, 5, 4],
  });
  syncStateOf(a.core).applyJoin({ lTime: 4, node: "x" });
  const b = coreFixture();
  b.core.members.nodeJoined({
    name: "x",
    ip: "10.0.0.3",
    port: 1,
    tags: {},
    vsn: [1, 5, 2, 2, 5, 4],
  });
  mergeRemoteStateBytes(b.core, encodeLocalState(a.core), false);
  assertEquals(b.core.members.get("x")?.statusLTime, 4);
  assertEquals(b.core.queues.depths(), { intent: 0, query: 0, event: 0 });
});
