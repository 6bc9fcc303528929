import { Awareness } from "../../../src/gossip/awareness.ts";
import { assertEquals, assertThrows } from "../../_helpers/assert.ts";

Deno.test("Awareness.apply() clamps the score between 0 and max - 1", () => {
  const a = new Awareness(8);
  assertEquals(a.apply(-3), 0);
  assertEquals(a.apply(5), 5);
  assertEquals(a.apply(10), 7);
  assertEquals(a.apply(-1), 6);
});

Deno.test("Awareness.scaleTimeout() multiplies by score + 1", () => {
  const a = new Awareness(8);
  assertEquals(a.scaleTimeout(1000), 1000);
  a.apply(2);
  assertEquals(a.scaleTimeout(1000), 3000);
});

Deno.test("Awareness constructor rejects a max below 1", () => {
  assertThrows(() => new Awareness(0), RangeError);
});
