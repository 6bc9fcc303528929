/**
 * Seeded pseudo-randomness for deterministic tests (mulberry32).
 *
 * @module
 */

/**
 * A uniform `[0, 1)` generator from a 32-bit seed.
 *
 * @param seed Any integer.
 * @returns The generator.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return function next(): number {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
