import { assert, assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { lzwCompress, lzwDecompress } from "../../../src/gossip/lzw.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";
import { COMPRESSED_ACK, hexOf } from "./_wire_vectors.ts";

/** The LZW bytes inside the captured compress message (after `Buf: da 0062`). */
const CAPTURED_LZW = COMPRESSED_ACK.subarray(15);

function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function reason(fn: () => unknown): string {
  return (assertThrows(fn, WireError) as WireError).reason;
}

Deno.test("lzwDecompress() expands the captured agent packet to the 150-byte ack", () => {
  assertEquals(CAPTURED_LZW.length, 98);
  const plain = lzwDecompress(CAPTURED_LZW, 4096);
  assertEquals(plain.length, 150);
  assertEquals(hexOf(plain.subarray(0, 4)), "0282a750"); // ack, map of 2, "Payload"
  assertEquals(hexOf(plain.subarray(-7)), "a55365714e6f01"); // "SeqNo" 1
});

Deno.test("lzwCompress() reproduces Go's bytes for the captured ack", () => {
  const plain = lzwDecompress(CAPTURED_LZW, 4096);
  assertEquals(hexOf(lzwCompress(plain)), hexOf(CAPTURED_LZW));
});

Deno.test("lzwCompress() writes CLEAR then EOF for empty input", () => {
  assertEquals(hexOf(lzwCompress(new Uint8Array(0))), "000302");
  assertEquals(lzwDecompress(lzwCompress(new Uint8Array(0)), 10).length, 0);
});

Deno.test("lzwCompress() round-trips random and repetitive data across table resets", () => {
  const rnd = seeded(7);
  const inputs = [
    new Uint8Array([5]),
    new Uint8Array(100_000).fill(0x61),
    Uint8Array.from({ length: 50_000 }, () => Math.floor(rnd() * 256)),
    Uint8Array.from({ length: 60_000 }, () => Math.floor(rnd() * 4)),
    Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7) % 251),
  ];
  for (const input of inputs) {
    const packed = lzwCompress(input);
    assertEquals(lzwDecompress(packed, input.length), input);
  }
});

Deno.test("lzwDecompress() accepts a stream without the leading CLEAR", () => {
  // Older Go encoders: literal 'A' (0x41), EOF, in 9-bit LSB codes.
  const bits = 0x41 | (257 << 9);
  const bytes = new Uint8Array([bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff]);
  assertEquals(lzwDecompress(bytes, 10), new Uint8Array([0x41]));
});

Deno.test("lzwDecompress() stops a decompression bomb at maxOutput", () => {
  const bomb = lzwCompress(new Uint8Array(1_000_000));
  assert(bomb.length < 20_000);
  assertEquals(reason(() => lzwDecompress(bomb, 65_536)), "too_large");
});

Deno.test("lzwDecompress() rejects truncated input and invalid codes with typed errors", () => {
  const packed = lzwCompress(new TextEncoder().encode("hello hello hello hello"));
  for (let cut = 0; cut < packed.length - 1; cut++) {
    assertEquals(reason(() => lzwDecompress(packed.subarray(0, cut), 1000)), "bad_compression");
  }
  // CLEAR, then code 300 before any entry exists.
  const bits = 256 | (300 << 9);
  const bad = new Uint8Array([bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, 0]);
  assertEquals(reason(() => lzwDecompress(bad, 1000)), "bad_compression");
});

Deno.test("lzwDecompress() never throws anything but WireError on random input", () => {
  const rnd = seeded(99);
  for (let i = 0; i < 2000; i++) {
    const junk = Uint8Array.from(
      { length: 1 + Math.floor(rnd() * 64) },
      () => Math.floor(rnd() * 256),
    );
    try {
      lzwDecompress(junk, 4096);
    } catch (e) {
      assert(e instanceof WireError, String(e));
    }
  }
});
