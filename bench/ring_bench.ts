/**
 * Ring micro benchmarks: key hashing (pure JS against hash-wasm), lookups
 * against a bare "hash + binary search" baseline at 3 / 10 / 100 / 1,000
 * members, build, and adding or removing one member. Lookup benches do
 * 1,000 lookups per iteration: lookups/s = 1,000 × iter/s.
 *
 * Run: `deno bench -A --unstable-net bench/ring_bench.ts`
 *
 * @module
 */
import { createCRC32, createXXHash32 } from "hash-wasm";
import { crc32String } from "../lib/_crc32.ts";
import { murmur3Bytes, murmur3String } from "../lib/_murmur3.ts";
import { HashRing, type RingAlgorithm } from "../lib/ring.ts";
import { barePoints, bareSearch, buildRing, memberIds, userKeys } from "./ring_fixtures.ts";

const KEYS = userKeys(1000, 100_000);
const WIDE_KEYS = KEYS.map((key) => key.replace("user", "用户"));
const ENCODER = new TextEncoder();
const wasmCrc32 = await createCRC32();
const wasmXxhash32 = await createXXHash32(0);
let sink = 0;

function hashBench(name: string, hash: (key: string) => number, baseline = false): void {
  Deno.bench({
    name,
    group: "hash 1,000 short keys",
    baseline,
    fn() {
      for (const key of KEYS) sink ^= hash(key);
    },
  });
}

hashBench("murmur3 pure JS (ring default)", (key) => murmur3String(key, 0), true);
hashBench("crc32 pure JS (ring chash)", crc32String);
hashBench("murmur3 pure JS over TextEncoder.encode", (key) => murmur3Bytes(ENCODER.encode(key), 0));
hashBench("hash-wasm crc32 (init/update/digest)", (key) => {
  wasmCrc32.init();
  wasmCrc32.update(key);
  return new DataView(wasmCrc32.digest("binary").buffer).getUint32(0);
});
hashBench("hash-wasm xxhash32 (init/update/digest)", (key) => {
  wasmXxhash32.init();
  wasmXxhash32.update(key);
  return new DataView(wasmXxhash32.digest("binary").buffer).getUint32(0);
});
Deno.bench({
  name: "murmur3 pure JS, non-ASCII keys (encodeInto path)",
  group: "hash 1,000 short keys",
  fn() {
    for (const key of WIDE_KEYS) sink ^= murmur3String(key, 0);
  },
});

function lookupBenches(n: number): void {
  const group = `lookup x1000, ${n} members`;
  const points = barePoints(n);
  const rings: Record<RingAlgorithm, HashRing> = {
    default: buildRing(n, "default"),
    chash: buildRing(n, "chash"),
  };
  Deno.bench({
    name: `bare murmur3 + binary search (${n} members)`,
    group,
    baseline: true,
    fn() {
      for (const key of KEYS) sink ^= points[bareSearch(points, murmur3String(key, 0))];
    },
  });
  Deno.bench({
    name: `HashRing.match default (${n} members)`,
    group,
    fn() {
      for (const key of KEYS) sink ^= rings.default.match(key)!.length;
    },
  });
  Deno.bench({
    name: `bare crc32 + binary search (${n} members)`,
    group,
    fn() {
      for (const key of KEYS) sink ^= points[bareSearch(points, crc32String(key))];
    },
  });
  Deno.bench({
    name: `HashRing.match chash (${n} members)`,
    group,
    fn() {
      for (const key of KEYS) sink ^= rings.chash.match(key)!.length;
    },
  });
  Deno.bench({
    name: `HashRing.matchN(key, 2) default (${n} members)`,
    group,
    fn() {
      for (const key of KEYS) sink ^= rings.default.matchN(key, 2).length;
    },
  });
}

for (const n of [3, 10, 100, 1000]) lookupBenches(n);

function churnBenches(n: number, algorithm: RingAlgorithm): void {
  const group = `build and churn, ${algorithm}`;
  const ids = memberIds(n);
  const ring = buildRing(n, algorithm);
  const slow = n >= 1000 ? { n: 5, warmup: 1 } : {};
  Deno.bench({
    name: `build ${n} members (${n * 10}k points), ${algorithm}`,
    group,
    ...slow,
    fn() {
      const fresh = new HashRing({ algorithm });
      for (const id of ids) fresh.add(id);
      sink ^= fresh.match("k")!.length;
    },
  });
  Deno.bench({
    name: `add 1 member to ${n} (incl. merge), ${algorithm}`,
    group,
    ...slow,
    fn(b) {
      b.start();
      ring.add("extra");
      sink ^= ring.match("k")!.length;
      b.end();
      ring.remove("extra");
    },
  });
  Deno.bench({
    name: `remove 1 member of ${n + 1}, ${algorithm}`,
    group,
    ...slow,
    fn(b) {
      ring.add("extra");
      sink ^= ring.match("k")!.length;
      b.start();
      ring.remove("extra");
      b.end();
    },
  });
}

for (const algorithm of ["default", "chash"] as const) {
  for (const n of [10, 100, 1000]) churnBenches(n, algorithm);
}

globalThis.addEventListener("unload", () => {
  if (sink === 0.5) console.log(sink);
});
