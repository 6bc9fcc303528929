import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { RegistryError } from "../../../lib/errors.ts";
import { decodeTags, encodeTags } from "../../../src/gossip/meta.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";
import { ALIVE_ALPHA, bytesOf, hexOf } from "./_wire_vectors.ts";

Deno.test("encodeTags() writes FF and a string map, sorted by key", () => {
  assertEquals(hexOf(encodeTags({})), "ff80");
  assertEquals(hexOf(encodeTags({ role: "web" })), "ff81a4726f6c65a3776562");
  const tags = { replicas: "10000", addr: "127.0.0.1:9800", group: "registry-group" };
  assertEquals(hexOf(encodeTags(tags)).slice(0, 4), "ff83");
  assertEquals(decodeTags(encodeTags(tags)), tags);
});

Deno.test("decodeTags() reads the captured registry Meta in Go's random key order", () => {
  const meta = ALIVE_ALPHA.subarray(33, 33 + 58);
  assertEquals(meta[0], 0xff);
  assertEquals(decodeTags(meta), {
    addr: "127.0.0.1:9800",
    replicas: "10000",
    group: "registry-group",
  });
});

Deno.test("decodeTags() reads a Meta without FF as the role tag", () => {
  assertEquals(decodeTags(new Uint8Array(0)), { role: "" });
  assertEquals(decodeTags(new TextEncoder().encode("web")), { role: "web" });
});

Deno.test("encodeTags() throws TAGS_TOO_LARGE past 512 bytes", () => {
  const err = assertThrows(
    () => encodeTags({ k: "v".repeat(600) }),
    RegistryError,
  ) as RegistryError;
  assertEquals(err.code, "TAGS_TOO_LARGE");
  // 512 exactly is fine: FF + 81 + a1 "k" + da xxxx + value.
  assertEquals(encodeTags({ k: "v".repeat(505) }).length, 512);
});

Deno.test("decodeTags() throws WireError for a broken FF Meta", () => {
  assertThrows(() => decodeTags(bytesOf("ff 81 a1")), WireError);
  assertThrows(() => decodeTags(bytesOf("ff 81 01 02")), WireError);
});
