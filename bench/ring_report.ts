/**
 * Prints the ring figures `deno bench` cannot show, as markdown tables:
 * build and churn times, bytes per point, balance (busiest member over the
 * mean, from 1,000,000 seeded random keys and exactly from the hash space),
 * and the fraction of keys remapped when one member is added or removed.
 *
 * Run: `deno run -A bench/ring_report.ts` (add `--quick` to skip 1,000 members).
 * `--names` instead prints how the default ring's balance varies with the
 * member names: exact peak/mean over seeded random name sets.
 *
 * @module
 */
import { HashRing, type RingAlgorithm } from "../lib/ring.ts";
import { buildRing, memberIds, seededUint32 } from "./ring_fixtures.ts";

const KEY_COUNT = 1_000_000;
const SIZES = Deno.args.includes("--quick") ? [3, 10, 100] : [3, 10, 100, 1000];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeMs(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function randomKeys(count: number, seed: number): string[] {
  const next = seededUint32(seed);
  return Array.from({ length: count }, () => `key-${next().toString(36)}-${next().toString(36)}`);
}

function owners(ring: HashRing, keys: string[]): string[] {
  return keys.map((key) => ring.match(key)!);
}

function peakOverMean(counts: Iterable<number>, members: number, total: number): number {
  return Math.max(...counts) / (total / members);
}

/** Fraction of keys that moved, and how many moved between two unchanged members. */
function remap(before: string[], after: string[], changed: string): [number, number] {
  let moved = 0;
  let stray = 0;
  for (let i = 0; i < before.length; i++) {
    if (before[i] === after[i]) continue;
    moved++;
    if (before[i] !== changed && after[i] !== changed) stray++;
  }
  return [moved / before.length, stray];
}

function row(algorithm: RingAlgorithm, n: number, keys: string[]): string {
  const ids = memberIds(n);
  const reps = n >= 1000 ? 3 : 5;
  const build = median(Array.from({ length: reps }, () => timeMs(() => buildRing(n, algorithm))));
  const ring = buildRing(n, algorithm);
  const points = ring.pointCount;
  const bytesPerPoint = ring.byteLength / points;
  const base = owners(ring, keys);
  const counts = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const owner of base) counts.set(owner, counts.get(owner)! + 1);
  const sampled = peakOverMean(counts.values(), n, keys.length);
  const exact = Math.max(...ring.ownership().values()) * n;

  const add = timeMs(() => {
    ring.add("svc-new");
    ring.match("");
  });
  const [addMoved, addStray] = remap(base, owners(ring, keys), "svc-new");
  const drop = timeMs(() => ring.remove("svc-new"));
  const removed = ids[0];
  const remove = timeMs(() => ring.remove(removed));
  const [removeMoved, removeStray] = remap(base, owners(ring, keys), removed);
  const addIdeal = 1 / (n + 1);
  const removeIdeal = 1 / n;
  return [
    algorithm,
    n,
    points,
    build.toFixed(1),
    add.toFixed(1),
    ((drop + remove) / 2).toFixed(1),
    bytesPerPoint.toFixed(2),
    sampled.toFixed(3),
    exact.toFixed(3),
    `${addMoved.toFixed(4)} / ${addIdeal.toFixed(4)} (${(addMoved / addIdeal).toFixed(3)}x)`,
    `${removeMoved.toFixed(4)} / ${removeIdeal.toFixed(4)} (${
      (removeMoved / removeIdeal).toFixed(3)
    }x)`,
    addStray + removeStray,
  ].join(" | ");
}

/** Exact busiest-member share over the mean for `sets` random name sets of `n` members. */
function nameSpread(n: number, sets: number, limit: number): string {
  const next = seededUint32(n);
  const peaks: number[] = [];
  for (let s = 0; s < sets; s++) {
    const ring = new HashRing();
    for (let i = 0; i < n; i++) ring.add(`${next().toString(36)}-${i}`);
    peaks.push(Math.max(...ring.ownership().values()) * n);
  }
  const over = peaks.filter((peak) => peak > limit).length;
  const sorted = [...peaks].sort((a, b) => a - b);
  return `| ${n} | ${sets} | ${sorted[0].toFixed(4)} | ${median(peaks).toFixed(4)} | ${
    sorted[sorted.length - 1].toFixed(4)
  } | ${over} above ${limit} |`;
}

function printNameSpread(): void {
  console.log("| members | name sets | min peak/mean | median | max | sets over target |");
  console.log("|---|---|---|---|---|---|");
  console.log(nameSpread(3, 40, 1.02));
  console.log(nameSpread(10, 40, 1.02));
  console.log(nameSpread(100, 10, 1.05));
}

function printTable(): void {
  const keys = randomKeys(KEY_COUNT, 20261122);
  console.log(
    "| algorithm | members | points | build ms | add 1 ms | remove 1 ms | bytes/point | peak/mean (1M keys) | peak/mean (hash space) | add remap / ideal | remove remap / ideal | keys moved between unchanged members |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const algorithm of ["default", "chash"] as const) {
    for (const n of SIZES) console.log(`| ${row(algorithm, n, keys)} |`);
  }
}

if (Deno.args.includes("--names")) printNameSpread();
else printTable();
