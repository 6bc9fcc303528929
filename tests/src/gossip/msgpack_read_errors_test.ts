import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { badType, safe, truncated } from "../../../src/gossip/msgpack_read_errors.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";

Deno.test("truncated() and badType() build WireErrors with their reasons", () => {
  assertEquals(truncated().reason, "truncated");
  const e = badType(0xc3, "map");
  assertEquals(e.reason, "bad_msgpack");
  assertEquals(e.message, 'Cannot decode msgpack: byte "0xc3" is not a map');
});

Deno.test("safe() passes safe integers and refuses larger ones", () => {
  assertEquals(safe(-42n), -42);
  assertEquals(safe(BigInt(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
  const e = assertThrows(() => safe(2n ** 53n), WireError) as WireError;
  assertEquals(e.reason, "bad_msgpack");
});
