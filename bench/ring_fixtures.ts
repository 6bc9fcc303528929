/**
 * Shared fixtures for the ring benchmarks and the ring report: member ids,
 * keys, a seeded generator and the "bare hash + binary search" baseline.
 *
 * @module
 */
import { HashRing, type RingAlgorithm } from "../lib/ring.ts";
import { defaultPoints } from "../lib/_ring_points.ts";

/** Member ids `svc-0` … `svc-(n-1)`. */
export function memberIds(n: number, prefix = "svc-"): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`);
}

/** A ring of `n` members of weight 1 with default point counts, merged. */
export function buildRing(n: number, algorithm: RingAlgorithm, prefix = "svc-"): HashRing {
  const ring = new HashRing({ algorithm });
  for (const id of memberIds(n, prefix)) ring.add(id);
  ring.match("");
  return ring;
}

/** Short ASCII keys like the Go measurements used: `user-id-<n>`. */
export function userKeys(count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => `user-id-${from + i}`);
}

/**
 * A seeded PRNG (mulberry32) returning integers in `[0, 2^32)`.
 *
 * @param seed Any 32-bit integer.
 * @returns The next-value function.
 */
export function seededUint32(seed: number): () => number {
  let state = seed >>> 0;
  return function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Sorted default-algorithm points of `n` members, for the bare baseline. */
export function barePoints(n: number, pointsPerMember = 10_000): Uint32Array {
  const all = new Uint32Array(n * pointsPerMember);
  memberIds(n).forEach((id, i) =>
    all.set(defaultPoints(id, 0, pointsPerMember), i * pointsPerMember)
  );
  return all.sort();
}

/**
 * The plainest lookup: index of the first point at or above `hash` in a
 * sorted array, wrapping to 0; no bucket index, no owner.
 */
export function bareSearch(points: Uint32Array, hash: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid] < hash) lo = mid + 1;
    else hi = mid;
  }
  return lo === points.length ? 0 : lo;
}
