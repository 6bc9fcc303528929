import { assert, assertEquals } from "../../_helpers/assert.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";

Deno.test("WireError carries its reason, name and cause", () => {
  const cause = new Error("inner");
  const err = new WireError("bad_crc", "Cannot accept packet: CRC differs", { cause });
  assert(err instanceof Error);
  assertEquals([err.name, err.reason, err.message], [
    "WireError",
    "bad_crc",
    "Cannot accept packet: CRC differs",
  ]);
  assertEquals(err.cause, cause);
});
