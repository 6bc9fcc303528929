import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import {
  decodeFilter,
  encodeNodeFilter,
  encodeTagFilter,
} from "../../../src/gossip/serf_filters.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";
import { bytesOf } from "./_wire_vectors.ts";

function reason(fn: () => unknown): string {
  return (assertThrows(fn, WireError) as WireError).reason;
}

Deno.test("decodeFilter() reads node and tag filters and flags unknown types", () => {
  assertEquals(decodeFilter(encodeNodeFilter(["a", "b"])), { type: "nodes", nodes: ["a", "b"] });
  assertEquals(decodeFilter(encodeTagFilter("group", "^web$")), {
    type: "tag",
    tag: "group",
    expr: "^web$",
  });
  assertEquals(decodeFilter(bytesOf("05 00")), { type: "unknown" });
  assertEquals(reason(() => decodeFilter(bytesOf("00 92 a1"))), "truncated");
});
