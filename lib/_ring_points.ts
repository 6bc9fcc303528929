/**
 * Virtual point generation and key hashing for the two ring algorithms.
 * Private to `lib/`.
 *
 * @module
 */
import { crc32String, crc32Update, crc32UpdateDecimal } from "./_crc32.ts";
import { fmix32, murmur3String } from "./_murmur3.ts";
import { utf8Bytes } from "./_utf8.ts";

const GOLDEN = 0x9e3779b9;
const SEED_A = 0x2545f491;
const SEED_B = 0x68e31da4;

/**
 * Points `from..to-1` of a member in the default algorithm, unsorted.
 *
 * Point `i` depends only on the member's id and `i`: two murmur3 hashes of
 * the id with different seeds key a two-round mixer over a Weyl sequence of
 * `i`. The second seed keeps two members whose first seeds happen to line up
 * from sharing whole runs of points.
 *
 * @param id The member id.
 * @param from First index, inclusive.
 * @param to Last index, exclusive.
 * @returns The points, in index order.
 */
export function defaultPoints(id: string, from: number, to: number): Uint32Array {
  const a = murmur3String(id, SEED_A);
  const b = murmur3String(id, SEED_B);
  const points = new Uint32Array(to - from);
  for (let i = from; i < to; i++) {
    points[i - from] = fmix32(fmix32((Math.imul(i, GOLDEN) + a) | 0) ^ b);
  }
  return points;
}

/**
 * The default algorithm's key hash: murmur3 (x86, 32-bit, seed 0) of the
 * key's UTF-8 bytes.
 *
 * @param key Any string.
 * @returns The unsigned 32-bit hash.
 */
export function defaultKeyHash(key: string): number {
  return murmur3String(key, 0);
}

/**
 * The points of a member in werbenhu/chash v1.0.8: CRC-32 IEEE of the UTF-8
 * bytes of `String(i) + id` for `i` below `replicas`, in index order.
 *
 * @param id The member id.
 * @param replicas Points per member.
 * @returns The points, in index order.
 */
export function chashPoints(id: string, replicas: number): Uint32Array {
  const idBytes = utf8Bytes(id);
  const prefixes = decimalPrefixStates(replicas);
  const points = new Uint32Array(replicas);
  for (let i = 0; i < replicas; i++) points[i] = ~crc32Update(prefixes[i], idBytes) >>> 0;
  return points;
}

let prefixCache = new Uint32Array(0);

/**
 * CRC-32 running states after `String(i)` for every `i` below `count`,
 * cached across members: `String(i)` is `String(i / 10 | 0)` plus one digit,
 * so each state costs one table step.
 */
function decimalPrefixStates(count: number): Uint32Array {
  if (prefixCache.length >= count) return prefixCache;
  const states = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    states[i] = i < 10
      ? crc32UpdateDecimal(0xffffffff, i)
      : crc32UpdateDecimal(states[Math.floor(i / 10)], i % 10);
  }
  prefixCache = states;
  return states;
}

/**
 * The chash key hash: CRC-32 IEEE of the key's UTF-8 bytes.
 *
 * @param key Any string.
 * @returns The unsigned 32-bit checksum.
 */
export function chashKeyHash(key: string): number {
  return crc32String(key);
}
