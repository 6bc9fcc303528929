/**
 * Stable LSD radix sort of 32-bit keys carrying a parallel value array, for
 * building ring points in linear time. Private to `lib/`.
 *
 * @module
 */

/** Keys with their parallel values. */
export interface Pairs {
  keys: Uint32Array;
  values: Uint16Array | Uint32Array;
}

const PASSES = [0, 11, 22];
const RADIX = 2048;

/**
 * Sorts `keys` ascending, moving `values` along; equal keys keep their input
 * order. Three passes of 11, 11 and 10 bits.
 *
 * @param input Keys and values of equal length; used as scratch.
 * @returns Sorted pairs (new arrays or the input's, reused).
 */
export function radixSortPairs(input: Pairs): Pairs {
  const length = input.keys.length;
  let src = input;
  let dst: Pairs = { keys: new Uint32Array(length), values: sameKind(input.values, length) };
  const counts = new Uint32Array(RADIX);
  for (const shift of PASSES) {
    counts.fill(0);
    const sk = src.keys;
    for (let i = 0; i < length; i++) counts[(sk[i] >>> shift) & 0x7ff]++;
    let total = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = counts[d];
      counts[d] = total;
      total += c;
    }
    const sv = src.values, dk = dst.keys, dv = dst.values;
    for (let i = 0; i < length; i++) {
      const key = sk[i];
      const at = counts[(key >>> shift) & 0x7ff]++;
      dk[at] = key;
      dv[at] = sv[i];
    }
    const swap = src;
    src = dst;
    dst = swap;
  }
  return src;
}

function sameKind(values: Uint16Array | Uint32Array, length: number): Uint16Array | Uint32Array {
  return values instanceof Uint16Array ? new Uint16Array(length) : new Uint32Array(length);
}
