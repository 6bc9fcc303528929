import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { decodeMsgpack, MsgpackReader } from "../../../src/gossip/msgpack_reader.ts";
import { msgpackLength } from "../../../src/gossip/msgpack_length.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";
import { bytesOf } from "./_wire_vectors.ts";

function reason(fn: () => unknown): string {
  return (assertThrows(fn, WireError) as WireError).reason;
}

Deno.test("decodeMsgpack() accepts every integer width and float form", () => {
  const cases: [string, unknown][] = [
    ["05", 5],
    ["ff", -1],
    ["cc80", 128],
    ["cd1f0a", 7946],
    ["ce77359400", 2000000000],
    ["cf0000000000000001", 1],
    ["d0df", -33],
    ["d1ff7f", -129],
    ["d2ffff7fff", -32769],
    ["d3ffffffffffffffff", -1],
    ["ca3fc00000", 1.5],
    ["cb3ff8000000000000", 1.5],
    ["cfffffffffffffffff", 0xffffffffffffffffn],
  ];
  for (const [hex, want] of cases) {
    assertEquals(decodeMsgpack(bytesOf(hex)).value, want, hex);
  }
});

Deno.test("decodeMsgpack() reads D9 and bin forms and reports bytesUsed", () => {
  assertEquals(decodeMsgpack(bytesOf(`d9 03 "abc" ff`)), { value: "abc", bytesUsed: 5 });
  assertEquals(decodeMsgpack(bytesOf(`c4 02 0102`)).value, new Uint8Array([1, 2]));
  const map = decodeMsgpack(bytesOf(`82 a1 "b" 01 a1 "a" 90`)).value as Map<string, unknown>;
  assertEquals([...map.entries()], [["b", 1], ["a", []]]);
});

Deno.test("MsgpackReader.readString() refuses bin but readBytes() accepts it", () => {
  const bin = bytesOf("c4 01 41");
  assertEquals(reason(() => new MsgpackReader(bin).readString()), "bad_msgpack");
  assertEquals(new MsgpackReader(bin).readBytes(), new Uint8Array([0x41]));
  assertEquals(new MsgpackReader(bytesOf("d9 01 41")).readBytes(), new Uint8Array([0x41]));
});

Deno.test("MsgpackReader reads nil as the zero value of every type", () => {
  const r = new MsgpackReader(bytesOf("c0 c0 c0 c0 c0 c0 c0"));
  assertEquals(r.readString(), "");
  assertEquals(r.readUint(), 0);
  assertEquals(r.readBool(), false);
  assertEquals(r.readBytes().length, 0);
  assertEquals(r.readBytesOrNil(), undefined);
  assertEquals(r.readMapHeader(), 0);
  assertEquals(r.readFloat(), 0);
});

Deno.test("MsgpackReader.readBool() accepts 0 and 1 as Go does", () => {
  const r = new MsgpackReader(bytesOf("01 00 c3"));
  assertEquals([r.readBool(), r.readBool(), r.readBool()], [true, false, true]);
});

Deno.test("MsgpackReader throws typed errors on truncated input at every cut", () => {
  const full = bytesOf(
    `83 a4 "Name" a4 "beta" a4 "Port" cd 1f0b a4 "List" 92 cb3ff8000000000000 01`,
  );
  assertEquals((decodeMsgpack(full).value as Map<string, unknown>).size, 3);
  for (let cut = 0; cut < full.length; cut++) {
    assertEquals(reason(() => decodeMsgpack(full.subarray(0, cut))), "truncated", `cut ${cut}`);
  }
});

Deno.test("MsgpackReader refuses huge declared lengths without allocating", () => {
  assertEquals(reason(() => decodeMsgpack(bytesOf("dbffffffff 41"))), "truncated");
  assertEquals(reason(() => decodeMsgpack(bytesOf("ddffffffff 01"))), "truncated");
  assertEquals(reason(() => decodeMsgpack(bytesOf("dfffffffff 01"))), "truncated");
  assertEquals(reason(() => decodeMsgpack(bytesOf("c6ffffffff 01"))), "truncated");
});

Deno.test("MsgpackReader refuses nesting deeper than the limit", () => {
  const deep = new Uint8Array(1000).fill(0x91);
  assertEquals(reason(() => decodeMsgpack(deep)), "too_deep");
  // Skipping is iterative: only truncation matters there.
  assertEquals(msgpackLength(deep), -1);
});

Deno.test("MsgpackReader refuses the reserved byte and wrong types", () => {
  assertEquals(reason(() => decodeMsgpack(bytesOf("c1"))), "bad_msgpack");
  assertEquals(reason(() => new MsgpackReader(bytesOf("a1 41")).readUint()), "bad_msgpack");
  assertEquals(reason(() => new MsgpackReader(bytesOf("ff")).readUint()), "bad_msgpack");
  assertEquals(reason(() => new MsgpackReader(bytesOf("01")).readMapHeader()), "bad_msgpack");
  assertEquals(
    reason(() => new MsgpackReader(bytesOf("d3 7fffffffffffffff")).readInt()),
    "bad_msgpack",
  );
});
