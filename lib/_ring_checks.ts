/**
 * The ring's public option and member types, re-exported by `ring.ts`, and
 * the argument checks with the messages users see. Private to `lib/`.
 *
 * @module
 */

/**
 * The most virtual points one ring may hold (2^24, about 100 MB of arrays);
 * `add` and `update` throw `RangeError` past it.
 *
 * @example
 * ```ts
 * import { MAX_RING_POINTS } from "./ring.ts";
 * const maxMembers = Math.floor(MAX_RING_POINTS / 10_000); // 1677 at the default density
 * ```
 */
export const MAX_RING_POINTS: number = 16_777_216;

/**
 * Which point and key hashing a ring uses; see the module docs.
 *
 * @example
 * ```ts
 * import { HashRing, type RingAlgorithm } from "./ring.ts";
 * const algorithm: RingAlgorithm = "chash";
 * new HashRing({ algorithm });
 * ```
 */
export type RingAlgorithm = "default" | "chash";

/**
 * Options for `HashRing`; all fixed for the ring's life.
 *
 * @example
 * ```ts
 * import { HashRing, type HashRingOptions } from "./ring.ts";
 * // A group of thousands of members: fewer points per member.
 * const options: HashRingOptions = { pointsPerWeight: 1000 };
 * new HashRing(options);
 * ```
 */
export interface HashRingOptions {
  /**
   * `"default"` for the balanced murmur3 ring, `"chash"` to answer exactly
   * like the Go registry (werbenhu/chash v1.0.8) at the cost of balance.
   * @default {"default"}
   */
  algorithm?: RingAlgorithm;
  /**
   * Default algorithm: points per unit of weight. More points balance load
   * better but cost memory (6 bytes each) and build time; lower it for
   * groups of thousands of members.
   * @default {10000}
   */
  pointsPerWeight?: number;
  /**
   * `"chash"` algorithm: points per member, as the Go group's
   * `NumberOfReplicas`.
   * @default {10000}
   */
  replicas?: number;
}

/**
 * A member as `HashRing.members()` lists it.
 *
 * @example
 * ```ts
 * import { HashRing, type RingMember } from "./ring.ts";
 * const ring = new HashRing();
 * ring.add("svc-1", 2);
 * const [member]: RingMember[] = ring.members(); // { id: "svc-1", weight: 2 }
 * ```
 */
export interface RingMember {
  /** The member id. */
  readonly id: string;
  /** Its weight (stored but without effect in `"chash"` mode). */
  readonly weight: number;
}

/** The ring algorithms, as `RingAlgorithm` lists them. */
const ALGORITHMS: readonly string[] = ["default", "chash"];

/** Ring options with every default filled in. */
export interface ResolvedRingOptions {
  readonly algorithm: RingAlgorithm;
  readonly pointsPerWeight: number;
  readonly replicas: number;
}

/**
 * Fills in defaults and validates ring options.
 *
 * @param options What the caller passed.
 * @returns A complete, validated options object.
 * @throws {RangeError} An unknown algorithm, or a point count that is not positive.
 */
export function resolveRingOptions(options: HashRingOptions): ResolvedRingOptions {
  const algorithm: string = options.algorithm ?? "default";
  if (!ALGORITHMS.includes(algorithm)) {
    throw new RangeError(
      `Cannot create hash ring: algorithm "${algorithm}" is not "default" or "chash"`,
    );
  }
  const pointsPerWeight = options.pointsPerWeight ?? 10_000;
  if (
    typeof pointsPerWeight !== "number" || !Number.isFinite(pointsPerWeight) ||
    pointsPerWeight <= 0 || pointsPerWeight > MAX_RING_POINTS
  ) {
    throw new RangeError(
      `Cannot create hash ring: pointsPerWeight "${pointsPerWeight}" is not a number in (0, ${MAX_RING_POINTS}]`,
    );
  }
  const replicas = options.replicas ?? 10_000;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_RING_POINTS) {
    throw new RangeError(
      `Cannot create hash ring: replicas "${replicas}" is not an integer in [1, ${MAX_RING_POINTS}]`,
    );
  }
  return { algorithm: algorithm as ResolvedRingOptions["algorithm"], pointsPerWeight, replicas };
}

/**
 * Checks a member id.
 *
 * @param action What was being done, for the message (`"add member"`).
 * @param id The id.
 * @throws {TypeError} `id` is not a string.
 * @throws {RangeError} `id` is empty.
 */
export function checkId(action: string, id: unknown): asserts id is string {
  if (typeof id !== "string") {
    throw new TypeError(`Cannot ${action}: id "${String(id)}" is not a string`);
  }
  if (id.length === 0) throw new RangeError(`Cannot ${action}: id is empty`);
}

/**
 * Checks a member weight.
 *
 * @param id The member id, for the message.
 * @param weight The weight.
 * @throws {TypeError} `weight` is not a number.
 * @throws {RangeError} `weight` is negative, NaN or infinite.
 */
export function checkWeight(id: string, weight: unknown): asserts weight is number {
  if (typeof weight !== "number") {
    throw new TypeError(
      `Cannot set weight of member "${id}": weight "${String(weight)}" is not a number`,
    );
  }
  if (!Number.isFinite(weight) || weight < 0) {
    throw new RangeError(
      `Cannot set weight of member "${id}": weight "${weight}" is not a finite number >= 0`,
    );
  }
}

/**
 * Checks a key.
 *
 * @param key The key.
 * @throws {TypeError} `key` is not a string.
 */
export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== "string") {
    throw new TypeError(`Cannot match key "${String(key)}": key is not a string`);
  }
}

/**
 * Checks the owner count asked of `matchN`.
 *
 * @param n The count.
 * @throws {RangeError} `n` is not an integer of at least 1.
 */
export function checkCount(n: unknown): asserts n is number {
  if (!Number.isInteger(n) || (n as number) < 1) {
    throw new RangeError(`Cannot match owners: n "${String(n)}" is not an integer >= 1`);
  }
}

/**
 * Checks that a ring may grow to `total` points.
 *
 * @param id The member being added or grown, for the message.
 * @param total The point count the ring would hold.
 * @throws {RangeError} `total` exceeds {@link MAX_RING_POINTS}.
 */
export function checkPointTotal(id: string, total: number): void {
  if (total > MAX_RING_POINTS) {
    throw new RangeError(
      `Cannot add points of member "${id}": the ring would hold "${total}" points, over the limit of ${MAX_RING_POINTS}`,
    );
  }
}
