import { assertEquals } from "../../_helpers/assert.ts";
import { decodeUtf8 } from "../../../src/gossip/decode_utf8.ts";

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

Deno.test("decodeUtf8() decodes short ASCII, non-ASCII and long input alike", () => {
  for (const s of ["", "SeqNo", "héllo", "x".repeat(25), "ünïcødé ".repeat(5)]) {
    assertEquals(decodeUtf8(encode(s)), s);
  }
});

Deno.test("decodeUtf8() turns invalid UTF-8 into U+FFFD", () => {
  assertEquals(decodeUtf8(new Uint8Array([0x61, 0xff])), "a\ufffd");
});
