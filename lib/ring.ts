/**
 * A consistent-hash ring: maps any string key to one of a set of members,
 * so that adding or removing a member moves only about 1/n of the keys.
 * Pure and synchronous; no I/O.
 *
 * Two algorithms sit behind one API:
 *
 * - `"default"`: keys hashed with murmur3; each member owns
 *   `round(pointsPerWeight × weight)` points taken from a sequence that
 *   depends on its id alone, so answers depend only on the set of members
 *   and their weights, never on the order they were added in.
 * - `"chash"`: the exact answers of the Go registry's ring (werbenhu/chash
 *   v1.0.8): CRC-32 of `String(i) + id` points, CRC-32 keys, weights ignored.
 *
 * @example
 * ```ts
 * import { HashRing } from "./ring.ts";
 *
 * const ring = new HashRing();
 * ring.add("svc-1");
 * ring.add("svc-2", 2); // about twice the keys of svc-1
 * const owner: string | undefined = ring.match("user-42");
 * const [primary, backup] = ring.matchN("user-42", 2);
 * ```
 *
 * @module
 */
import { PointRing } from "./_point_ring.ts";
import { chashKeyHash, chashPoints, defaultKeyHash, defaultPoints } from "./_ring_points.ts";
import {
  checkCount,
  checkId,
  checkKey,
  checkPointTotal,
  checkWeight,
  type HashRingOptions,
  resolveRingOptions,
  type RingAlgorithm,
  type RingMember,
} from "./_ring_checks.ts";

export { MAX_RING_POINTS } from "./_ring_checks.ts";
export type { HashRingOptions, RingAlgorithm, RingMember } from "./_ring_checks.ts";

interface MemberRecord {
  readonly id: string;
  readonly slot: number;
  weight: number;
  points: number;
}

/**
 * A consistent-hash ring of weighted members.
 *
 * Ring order is the direction lookups search in: ascending points for
 * `"default"` (first point at or above the key's hash), descending for
 * `"chash"` (last point at or below it, as Go's chash does).
 *
 * Membership changes are cheap: a new member's points are queued and merged
 * (radix sort plus one merge pass) on the next lookup, so adding many
 * members in a row costs one merge; removing one filters the arrays in one
 * pass. A member of weight 0 stays listed but owns no key.
 *
 * In `"chash"` mode, when two members share a point the member added last
 * owns it. The Go ring panics on a key landing on such a point once one of
 * its owners was removed; this ring answers with the surviving owner (the
 * one divergence from Go). Keys are hashed as UTF-8, as Go does; a lone
 * surrogate, which Go strings cannot hold, is hashed as U+FFFD.
 *
 * @example
 * ```ts
 * import { HashRing } from "./ring.ts";
 *
 * const ring = new HashRing({ pointsPerWeight: 1000 });
 * for (const id of ["a", "b", "c"]) ring.add(id);
 * const before = ring.matchN("key", 2);
 * ring.remove(before[0]);
 * console.assert(ring.match("key") === before[1]);
 * ```
 */
export class HashRing {
  /** The algorithm this ring answers with. */
  readonly algorithm: RingAlgorithm;
  /** Default algorithm: points per unit of weight. */
  readonly pointsPerWeight: number;
  /** Chash algorithm: points per member. */
  readonly replicas: number;
  readonly #ring: PointRing;
  readonly #members = new Map<string, MemberRecord>();
  #ids: string[] = [];
  #rank: number[] = [];
  #freeSlots: number[] = [];
  #upserts = 0;
  #matchable = 0;

  /**
   * Creates an empty ring.
   *
   * @param options Algorithm and point counts; see {@link HashRingOptions}.
   * @throws {RangeError} An unknown algorithm, or a point count that is not positive.
   */
  constructor(options: HashRingOptions = {}) {
    const resolved = resolveRingOptions(options);
    this.algorithm = resolved.algorithm;
    this.pointsPerWeight = resolved.pointsPerWeight;
    this.replicas = resolved.replicas;
    const ids = this.#ids;
    const rank = this.#rank;
    this.#ring = new PointRing(
      this.algorithm === "chash" ? (a, b) => rank[a] < rank[b] : (a, b) => ids[a] < ids[b],
    );
  }

  /** Number of members, zero-weight ones included. */
  get size(): number {
    return this.#members.size;
  }

  /** Number of virtual points on the ring. */
  get pointCount(): number {
    return this.#ring.size;
  }

  /** Bytes held by the point and owner arrays (after pending merges). */
  get byteLength(): number {
    if (this.#ring.dirty) this.#ring.flush();
    return this.#ring.byteLength;
  }

  /**
   * Adds a member, or sets the weight of an existing one (as {@link update}).
   * In `"chash"` mode the weight is stored but ignored, and adding an
   * existing member re-inserts it (it then wins shared points, like Go's
   * `Upsert`). A weight of 0 keeps the member listed but never matched.
   *
   * @param id A non-empty member id.
   * @param weight A finite number >= 0.
   * @throws {TypeError} `id` is not a string or `weight` not a number.
   * @throws {RangeError} `id` is empty, `weight` negative or not finite, or
   * the ring would exceed {@link MAX_RING_POINTS} points.
   */
  add(id: string, weight = 1): void {
    checkId("add member", id);
    checkWeight(id, weight);
    const record = this.#members.get(id);
    if (record !== undefined) this.#reweigh(record, weight);
    else this.#insert(id, weight);
  }

  /**
   * Changes a member's weight, adding it when unknown. In the default
   * algorithm raising a weight only adds points, so keys only move to this
   * member; lowering it only removes points, so keys only move away.
   *
   * @param id A non-empty member id.
   * @param weight A finite number >= 0.
   * @throws {TypeError} `id` is not a string or `weight` not a number.
   * @throws {RangeError} As for {@link add}.
   */
  update(id: string, weight: number): void {
    checkId("update member", id);
    checkWeight(id, weight);
    this.add(id, weight);
  }

  /**
   * Removes a member; only its keys move.
   *
   * @param id The member id.
   * @returns `true` when the member was present.
   */
  remove(id: string): boolean {
    const record = this.#members.get(id);
    if (record === undefined) return false;
    this.#ring.removeOwner(record.slot);
    if (record.points > 0) this.#matchable--;
    this.#members.delete(id);
    this.#freeSlots.push(record.slot);
    return true;
  }

  /**
   * Tells whether a member is on the ring.
   *
   * @param id The member id.
   * @returns `true` when present, whatever its weight.
   */
  has(id: string): boolean {
    return this.#members.has(id);
  }

  /**
   * The member owning a key. Any string is a valid key (UTF-8 encoded;
   * lone surrogates as U+FFFD).
   *
   * @param key The key.
   * @returns The owner's id, or `undefined` when no member can be matched.
   * @throws {TypeError} `key` is not a string.
   */
  match(key: string): string | undefined {
    checkKey(key);
    const ring = this.#ring;
    if (ring.dirty) ring.flush();
    const length = ring.length;
    if (length === 0) return undefined;
    const index = this.algorithm === "default"
      ? ring.successor(defaultKeyHash(key))
      : ring.predecessor(chashKeyHash(key));
    return this.#ids[ring.owners[index]];
  }

  /**
   * The first `n` distinct owners of a key in ring order: the owner, then
   * the member that would own the key if the owner left, and so on.
   *
   * @param key The key.
   * @param n How many owners, at least 1.
   * @returns Up to `n` ids (fewer when fewer members can be matched); the
   * first is `match(key)`.
   * @throws {TypeError} `key` is not a string.
   * @throws {RangeError} `n` is not an integer >= 1.
   */
  matchN(key: string, n: number): string[] {
    checkKey(key);
    checkCount(n);
    const ring = this.#ring;
    if (ring.dirty) ring.flush();
    const length = ring.length;
    const result: string[] = [];
    if (length === 0) return result;
    const chash = this.algorithm === "chash";
    const start = chash ? ring.predecessor(chashKeyHash(key)) : ring.successor(defaultKeyHash(key));
    const slots = ring.distinctOwners(
      start,
      !chash,
      Math.min(n, this.#matchable),
      this.#ids.length,
    );
    for (const slot of slots) result.push(this.#ids[slot]);
    return result;
  }

  /**
   * Every member, sorted by id (UTF-16 code unit order).
   *
   * @returns A new array of `{ id, weight }`.
   */
  members(): RingMember[] {
    const list: RingMember[] = [];
    for (const { id, weight } of this.#members.values()) list.push({ id, weight });
    return list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * The fraction of the hash space each member answers for: its expected
   * share of uniformly hashed keys, computed exactly from the points.
   *
   * @returns Member id to a fraction in [0, 1]; the fractions sum to 1 on
   * a ring with a matchable member.
   */
  ownership(): Map<string, number> {
    const arcs = this.#ring.arcs(this.#ids.length, this.algorithm === "default");
    const shares = new Map<string, number>();
    for (const { id, slot } of this.#members.values()) shares.set(id, arcs[slot] / 2 ** 32);
    return shares;
  }

  #insert(id: string, weight: number): void {
    const count = this.#pointsFor(weight);
    checkPointTotal(id, this.#ring.size + count);
    const slot = this.#freeSlots.pop() ?? this.#ids.length;
    this.#ids[slot] = id;
    this.#rank[slot] = this.#upserts++;
    const record: MemberRecord = { id, slot, weight, points: 0 };
    this.#members.set(id, record);
    this.#setPoints(record, 0, count);
  }

  #reweigh(record: MemberRecord, weight: number): void {
    const count = this.#pointsFor(weight);
    checkPointTotal(record.id, this.#ring.size - record.points + count);
    record.weight = weight;
    if (this.algorithm === "chash") {
      // Go's Upsert deletes then re-inserts: the member becomes the newest.
      this.#ring.removeOwner(record.slot);
      this.#rank[record.slot] = this.#upserts++;
      this.#setPoints(record, 0, count);
    } else if (count < record.points) {
      this.#ring.removeOwner(record.slot);
      this.#setPoints(record, 0, count);
    } else if (count > record.points) {
      this.#setPoints(record, record.points, count);
    }
  }

  /** Queues points `from..to-1` of a member whose points below `from` are on the ring. */
  #setPoints(record: MemberRecord, from: number, to: number): void {
    if (record.points > 0) this.#matchable--;
    const points = this.algorithm === "chash"
      ? chashPoints(record.id, this.replicas)
      : defaultPoints(record.id, from, to);
    this.#ring.add(points, record.slot);
    record.points = to;
    if (to > 0) this.#matchable++;
  }

  #pointsFor(weight: number): number {
    if (this.algorithm === "chash") return this.replicas;
    return Math.round(this.pointsPerWeight * weight);
  }
}
