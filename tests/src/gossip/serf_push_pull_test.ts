import { assertEquals } from "../../_helpers/assert.ts";
import { MsgpackReader, MsgpackWriter } from "../../../src/gossip/msgpack.ts";
import {
  readPushPullBody,
  type SerfPushPullMessage,
  writePushPullBody,
} from "../../../src/gossip/serf_push_pull.ts";
import { bytesOf, hexOf, SERF_PUSH_PULL } from "./_wire_vectors.ts";

Deno.test("readPushPullBody() reads the captured state and writePushPullBody() rebuilds it", () => {
  const pp = readPushPullBody(new MsgpackReader(SERF_PUSH_PULL, 1));
  const w = new MsgpackWriter().byte(2);
  writePushPullBody(w, pp);
  assertEquals(hexOf(w.finish()), hexOf(SERF_PUSH_PULL));
});

Deno.test("readPushPullBody() reads event slots with several events and nil fields", () => {
  const state: SerfPushPullMessage = {
    type: "pushPull",
    lTime: 12,
    statusLTimes: { a: 3, b: 2 ** 35 },
    leftMembers: ["c"],
    eventLTime: 600,
    events: [
      {
        lTime: 512,
        events: [{ name: "x", payload: bytesOf("01") }, { name: "y", payload: bytesOf("") }],
      },
      null,
    ],
    queryLTime: 0,
  };
  const w = new MsgpackWriter();
  writePushPullBody(w, state);
  assertEquals(readPushPullBody(new MsgpackReader(w.finish())), state);
  const nils = bytesOf(`83 a6 "Events" c0 ab "LeftMembers" c0 ac "StatusLTimes" c0`);
  assertEquals(readPushPullBody(new MsgpackReader(nils)), {
    type: "pushPull",
    lTime: 0,
    statusLTimes: {},
    leftMembers: [],
    eventLTime: 0,
    events: [],
    queryLTime: 0,
  });
});
