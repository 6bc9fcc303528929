import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { MsgFloat64, type MsgValue, writeMsgValue } from "../../../src/gossip/msgpack_value.ts";
import { MsgpackWriter } from "../../../src/gossip/msgpack_writer.ts";
import { hexOf } from "./_wire_vectors.ts";

function hex(v: MsgValue): string {
  return hexOf(writeMsgValue(new MsgpackWriter(), v).finish());
}

Deno.test("writeMsgValue() writes structs with sorted keys and leaves out undefined fields", () => {
  assertEquals(hex({ b: 1, a: null, c: undefined }), "82a161c0a16201");
});

Deno.test("writeMsgValue() keeps map order and writes MsgFloat64 as CB", () => {
  assertEquals(
    hex(new Map<string, MsgValue>([["b", 1], ["a", new MsgFloat64(1)]])),
    "82a16201a161cb3ff0000000000000",
  );
  assertEquals(hex([true, -1, 1.5]), "93c3ffcb3ff8000000000000");
});

Deno.test("writeMsgValue() refuses values msgpack cannot express", () => {
  assertThrows(() => hex((() => 1) as unknown as MsgValue), TypeError);
});
