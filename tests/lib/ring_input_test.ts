import { assert, assertEquals, assertThrows } from "../_helpers/assert.ts";
import { HashRing, MAX_RING_POINTS, type RingAlgorithm } from "../../lib/ring.ts";

const ALGORITHMS: RingAlgorithm[] = ["default", "chash"];

Deno.test("HashRing constructor rejects unknown algorithms and non-positive point counts", () => {
  // @ts-expect-error: checking the runtime guard
  assertThrows(() => new HashRing({ algorithm: "ketama" }), RangeError, 'algorithm "ketama"');
  for (const pointsPerWeight of [0, -1, NaN, Infinity, MAX_RING_POINTS + 1]) {
    assertThrows(() => new HashRing({ pointsPerWeight }), RangeError, "pointsPerWeight");
  }
  for (const replicas of [0, -5, 1.5, NaN, MAX_RING_POINTS + 1]) {
    assertThrows(() => new HashRing({ algorithm: "chash", replicas }), RangeError, "replicas");
  }
  assertEquals(new HashRing().algorithm, "default");
  assertEquals(new HashRing().pointsPerWeight, 10_000);
  assertEquals(new HashRing({ algorithm: "chash" }).replicas, 10_000);
});

Deno.test("HashRing.add() rejects an empty or non-string id and a bad weight", () => {
  for (const algorithm of ALGORITHMS) {
    const ring = new HashRing({ algorithm, pointsPerWeight: 10, replicas: 10 });
    assertThrows(() => ring.add(""), RangeError, "id is empty");
    // @ts-expect-error: checking the runtime guard
    assertThrows(() => ring.add(42), TypeError, "not a string");
    for (const weight of [-1, NaN, Infinity, -Infinity]) {
      assertThrows(() => ring.add("a", weight), RangeError, `weight "${weight}"`);
      assertThrows(() => ring.update("a", weight), RangeError, `weight "${weight}"`);
    }
    // @ts-expect-error: checking the runtime guard
    assertThrows(() => ring.add("a", "2"), TypeError, "not a number");
    assertEquals(ring.size, 0);
  }
});

Deno.test("HashRing.matchN() rejects n below 1 or not an integer", () => {
  const ring = new HashRing({ pointsPerWeight: 10 });
  ring.add("a");
  for (const n of [0, -1, 1.5, NaN, Infinity]) {
    assertThrows(() => ring.matchN("k", n), RangeError, `n "${n}"`);
  }
  // @ts-expect-error: checking the runtime guard
  assertThrows(() => ring.match(undefined), TypeError, "key is not a string");
});

Deno.test("HashRing.match() accepts any string key: empty, NUL, non-ASCII, lone surrogates, long", () => {
  const keys = [
    "",
    "\0",
    "é",
    "用户-1",
    "🚀",
    "\ud800",
    "line\nbreak",
    "x".repeat(10_000),
    "é".repeat(5_000),
  ];
  for (const algorithm of ALGORITHMS) {
    const ring = new HashRing({ algorithm, pointsPerWeight: 100, replicas: 100 });
    for (const id of ["a", "b", "c"]) ring.add(id);
    for (const key of keys) {
      const owner = ring.match(key);
      assert(owner !== undefined && ring.has(owner));
      assertEquals(ring.match(key), owner);
    }
    // A lone surrogate is encoded as U+FFFD, as TextEncoder does.
    assertEquals(ring.match("\ud800"), ring.match("\ufffd"));
  }
});

Deno.test("HashRing.add() with weight 0 lists the member but never matches it", () => {
  const ring = new HashRing({ pointsPerWeight: 100 });
  ring.add("idle", 0);
  assertEquals(ring.size, 1);
  assert(ring.has("idle"));
  assertEquals(ring.match("k"), undefined);
  assertEquals(ring.matchN("k", 2), []);
  ring.add("busy");
  for (let i = 0; i < 200; i++) assertEquals(ring.match(`k${i}`), "busy");
  assertEquals(ring.matchN("k", 2), ["busy"]);
  assertEquals(ring.ownership().get("idle"), 0);
  ring.update("idle", 1);
  assertEquals(ring.matchN("k", 2).sort(), ["busy", "idle"]);
});

Deno.test("HashRing.members() lists every member with its weight, sorted by id", () => {
  const ring = new HashRing({ pointsPerWeight: 10 });
  ring.add("b", 2);
  ring.add("a");
  ring.add("c", 0);
  ring.add("B", 0.5);
  assertEquals(ring.members(), [
    { id: "B", weight: 0.5 },
    { id: "a", weight: 1 },
    { id: "b", weight: 2 },
    { id: "c", weight: 0 },
  ]);
  assertEquals(ring.size, 4);
  assertEquals(ring.pointCount, 35);
  assert(ring.remove("b"));
  assertEquals(ring.members().map((m) => m.id), ["B", "a", "c"]);
  assertEquals(ring.has("b"), false);
});

Deno.test("HashRing.add() throws RangeError past MAX_RING_POINTS and leaves the ring unchanged", () => {
  const ring = new HashRing({ pointsPerWeight: 2 ** 22 });
  assertThrows(() => ring.add("huge", 4.5), RangeError, "over the limit of 16777216");
  assertEquals(ring.size, 0);
  ring.add("a", 2);
  assertThrows(() => ring.add("b", 2.000001), RangeError, 'member "b"');
  assertThrows(() => ring.update("a", 4.1), RangeError, 'member "a"');
  assertEquals(ring.size, 1);
  assertEquals(ring.pointCount, 2 ** 23);
  assertEquals(ring.members(), [{ id: "a", weight: 2 }]);
});

Deno.test("HashRing.add() in chash mode ignores the weight", () => {
  const plain = new HashRing({ algorithm: "chash", replicas: 200 });
  const weighted = new HashRing({ algorithm: "chash", replicas: 200 });
  for (const id of ["a", "b", "c"]) plain.add(id);
  weighted.add("a", 5);
  weighted.add("b", 0);
  weighted.add("c", 0.1);
  for (let i = 0; i < 500; i++) assertEquals(weighted.match(`k${i}`), plain.match(`k${i}`));
  assertEquals(weighted.pointCount, 600);
  assertEquals(weighted.members()[0], { id: "a", weight: 5 });
});

Deno.test("HashRing.add() in chash mode re-inserts an existing member, which then wins shared points", () => {
  // svc-1 (index 5264) and col-1206 (index 6110) share point 3663485459 =
  // crc32("5264svc-1"); in Go chash the member upserted last owns it.
  const ring = new HashRing({ algorithm: "chash" });
  ring.add("svc-1");
  ring.add("col-1206");
  assertEquals(ring.match("5264svc-1"), "col-1206");
  ring.add("svc-1");
  assertEquals(ring.match("5264svc-1"), "svc-1");
  ring.update("col-1206", 1);
  assertEquals(ring.match("5264svc-1"), "col-1206");
  assertEquals(ring.pointCount, 20_000);
});
