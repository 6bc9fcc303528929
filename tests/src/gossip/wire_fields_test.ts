import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { MsgpackReader } from "../../../src/gossip/msgpack.ts";
import {
  readFields,
  readU16,
  readU32,
  readVsn,
  vsnBytes,
} from "../../../src/gossip/wire_fields.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";
import { bytesOf } from "./_wire_vectors.ts";

Deno.test("readVsn() reads raw bytes, bin and integer arrays", () => {
  assertEquals(readVsn(new MsgpackReader(bytesOf("a6 010502020505"))), [1, 5, 2, 2, 5, 5]);
  assertEquals(readVsn(new MsgpackReader(bytesOf("c4 06 010502020504"))), [1, 5, 2, 2, 5, 4]);
  assertEquals(readVsn(new MsgpackReader(bytesOf("97 01 05 02 02 05 04 09"))), [1, 5, 2, 2, 5, 4]);
  assertEquals(readVsn(new MsgpackReader(bytesOf("c0"))), [0, 0, 0, 0, 0, 0]);
  assertThrows(() => readVsn(new MsgpackReader(bytesOf("91 cd 0100"))), WireError);
});

Deno.test("vsnBytes() refuses values outside a byte", () => {
  assertEquals(vsnBytes([1, 5, 2, 2, 5, 4]), bytesOf("010502020504"));
  assertThrows(() => vsnBytes([1, 5, 2, 2, 5, 256]), RangeError);
});

Deno.test("readU16() and readU32() refuse values beyond their Go types", () => {
  assertEquals(readU16(new MsgpackReader(bytesOf("cd ffff"))), 65535);
  assertThrows(() => readU16(new MsgpackReader(bytesOf("ce 00010000"))), WireError);
  assertEquals(readU32(new MsgpackReader(bytesOf("ce ffffffff"))), 0xffffffff);
  assertThrows(() => readU32(new MsgpackReader(bytesOf("cf 0000000100000000"))), WireError);
});

Deno.test("readFields() skips the fields the callback does not take", () => {
  const r = new MsgpackReader(bytesOf(`83 a1 "x" 92 01 02 a1 "a" 07 a1 "y" 81 a1 "z" c0 ff`));
  const seen: string[] = [];
  let a = 0;
  readFields(r, (key) => {
    seen.push(key);
    if (key !== "a") return false;
    a = r.readUint();
    return true;
  });
  assertEquals([seen, a, r.remaining], [["x", "a", "y"], 7, 1]);
});
