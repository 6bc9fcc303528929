import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { MsgpackReader } from "../../../src/gossip/msgpack_reader.ts";
import { readMsgValue } from "../../../src/gossip/read_msg_value.ts";
import { MAX_MSGPACK_DEPTH } from "../../../src/gossip/wire_constants.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";
import { bytesOf } from "./_wire_vectors.ts";

Deno.test("readMsgValue() maps maps, arrays, bin and nil to Map, array, a copy and null", () => {
  const input = bytesOf("82 a1 61 92 c0 c3 a1 62 c4 02 01 02");
  const value = readMsgValue(new MsgpackReader(input), 0) as Map<unknown, unknown>;
  assertEquals(value.get("a"), [null, true]);
  const bin = value.get("b") as Uint8Array;
  assertEquals([...bin], [1, 2]);
  assertEquals(bin.buffer === input.buffer, false);
});

Deno.test("readMsgValue() refuses nesting past MAX_MSGPACK_DEPTH", () => {
  const deep = new Uint8Array(MAX_MSGPACK_DEPTH + 2).fill(0x91);
  const e = assertThrows(() => readMsgValue(new MsgpackReader(deep), 0), WireError) as WireError;
  assertEquals(e.reason, "too_deep");
});
