import { assertEquals } from "../../_helpers/assert.ts";
import { crc32 } from "../../../src/gossip/crc32.ts";
import { ALIVE_COMPOUND, JOIN_WITH_CRC, LEAVE_DEAD, LEAVE_INTENT } from "./_wire_vectors.ts";

Deno.test("crc32() matches the standard check value and empty input", () => {
  assertEquals(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assertEquals(crc32(new Uint8Array(0)), 0);
  assertEquals(crc32(new Uint8Array([0])), 0xd202ef8d);
});

Deno.test("crc32() reproduces the CRC headers of captured packets", () => {
  for (const packet of [JOIN_WITH_CRC, ALIVE_COMPOUND, LEAVE_INTENT, LEAVE_DEAD]) {
    const want = new DataView(packet.buffer, packet.byteOffset + 1, 4).getUint32(0);
    assertEquals(crc32(packet.subarray(5)), want);
  }
});
