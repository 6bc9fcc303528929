/**
 * CRC-32 IEEE 802.3 (zlib's `crc32`, Go's `crc32.ChecksumIEEE`), used by
 * memberlist's `0C` packet wrapper (gossip-wire.md §2.5). The table and loop
 * are the ring's (`lib/_crc32.ts`): one implementation for both.
 *
 * @module
 */
import { crc32Bytes } from "../../lib/_crc32.ts";

/**
 * Computes the CRC-32 (IEEE polynomial, reflected) of some bytes.
 *
 * @param bytes The data.
 * @returns The checksum as an unsigned 32-bit number.
 * @example
 * ```ts
 * import { crc32 } from "./crc32.ts";
 * crc32(new TextEncoder().encode("123456789")); // 0xcbf43926
 * ```
 */
export function crc32(bytes: Uint8Array): number {
  return crc32Bytes(bytes);
}
