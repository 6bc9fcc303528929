import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { decodeMessage, encodeMessage } from "../../../src/gossip/message_codec.ts";
import type { PacketMessage } from "../../../src/gossip/messages.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";
import {
  ALIVE_ALPHA,
  ALIVE_BETA,
  bytesOf,
  hexOf,
  INDIRECT_PING,
  LEAVE_DEAD,
  NACK,
  PING,
  SUSPECT,
} from "./_wire_vectors.ts";

const LOCALHOST = new Uint8Array([127, 0, 0, 1]);

function roundTrip(bytes: Uint8Array): PacketMessage {
  const msg = decodeMessage(bytes);
  assertEquals(hexOf(encodeMessage(msg)), hexOf(bytes));
  return msg;
}

function reason(fn: () => unknown): string {
  return (assertThrows(fn, WireError) as WireError).reason;
}

Deno.test("decodeMessage() reads the captured ping and encodeMessage() rebuilds its 66 bytes", () => {
  assertEquals(roundTrip(PING), {
    type: "ping",
    node: "beta",
    seqNo: 1,
    sourceAddr: LOCALHOST,
    sourceNode: "alpha",
    sourcePort: 7946,
  });
});

Deno.test("encodeMessage() leaves out empty ping source fields like omitempty", () => {
  const bytes = encodeMessage({ type: "ping", node: "", seqNo: 3 });
  assertEquals(hexOf(bytes), hexOf(bytesOf(`00 82 a4 "Node" a0 a5 "SeqNo" 03`)));
});

Deno.test("decodeMessage() reads the captured indirect ping and re-encodes it", () => {
  assertEquals(roundTrip(INDIRECT_PING), {
    type: "indirectPing",
    nack: true,
    node: "gamma",
    port: 7948,
    seqNo: 13,
    target: LOCALHOST,
    sourceAddr: LOCALHOST,
    sourceNode: "alpha",
    sourcePort: 7946,
  });
});

Deno.test("decodeMessage() reads the captured nack, suspect and leave dead", () => {
  assertEquals(roundTrip(NACK), { type: "nack", seqNo: 15 });
  assertEquals(roundTrip(SUSPECT), {
    type: "suspect",
    from: "alpha",
    incarnation: 1,
    node: "gamma",
  });
  assertEquals(roundTrip(LEAVE_DEAD.subarray(5)), {
    type: "dead",
    from: "beta",
    incarnation: 1,
    node: "beta",
  });
});

Deno.test("decodeMessage() reads the captured alives, Meta in DA form, and re-encodes them", () => {
  const alpha = roundTrip(ALIVE_ALPHA);
  if (alpha.type !== "alive") throw new Error("not alive");
  assertEquals(alpha.meta.length, 58);
  assertEquals(alpha.vsn, [1, 5, 2, 2, 5, 5]);
  assertEquals(roundTrip(ALIVE_BETA), {
    type: "alive",
    addr: LOCALHOST,
    incarnation: 1,
    meta: bytesOf("ff81a4726f6c65a3776562"),
    node: "beta",
    port: 7947,
    vsn: [1, 5, 2, 2, 5, 5],
  });
});

Deno.test("encodeMessage() writes acks with a nil or raw payload", () => {
  assertEquals(
    hexOf(encodeMessage({ type: "ack", seqNo: 9 })),
    hexOf(bytesOf(`02 82 a7 "Payload" c0 a5 "SeqNo" 09`)),
  );
  const ack = { type: "ack", seqNo: 70000, payload: new Uint8Array([1, 2]) } as const;
  assertEquals(decodeMessage(encodeMessage(ack)), ack);
});

Deno.test("decodeMessage() skips unknown keys, accepts any key order, bin and D9", () => {
  const bytes = bytesOf(
    `04 87 a3 "Vsn" 96 01 05 02 02 05 04 a5 "Extra" 92 01 c0 a4 "Port" cd 1f0a
     a4 "Node" d9 01 "x" a4 "Meta" c4 02 ff80 a4 "Addr" c4 10 00000000000000000000ffff7f000001
     ab "Incarnation" ce 00010000`,
  );
  const msg = decodeMessage(bytes);
  assertEquals(msg, {
    type: "alive",
    addr: bytesOf("00000000000000000000ffff7f000001"),
    incarnation: 65536,
    meta: bytesOf("ff80"),
    node: "x",
    port: 7946,
    vsn: [1, 5, 2, 2, 5, 4],
  });
});

Deno.test("decodeMessage() treats missing keys as zero and a short Vsn as zero-padded", () => {
  assertEquals(decodeMessage(bytesOf(`04 81 a3 "Vsn" a2 0105`)), {
    type: "alive",
    addr: new Uint8Array(0),
    incarnation: 0,
    meta: new Uint8Array(0),
    node: "",
    port: 0,
    vsn: [1, 5, 0, 0, 0, 0],
  });
});

Deno.test("decodeMessage() keeps a user message's payload as is", () => {
  assertEquals(decodeMessage(bytesOf("08 01 82")), { type: "user", payload: bytesOf("01 82") });
  assertEquals(hexOf(encodeMessage({ type: "user", payload: bytesOf("0102") })), "080102");
});

Deno.test("decodeMessage() throws typed errors for garbage, wrappers and out-of-range fields", () => {
  assertEquals(reason(() => decodeMessage(new Uint8Array(0))), "truncated");
  assertEquals(reason(() => decodeMessage(bytesOf("07 00"))), "unknown_type");
  assertEquals(reason(() => decodeMessage(bytesOf("06 80"))), "unknown_type");
  assertEquals(reason(() => decodeMessage(bytesOf("63"))), "unknown_type");
  assertEquals(
    reason(() => decodeMessage(bytesOf(`0b 81 a5 "SeqNo" cf 0000000100000000`))),
    "bad_msgpack",
  );
  assertEquals(reason(() => decodeMessage(bytesOf(`00 81 a4 "Node" c4 01 41`))), "bad_msgpack");
  assertEquals(reason(() => decodeMessage(bytesOf(`00 81 a4 "Port"`))), "truncated");
  for (let cut = 1; cut < PING.length; cut++) {
    assertEquals(reason(() => decodeMessage(PING.subarray(0, cut))), "truncated", `cut ${cut}`);
  }
});
