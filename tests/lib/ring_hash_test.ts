import { assert, assertEquals } from "../_helpers/assert.ts";
import { crc32Bytes, crc32String } from "../../lib/_crc32.ts";
import { fmix32, murmur3Bytes, murmur3String } from "../../lib/_murmur3.ts";
import { PointRing } from "../../lib/_point_ring.ts";
import { radixSortPairs } from "../../lib/_radix_sort.ts";
import { defaultPoints } from "../../lib/_ring_points.ts";

const ENCODER = new TextEncoder();

/** mulberry32 returning 32-bit unsigned integers. */
function seededUint32(seed: number): () => number {
  let state = seed >>> 0;
  return function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function randomString(next: () => number): string {
  const alphabet = ["a", "Z", "0", "-", "\0", "é", "ß", "用", "户", "🚀", "\ud800", "\udfff"];
  const length = next() % 13;
  return Array.from({ length }, () => alphabet[next() % alphabet.length]).join("");
}

Deno.test("murmur3String() matches published MurmurHash3 x86_32 vectors", () => {
  assertEquals(murmur3String("", 0), 0);
  assertEquals(murmur3String("", 1), 0x514e28b7);
  assertEquals(murmur3String("", 0xffffffff), 0x81f16f39);
  assertEquals(murmur3String("Hello, world!", 1234), 0xfaf6cdb3);
  assertEquals(
    murmur3String("The quick brown fox jumps over the lazy dog", 0x9747b28c),
    0x2fa826cd,
  );
  assertEquals(murmur3String("ππππππππ", 0x9747b28c), 0xd58063c1);
  assertEquals(murmur3Bytes(new Uint8Array([0x21, 0x43, 0x65, 0x87]), 0), 0xf55b516b);
});

Deno.test("murmur3String() and crc32String() hash the UTF-8 bytes of any string", () => {
  const next = seededUint32(99);
  for (let i = 0; i < 2000; i++) {
    const text = randomString(next);
    const bytes = ENCODER.encode(text);
    assertEquals(murmur3String(text, 7), murmur3Bytes(bytes, 7), JSON.stringify(text));
    assertEquals(crc32String(text), crc32Bytes(bytes), JSON.stringify(text));
  }
  assertEquals(crc32String("123456789"), 0xcbf43926);
});

Deno.test("fmix32() is a bijection on a sample and avalanches single-bit changes", () => {
  const seen = new Set<number>();
  for (let i = 0; i < 100_000; i++) seen.add(fmix32(i));
  assertEquals(seen.size, 100_000);
  let flipped = 0;
  for (let i = 0; i < 1000; i++) {
    const diff = fmix32(i) ^ fmix32(i ^ 1);
    for (let bit = 0; bit < 32; bit++) flipped += (diff >>> bit) & 1;
  }
  const mean = flipped / 1000;
  assert(mean > 14 && mean < 18, `mean flipped bits ${mean}`);
});

Deno.test("defaultPoints() depends only on the id and index, and extends without changing earlier points", () => {
  const all = defaultPoints("svc-1", 0, 300);
  assertEquals(defaultPoints("svc-1", 100, 300), all.subarray(100));
  assertEquals(new Set(all).size, 300);
  const other = new Set(defaultPoints("svc-2", 0, 300));
  assert([...all].filter((p) => other.has(p)).length <= 1);
});

Deno.test("radixSortPairs() sorts keys stably, carrying values along", () => {
  const next = seededUint32(5);
  const keys = Uint32Array.from({ length: 5000 }, () => (next() % 3 === 0 ? 12345 : next()));
  const values = Uint32Array.from({ length: 5000 }, (_, i) => i);
  const sorted = radixSortPairs({ keys: keys.slice(), values: values.slice() });
  const expected = [...keys.keys()].sort((a, b) => keys[a] - keys[b] || a - b);
  assertEquals([...sorted.keys], expected.map((i) => keys[i]));
  assertEquals([...sorted.values], expected);
});

Deno.test("PointRing orders owners of equal points by the tie order, whatever the add order", () => {
  const rank = [0, 3, 1, 2];
  const build = (order: number[], flushEach: boolean): PointRing => {
    const ring = new PointRing((a, b) => rank[a] < rank[b]);
    for (const owner of order) {
      ring.add(Uint32Array.of(10, 20 + owner, 30), owner);
      if (flushEach) ring.flush();
    }
    ring.flush();
    return ring;
  };
  for (
    const [order, flushEach] of [[[0, 1, 2, 3], false], [[3, 2, 1, 0], true], [
      [1, 3, 0, 2],
      false,
    ]] as const
  ) {
    const ring = build([...order], flushEach);
    assertEquals([...ring.points.subarray(0, ring.length)], [
      10,
      10,
      10,
      10,
      20,
      21,
      22,
      23,
      30,
      30,
      30,
      30,
    ]);
    assertEquals([...ring.owners.subarray(0, 4)], [0, 2, 3, 1]);
    assertEquals(ring.successor(10), 0);
    assertEquals(ring.predecessor(10), 3);
    assertEquals(ring.successor(31), 0);
    assertEquals(ring.predecessor(9), 11);
    ring.removeOwner(0);
    assertEquals([...ring.owners.subarray(0, ring.length)], [2, 3, 1, 1, 2, 3, 2, 3, 1]);
  }
});

Deno.test("PointRing.successor() and predecessor() agree with a linear scan", () => {
  const next = seededUint32(11);
  const ring = new PointRing((a, b) => a < b);
  for (let owner = 0; owner < 5; owner++) {
    ring.add(Uint32Array.from({ length: 3000 }, () => next()), owner);
  }
  ring.flush();
  const points = ring.points.subarray(0, ring.length);
  for (let i = 0; i < 2000; i++) {
    const hash = i < 4 ? [0, 0xffffffff, points[0], points[points.length - 1]][i] : next();
    const up = points.findIndex((p) => p >= hash);
    assertEquals(ring.successor(hash), up === -1 ? 0 : up);
    const down = points.findLastIndex((p) => p <= hash);
    assertEquals(ring.predecessor(hash), down === -1 ? points.length - 1 : down);
  }
});

Deno.test("defaultPoints() is pinned: changing it changes every default ring's answers", () => {
  // Registry nodes must agree across versions (NodeInfo.ring "default-1");
  // a change here needs a new ring version.
  assertEquals([...defaultPoints("svc-1", 0, 3)], [1775260458, 3006253874, 3447841253]);
  assertEquals([...defaultPoints("é", 9997, 10000)], [4184332189, 528667338, 2009200488]);
});
