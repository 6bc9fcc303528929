/**
 * The sorted point array behind `HashRing`: virtual points in a
 * `Uint32Array`, their owners (member slots) in a parallel `Uint16Array`
 * (a `Uint32Array` past 65,536 slots), and a bucket index over the top bits
 * of the points so a lookup searches a handful of entries. Private to `lib/`.
 *
 * Adding a member queues its points; queued points are radix-sorted and
 * merged with the ring in one pass on the next lookup, so adding many
 * members in a row costs one merge. Removing a member filters in place.
 *
 * @module
 */
import { type Pairs, radixSortPairs } from "./_radix_sort.ts";

/** Orders two owners of an equal point: true when `a` sorts first. */
export type TieOrder = (a: number, b: number) => boolean;

interface Run {
  points: Uint32Array;
  owner: number;
}

/** A sorted, owner-tagged array of 32-bit ring points. */
export class PointRing {
  /** Sorted points; only the first `length` entries are live. */
  points: Uint32Array = new Uint32Array(0);
  /** Owner slot of each point, parallel to `points`. */
  owners: Uint16Array | Uint32Array = new Uint16Array(0);
  /** Number of live (merged) points. */
  length = 0;
  /** True when queued points wait to be merged; lookups call `flush()` first. */
  dirty = false;
  #index = new Uint32Array(3);
  #shift = 31;
  #pending: Run[] = [];
  #pendingCount = 0;
  #maxOwner = 0;
  #seen = new Uint32Array(16);
  #generation = 0;
  readonly #tieFirst: TieOrder;

  /**
   * @param tieFirst Orders owners of equal points, so the merged order does
   * not depend on the order points were added in.
   */
  constructor(tieFirst: TieOrder) {
    this.#tieFirst = tieFirst;
  }

  /** Points merged plus points queued. */
  get size(): number {
    return this.length + this.#pendingCount;
  }

  /** Bytes held by the merged arrays and the bucket index. */
  get byteLength(): number {
    return this.points.byteLength + this.owners.byteLength + this.#index.byteLength;
  }

  /**
   * Queues points of one owner for the next merge.
   *
   * @param points The points, in any order; the ring keeps the array.
   * @param owner The owner slot.
   */
  add(points: Uint32Array, owner: number): void {
    if (points.length === 0) return;
    if (owner > this.#maxOwner) this.#maxOwner = owner;
    this.#pending.push({ points, owner });
    this.#pendingCount += points.length;
    this.dirty = true;
  }

  /**
   * Removes every point of one owner, merged or queued, in one pass.
   *
   * @param owner The owner slot.
   */
  removeOwner(owner: number): void {
    this.#pending = this.#pending.filter((run) => run.owner !== owner);
    this.#pendingCount = this.#pending.reduce((sum, run) => sum + run.points.length, 0);
    this.dirty = this.#pendingCount > 0;
    const { points, owners } = this;
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      const o = owners[i];
      if (o === owner) continue;
      points[kept] = points[i];
      owners[kept++] = o;
    }
    if (kept === this.length) return;
    this.length = kept;
    // Bounds the slack so a ring stays under 8 bytes per point.
    if (kept < points.length * 0.8) {
      this.points = points.slice(0, kept);
      this.owners = owners.slice(0, kept);
    }
    this.#reindex();
  }

  /** Merges every queued point into the sorted arrays. */
  flush(): void {
    this.dirty = false;
    if (this.#pending.length === 0) return;
    const queued = radixSortPairs(this.#takePending());
    fixTies(queued, this.#tieFirst);
    const merged = this.length === 0 ? queued : this.#merge(queued);
    this.points = merged.keys;
    this.owners = merged.values;
    this.length = merged.keys.length;
    this.#reindex();
  }

  /**
   * Index of the first point at or above `hash`, wrapping to 0.
   *
   * @param hash A key hash.
   * @returns An index below `length`; call only on a flushed, non-empty ring.
   */
  successor(hash: number): number {
    const bucket = hash >>> this.#shift;
    let lo = this.#index[bucket];
    let hi = this.#index[bucket + 1];
    const points = this.points;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid] < hash) lo = mid + 1;
      else hi = mid;
    }
    return lo === this.length ? 0 : lo;
  }

  /**
   * Index of the last point at or below `hash` (the last of equal points),
   * wrapping to the last index when `hash` is below every point, as Go
   * chash's `Circle.Match` does.
   *
   * @param hash A key hash.
   * @returns An index below `length`; call only on a flushed, non-empty ring.
   */
  predecessor(hash: number): number {
    const bucket = hash >>> this.#shift;
    let lo = this.#index[bucket];
    let hi = this.#index[bucket + 1];
    const points = this.points;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid] <= hash) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? this.length - 1 : lo - 1;
  }

  /**
   * How much of the 32-bit hash space each owner answers for: the arc from
   * the previous point up to each point (successor lookups) or from each
   * point up to the next (predecessor lookups). Equal points leave the
   * losers an arc of 0, as lookups do.
   *
   * @param slots Owner slots in use (the result's length).
   * @param successor True for successor lookups, false for predecessor.
   * @returns Arc length per owner slot, summing to 2^32 on a non-empty ring.
   */
  arcs(slots: number, successor: boolean): Float64Array {
    if (this.dirty) this.flush();
    const arcs = new Float64Array(slots);
    const { points, owners, length } = this;
    if (length === 0) return arcs;
    const wrap = 2 ** 32 - points[length - 1] + points[0];
    for (let i = 1; i < length; i++) {
      arcs[owners[successor ? i : i - 1]] += points[i] - points[i - 1];
    }
    arcs[owners[successor ? 0 : length - 1]] += wrap;
    return arcs;
  }

  /**
   * The first `wanted` distinct owners met walking the ring from `start`.
   *
   * @param start Index of the first point to visit.
   * @param forward Walk towards higher indices (successor rings) or lower.
   * @param wanted How many owners to collect; at most the owners present.
   * @param slots Owner slots in use (an upper bound on owner numbers).
   * @returns Owner slots in the order met.
   */
  distinctOwners(start: number, forward: boolean, wanted: number, slots: number): number[] {
    const seen = this.#nextGeneration(slots);
    const generation = this.#generation;
    const { owners, length } = this;
    const found: number[] = [];
    let index = start;
    for (let step = 0; step < length && found.length < wanted; step++) {
      const owner = owners[index];
      if (seen[owner] !== generation) {
        seen[owner] = generation;
        found.push(owner);
      }
      if (forward) index = index + 1 === length ? 0 : index + 1;
      else index = index === 0 ? length - 1 : index - 1;
    }
    return found;
  }

  /** Stamps for `distinctOwners`: a fresh generation instead of clearing. */
  #nextGeneration(slots: number): Uint32Array {
    if (this.#seen.length < slots) {
      this.#seen = new Uint32Array(Math.max(slots, this.#seen.length * 2));
      this.#generation = 0;
    }
    this.#generation = (this.#generation + 1) >>> 0;
    if (this.#generation === 0) {
      this.#seen.fill(0);
      this.#generation = 1;
    }
    return this.#seen;
  }

  #takePending(): Pairs {
    const keys = new Uint32Array(this.#pendingCount);
    const values = this.#maxOwner <= 0xffff
      ? new Uint16Array(keys.length)
      : new Uint32Array(keys.length);
    let at = 0;
    for (const run of this.#pending) {
      keys.set(run.points, at);
      values.fill(run.owner, at, at + run.points.length);
      at += run.points.length;
    }
    this.#pending = [];
    this.#pendingCount = 0;
    return { keys, values };
  }

  #merge(b: Pairs): Pairs {
    const an = this.length, bn = b.keys.length;
    const keys = new Uint32Array(an + bn);
    const values = this.#maxOwner <= 0xffff ? new Uint16Array(an + bn) : new Uint32Array(an + bn);
    const ap = this.points, ao = this.owners, bp = b.keys, bo = b.values;
    const tieFirst = this.#tieFirst;
    let i = 0, j = 0, k = 0;
    while (i < an && j < bn) {
      const x = ap[i], y = bp[j];
      if (x < y || (x === y && tieFirst(ao[i], bo[j]))) {
        keys[k] = x;
        values[k++] = ao[i++];
      } else {
        keys[k] = y;
        values[k++] = bo[j++];
      }
    }
    keys.set(ap.subarray(i, an), k);
    values.set(ao.subarray(i, an), k);
    keys.set(bp.subarray(j), k + an - i);
    values.set(bo.subarray(j), k + an - i);
    return { keys, values };
  }

  /** Rebuilds the bucket index: about 8-16 points per bucket, 0.5 bytes per point at most. */
  #reindex(): void {
    const length = this.length;
    const bits = Math.max(1, Math.min(20, Math.floor(Math.log2(Math.max(length, 1))) - 3));
    const buckets = 2 ** bits;
    const shift = 32 - bits;
    const index = this.#index.length === buckets + 1 ? this.#index : new Uint32Array(buckets + 1);
    const points = this.points;
    let i = 0;
    for (let bucket = 0; bucket < buckets; bucket++) {
      const lowest = bucket * 2 ** shift;
      while (i < length && points[i] < lowest) i++;
      index[bucket] = i;
    }
    index[buckets] = length;
    this.#index = index;
    this.#shift = shift;
  }
}

/** Orders runs of equal keys by owner; radix sorting kept them in queue order. */
function fixTies(pairs: Pairs, tieFirst: TieOrder): void {
  const { keys, values } = pairs;
  for (let i = 1; i < keys.length; i++) {
    if (keys[i] !== keys[i - 1]) continue;
    const owner = values[i];
    let j = i;
    while (j > 0 && keys[j - 1] === keys[i] && tieFirst(owner, values[j - 1])) {
      values[j] = values[j - 1];
      j--;
    }
    values[j] = owner;
  }
}
