import { assert, assertEquals, assertThrows } from "../../_helpers/assert.ts";
import {
  decodeMsgpack,
  encodeMsgpack,
  MsgFloat64,
  msgpackLength,
  MsgpackWriter,
} from "../../../src/gossip/msgpack.ts";
import { bytesOf, hexOf } from "./_wire_vectors.ts";

function enc(fn: (w: MsgpackWriter) => unknown): string {
  const w = new MsgpackWriter(4);
  fn(w);
  return hexOf(w.finish());
}

Deno.test("MsgpackWriter.uint() uses the smallest unsigned form at every boundary", () => {
  assertEquals(enc((w) => w.uint(0x7f)), "7f");
  assertEquals(enc((w) => w.uint(0x80)), "cc80");
  assertEquals(enc((w) => w.uint(0xff)), "ccff");
  assertEquals(enc((w) => w.uint(0x100)), "cd0100");
  assertEquals(enc((w) => w.uint(0xffff)), "cdffff");
  assertEquals(enc((w) => w.uint(0x10000)), "ce00010000");
  assertEquals(enc((w) => w.uint(0xffffffff)), "ceffffffff");
  assertEquals(enc((w) => w.uint(0x100000000)), "cf0000000100000000");
  assertEquals(enc((w) => w.uint(0xffffffffffffffffn)), "cfffffffffffffffff");
  assertThrows(() => new MsgpackWriter().uint(-1), RangeError);
  assertThrows(() => new MsgpackWriter().uint(1.5), RangeError);
});

Deno.test("MsgpackWriter.int() uses negative fixint and signed widths", () => {
  assertEquals(enc((w) => w.int(-1)), "ff");
  assertEquals(enc((w) => w.int(-32)), "e0");
  assertEquals(enc((w) => w.int(-33)), "d0df");
  assertEquals(enc((w) => w.int(-129)), "d1ff7f");
  assertEquals(enc((w) => w.int(-32769)), "d2ffff7fff");
  assertEquals(enc((w) => w.int(-(2 ** 40))), "d3ffffff0000000000");
});

Deno.test("MsgpackWriter.str() emits fixstr, DA and DB but never D9 or bin", () => {
  assertEquals(enc((w) => w.str("")), "a0");
  assertEquals(enc((w) => w.str("a".repeat(31))).slice(0, 2), "bf");
  assertEquals(enc((w) => w.str("a".repeat(32))).slice(0, 6), "da0020");
  assertEquals(enc((w) => w.str("a".repeat(255))).slice(0, 6), "da00ff");
  assertEquals(enc((w) => w.str("a".repeat(65536))).slice(0, 10), "db00010000");
  // Multi-byte text: the header follows the UTF-8 size, not the JS length.
  assertEquals(enc((w) => w.str("é".repeat(11))).slice(0, 2), "b6");
  assertEquals(enc((w) => w.str("é".repeat(16))).slice(0, 6), "da0020");
});

Deno.test("MsgpackWriter.bytes() writes byte slices as raw strings and nil as C0", () => {
  assertEquals(enc((w) => w.bytes(new Uint8Array([127, 0, 0, 1]))), "a47f000001");
  assertEquals(enc((w) => w.bytes(new Uint8Array(58))).slice(0, 6), "da003a");
  assertEquals(enc((w) => w.bytes(undefined)), "c0");
});

Deno.test("MsgpackWriter headers switch to 16 and 32-bit forms past 15 entries", () => {
  assertEquals(enc((w) => w.arrayHeader(15)), "9f");
  assertEquals(enc((w) => w.arrayHeader(512)), "dc0200");
  assertEquals(enc((w) => w.mapHeader(16)), "de0010");
  assertEquals(enc((w) => w.mapHeader(70000)), "df00011170");
});

Deno.test("encodeMsgpack() sorts struct keys by byte order and omits undefined", () => {
  const bytes = encodeMsgpack({ SeqNo: 1, ID: 2, LTime: 3, Payload: undefined, a: null });
  assertEquals(hexOf(bytes), hexOf(bytesOf(`84 a2 "ID" 02 a5 "LTime" 03 a5 "SeqNo" 01 a1 "a" c0`)));
});

Deno.test("encodeMsgpack() keeps Map order, and encodes floats, bools and arrays", () => {
  const m = new Map<string, string>([["z", "1"], ["a", "2"]]);
  assertEquals(hexOf(encodeMsgpack(m)), hexOf(bytesOf(`82 a1 "z" a1 "1" a1 "a" a1 "2"`)));
  assertEquals(hexOf(encodeMsgpack(new MsgFloat64(1.5))), "cb3ff8000000000000");
  assertEquals(hexOf(encodeMsgpack(0.5)), "cb3fe0000000000000");
  assertEquals(hexOf(encodeMsgpack([true, false, null])), "93c3c2c0");
});

Deno.test("encodeMsgpack() and decodeMsgpack() round-trip seeded random values", () => {
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const gen = (d: number): unknown => {
    const k = Math.floor(rnd() * (d > 3 ? 5 : 7));
    if (k === 0) return Math.floor(rnd() * 2 ** 40) - (rnd() < 0.3 ? 2 ** 39 : 0);
    if (k === 1) return "s".repeat(Math.floor(rnd() * 40));
    if (k === 2) return rnd() < 0.5;
    if (k === 3) return null;
    if (k === 4) return rnd() + 0.25;
    if (k === 5) return Array.from({ length: Math.floor(rnd() * 20) }, () => gen(d + 1));
    return new Map(Array.from({ length: Math.floor(rnd() * 20) }, (_, i) => [`k${i}`, gen(d + 1)]));
  };
  for (let i = 0; i < 300; i++) {
    const v = gen(0);
    const bytes = encodeMsgpack(v as never);
    const back = decodeMsgpack(bytes);
    assertEquals(back.value, v);
    assertEquals(back.bytesUsed, bytes.length);
    assertEquals(msgpackLength(bytes), bytes.length);
  }
  assert(seed > 0);
});
