import { assertEquals } from "../../_helpers/assert.ts";
import { MsgpackWriter } from "../../../src/gossip/msgpack_writer.ts";
import { hexOf } from "./_wire_vectors.ts";

Deno.test("MsgpackWriter grows past its initial capacity and keeps what was written", () => {
  const w = new MsgpackWriter(1);
  w.arrayHeader(20);
  for (let i = 0; i < 20; i++) w.str("abcdefgh");
  const bytes = w.finish();
  assertEquals(w.length, bytes.length);
  assertEquals(hexOf(bytes.subarray(0, 4)), "dc0014a8");
  assertEquals(bytes.length, 3 + 20 * 9);
});

Deno.test("MsgpackWriter.str() picks the header from the UTF-8 size, not the UTF-16 length", () => {
  const w = new MsgpackWriter();
  w.str("é".repeat(11)); // 22 bytes: fixstr, though 33 bytes were reserved
  assertEquals(hexOf(w.finish().subarray(0, 3)), "b6c3a9");
});
