import { assert, assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { lzwDecompress } from "../../../src/gossip/lzw.ts";
import { decodeMessage } from "../../../src/gossip/message_codec.ts";
import {
  decodeCoordinate,
  encodeCoordinate,
  FRESH_COORDINATE,
} from "../../../src/gossip/serf_coordinate.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";
import { bytesOf, COMPRESSED_ACK, hexOf } from "./_wire_vectors.ts";

function reason(fn: () => unknown): string {
  return (assertThrows(fn, WireError) as WireError).reason;
}

Deno.test("decodeCoordinate() reads the captured ack coordinate and re-encodes it", () => {
  const ack = decodeMessage(lzwDecompress(COMPRESSED_ACK.subarray(15), 4096));
  assert(ack.type === "ack" && ack.payload !== undefined);
  const c = decodeCoordinate(ack.payload);
  assertEquals(c, FRESH_COORDINATE);
  assertEquals(hexOf(encodeCoordinate(c)), hexOf(ack.payload));
  assertEquals(reason(() => decodeCoordinate(new Uint8Array(0))), "unknown_type");
  assertEquals(reason(() => decodeCoordinate(bytesOf("02 80"))), "unknown_type");
});
