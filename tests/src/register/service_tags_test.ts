import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { RegistryError } from "../../../lib/errors.ts";
import { decodeTags } from "../../../src/gossip/meta.ts";
import { encodeTags } from "../../../src/gossip/meta.ts";
import {
  buildServiceTags,
  RESERVED_TAG_KEYS,
  validateTagSet,
} from "../../../src/register/service_tags.ts";

Deno.test("buildServiceTags() sets the Go registry's tags plus weight", () => {
  const tags = buildServiceTags({ group: "web", addr: "10.0.0.5:8080" });
  assertEquals(tags, { group: "web", addr: "10.0.0.5:8080", replicas: "10000", weight: "1" });
});

Deno.test("buildServiceTags() keeps extra tags and writes the weight in decimal", () => {
  const tags = buildServiceTags({
    group: "web",
    addr: "h:1",
    weight: 2.5,
    extraTags: { zone: "eu-1", version: "3" },
  });
  assertEquals(tags.zone, "eu-1");
  assertEquals(tags.version, "3");
  assertEquals(tags.weight, "2.5");
  assertEquals(decodeTags(encodeTags(tags)), tags);
});

Deno.test("buildServiceTags() refuses the registry-group group", () => {
  assertThrows(
    () => buildServiceTags({ group: "registry-group", addr: "h:1" }),
    TypeError,
    "reserved for registry nodes",
  );
});

Deno.test("buildServiceTags() refuses an empty group or address", () => {
  assertThrows(() => buildServiceTags({ group: " ", addr: "h:1" }), TypeError, "group is empty");
  assertThrows(() => buildServiceTags({ group: "web", addr: "" }), TypeError, "addr is empty");
});

Deno.test("buildServiceTags() refuses every reserved key as an extra tag", () => {
  for (const key of RESERVED_TAG_KEYS) {
    assertThrows(
      () => buildServiceTags({ group: "web", addr: "h:1", extraTags: { [key]: "x" } }),
      TypeError,
      `tag "${key}" is reserved`,
    );
  }
  assertThrows(
    () => buildServiceTags({ group: "web", addr: "h:1", extraTags: { "": "x" } }),
    TypeError,
    "key is empty",
  );
});

Deno.test("buildServiceTags() refuses weights outside (0, 1000]", () => {
  for (const weight of [0, -1, 1001, NaN, Infinity]) {
    assertThrows(
      () => buildServiceTags({ group: "web", addr: "h:1", weight }),
      RangeError,
      "weight",
    );
  }
  assertEquals(buildServiceTags({ group: "web", addr: "h:1", weight: 1000 }).weight, "1000");
});

Deno.test("buildServiceTags() throws TAGS_TOO_LARGE instead of truncating a long tag set", () => {
  const extraTags = { note: "x".repeat(480) };
  const e = assertThrows(() => buildServiceTags({ group: "web", addr: "h:1", extraTags }));
  assertEquals(e instanceof RegistryError && e.code, "TAGS_TOO_LARGE");
});

Deno.test("validateTagSet() accepts exactly 512 encoded bytes and refuses 513", () => {
  // FF + fixmap(1) + fixstr "k" (2 bytes) + DA-string header (3 bytes) = 7 bytes of overhead.
  const fits = { k: "v".repeat(505) };
  assertEquals(validateTagSet(fits), 512);
  const e = assertThrows(() => validateTagSet({ k: "v".repeat(506) }));
  assertEquals(e instanceof RegistryError && e.code, "TAGS_TOO_LARGE");
});
