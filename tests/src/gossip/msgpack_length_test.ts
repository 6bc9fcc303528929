import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { msgpackLength } from "../../../src/gossip/msgpack_length.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";
import { bytesOf } from "./_wire_vectors.ts";

function reason(fn: () => unknown): string {
  return (assertThrows(fn, WireError) as WireError).reason;
}

Deno.test("msgpackLength() measures one value and asks for more when cut", () => {
  const full = bytesOf(`82 a1 "a" dc 0002 01 cd 0102 a1 "b" c4 03 010203 ff`);
  assertEquals(msgpackLength(full), full.length - 1);
  for (let cut = 0; cut < full.length - 1; cut++) {
    assertEquals(msgpackLength(full.subarray(0, cut)), -1);
  }
  assertEquals(msgpackLength(full, { offset: full.length - 1 }), 1);
  assertEquals(reason(() => msgpackLength(full, { maxBytes: 5 })), "too_large");
  assertEquals(reason(() => msgpackLength(bytesOf("c1"))), "bad_msgpack");
});
