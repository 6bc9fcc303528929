import { assertEquals, assertRejects, assertThrows } from "../../_helpers/assert.ts";
import type { PushPullMessage } from "../../../src/gossip/messages.ts";
import { MsgpackWriter } from "../../../src/gossip/msgpack.ts";
import { checkCount, readPushPull, writePushPull } from "../../../src/gossip/push_pull_codec.ts";
import { StreamReader } from "../../../src/gossip/stream_reader.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";
import { hexOf, PUSH_PULL_JOIN } from "./_wire_vectors.ts";

const MSG: PushPullMessage = {
  type: "pushPull",
  join: false,
  nodes: [
    {
      addr: new Uint8Array(16).fill(0xfe),
      incarnation: 70000,
      meta: new Uint8Array([0xff, 0x80]),
      name: "v6",
      port: 7370,
      state: 3,
      vsn: [1, 5, 2, 2, 5, 4],
    },
    {
      addr: new Uint8Array([10, 0, 0, 1]),
      incarnation: 2,
      meta: new Uint8Array(0),
      name: "dead",
      port: 1,
      state: 2,
      vsn: [1, 5, 2, 2, 5, 5],
    },
  ],
  userState: new Uint8Array([2, 0x80]),
};

Deno.test("writePushPull() and readPushPull() round-trip dead and left IPv6 entries", async () => {
  const w = new MsgpackWriter();
  writePushPull(w, MSG);
  const r = StreamReader.fromBytes(w.finish());
  assertEquals(await r.readByte(), 6);
  assertEquals(await readPushPull(r), MSG);
});

Deno.test("readPushPull() reads the captured join and writePushPull() rebuilds it", async () => {
  const r = StreamReader.fromBytes(PUSH_PULL_JOIN);
  await r.readByte();
  const msg = await readPushPull(r);
  const w = new MsgpackWriter();
  writePushPull(w, msg);
  assertEquals(hexOf(w.finish()), hexOf(PUSH_PULL_JOIN));
});

Deno.test("readPushPull() stops at the declared user state without reading further", async () => {
  const w = new MsgpackWriter();
  writePushPull(w, MSG);
  const r = StreamReader.fromBytes(new Uint8Array([...w.finish(), 0xaa, 0xbb]));
  await r.readByte();
  await readPushPull(r);
  assertEquals(r.buffered, 2);
  const cut = StreamReader.fromBytes(PUSH_PULL_JOIN.subarray(1, PUSH_PULL_JOIN.length - 1));
  await assertRejects(() => readPushPull(cut), WireError);
});

Deno.test("checkCount() refuses negative and oversized counts", () => {
  assertEquals(checkCount(5, 5, "nodes"), 5);
  const big = assertThrows(() => checkCount(6, 5, "nodes"), WireError) as WireError;
  assertEquals(big.reason, "too_large");
  const neg = assertThrows(() => checkCount(-1, 5, "nodes"), WireError) as WireError;
  assertEquals(neg.reason, "bad_message");
});
