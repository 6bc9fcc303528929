import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { encodeCompound, splitCompound } from "../../../src/gossip/compound.ts";
import { decodeMessage } from "../../../src/gossip/message_codec.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";
import { bytesOf, hexOf, NACK, PING_SUSPECT_COMPOUND } from "./_wire_vectors.ts";

Deno.test("splitCompound() splits the captured ping+suspect and encodeCompound() rebuilds it", () => {
  const { parts, truncated } = splitCompound(PING_SUSPECT_COMPOUND);
  assertEquals(truncated, 0);
  assertEquals(parts.map((p) => p.length), [66, 37]);
  assertEquals(decodeMessage(parts[1]).type, "suspect");
  assertEquals(hexOf(encodeCompound(parts)), hexOf(PING_SUSPECT_COMPOUND));
});

Deno.test("splitCompound() counts parts that do not fit as truncated", () => {
  const cut = PING_SUSPECT_COMPOUND.subarray(0, 100);
  const { parts, truncated } = splitCompound(cut);
  assertEquals([parts.length, truncated], [1, 1]);
  assertEquals(
    (assertThrows(() => splitCompound(bytesOf("07 02 0001")), WireError) as WireError).reason,
    "truncated",
  );
});

Deno.test("encodeCompound() refuses more than 255 parts", () => {
  assertThrows(() => encodeCompound(Array.from({ length: 256 }, () => NACK)), RangeError);
});
