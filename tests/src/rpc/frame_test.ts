import { assert, assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { RegistryError } from "../../../lib/errors.ts";
import {
  encodeFrame,
  encodeTextFrame,
  FrameDecoder,
  writeTextFrame,
} from "../../../src/rpc/frame.ts";

const decoder = new TextDecoder();

function collect(d: FrameDecoder, chunks: Uint8Array[]): string[] {
  const out: string[] = [];
  for (const chunk of chunks) d.push(chunk, (p) => out.push(decoder.decode(p)));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

Deno.test("encodeTextFrame() writes a 4-byte big-endian length before the UTF-8 payload", () => {
  const frame = encodeTextFrame('{"k":"é"}');
  assertEquals([...frame.subarray(0, 4)], [0, 0, 0, 10]);
  assertEquals(decoder.decode(frame.subarray(4)), '{"k":"é"}');
});

Deno.test("encodeFrame() prefixes binary payloads with their length", () => {
  const payload = new Uint8Array(300).fill(7);
  const frame = encodeFrame(payload);
  assertEquals([...frame.subarray(0, 4)], [0, 0, 1, 44]);
  assertEquals(frame.length, 304);
});

Deno.test("writeTextFrame() refuses a target without room for the worst case", () => {
  assertThrows(() => writeTextFrame("abcd", new Uint8Array(10), 0), RangeError);
  const target = new Uint8Array(32);
  assertEquals(writeTextFrame("ab", target, 3), 6);
  assertEquals([...target.subarray(3, 9)], [0, 0, 0, 2, 97, 98]);
});

Deno.test("FrameDecoder.push() decodes frames fed one byte at a time", () => {
  const bytes = concat(["one", "two", ""].map(encodeTextFrame));
  const d = new FrameDecoder();
  const chunks = [...bytes].map((b) => Uint8Array.of(b));
  assertEquals(collect(d, chunks), ["one", "two", ""]);
  assertEquals(d.pendingBytes, 0);
});

Deno.test("FrameDecoder.push() decodes many frames from one chunk, in order", () => {
  const texts = Array.from({ length: 100 }, (_, i) => `{"id":${i}}`);
  assertEquals(collect(new FrameDecoder(), [concat(texts.map(encodeTextFrame))]), texts);
});

Deno.test("FrameDecoder.push() joins a frame split across chunks at every offset", () => {
  const bytes = concat([encodeTextFrame("a".repeat(40)), encodeTextFrame("bc")]);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const got = collect(new FrameDecoder(), [bytes.subarray(0, cut), bytes.subarray(cut)]);
    assertEquals(got, ["a".repeat(40), "bc"], `cut at ${cut}`);
  }
});

Deno.test("FrameDecoder.push() holds a truncated frame without emitting it", () => {
  const frame = encodeTextFrame("truncated!");
  const d = new FrameDecoder();
  assertEquals(collect(d, [frame.subarray(0, 7)]), []);
  assertEquals(d.pendingBytes, 7);
  assertEquals(collect(d, [frame.subarray(7)]), ["truncated!"]);
});

Deno.test("FrameDecoder.push() grows for a frame larger than its initial buffer", () => {
  const big = "x".repeat(200_000);
  const bytes = encodeTextFrame(big);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += 1000) chunks.push(bytes.subarray(at, at + 1000));
  const d = new FrameDecoder();
  assertEquals(collect(d, chunks).map((t) => t.length), [200_000]);
});

Deno.test("FrameDecoder.push() rejects an oversized length from the header alone", () => {
  const d = new FrameDecoder({ maxFrameBytes: 16 });
  const header = Uint8Array.of(0, 0, 0, 17);
  const err = assertThrows(() => d.push(header, () => {}), RegistryError) as RegistryError;
  assertEquals(err.code, "FRAME_TOO_LARGE");
  // Once failed the decoder stays failed.
  assertThrows(() => d.push(encodeTextFrame("ok"), () => {}), RegistryError);
});

Deno.test("FrameDecoder.push() rejects an oversized length split across chunks", () => {
  const d = new FrameDecoder({ maxFrameBytes: 1024 });
  d.push(Uint8Array.of(0xff, 0xff), () => {});
  const err = assertThrows(() => d.push(Uint8Array.of(0xff, 0xff), () => {}), RegistryError);
  assertEquals((err as RegistryError).code, "FRAME_TOO_LARGE");
});

Deno.test("FrameDecoder.push() accepts a frame of exactly the maximum size", () => {
  const d = new FrameDecoder({ maxFrameBytes: 5 });
  assertEquals(collect(d, [encodeTextFrame("12345")]), ["12345"]);
});

Deno.test("FrameDecoder() rejects a negative or fractional maxFrameBytes", () => {
  assertThrows(() => new FrameDecoder({ maxFrameBytes: -1 }), RangeError);
  assertThrows(() => new FrameDecoder({ maxFrameBytes: 1.5 }), RangeError);
});

Deno.test("FrameDecoder.push() gives the same frames for random chunkings (seeded)", () => {
  let seed = 42;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const texts = Array.from({ length: 50 }, (_, i) => "é".repeat(i * 7));
  const bytes = concat(texts.map(encodeTextFrame));
  for (let round = 0; round < 20; round++) {
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length;) {
      const size = 1 + Math.floor(random() * 300);
      chunks.push(bytes.subarray(at, at + size));
      at += size;
    }
    const got = collect(new FrameDecoder(), chunks);
    assert(got.length === texts.length && got.every((t, i) => t === texts[i]), `round ${round}`);
  }
});
