import { assert, assertEquals, assertNotEquals } from "../_helpers/assert.ts";
import { HashRing, type RingAlgorithm } from "../../lib/ring.ts";

const ALGORITHMS: RingAlgorithm[] = ["default", "chash"];

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function randomKeys(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from(
    { length: count },
    (_, i) => `k${i}-${Math.floor(random() * 2 ** 32).toString(36)}`,
  );
}

function ids(n: number, prefix = "svc-"): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`);
}

function ringOf(
  members: readonly string[],
  options: ConstructorParameters<typeof HashRing>[0] = {},
): HashRing {
  const ring = new HashRing(options);
  for (const id of members) ring.add(id);
  return ring;
}

const KEYS = randomKeys(5000, 7);

Deno.test("HashRing.match() returns undefined on an empty ring", () => {
  for (const algorithm of ALGORITHMS) {
    const ring = new HashRing({ algorithm });
    assertEquals(ring.match("any"), undefined);
    assertEquals(ring.matchN("any", 3), []);
    ring.add("a");
    ring.remove("a");
    assertEquals(ring.match("any"), undefined);
    assertEquals(ring.size, 0);
    assertEquals(ring.pointCount, 0);
  }
});

Deno.test("HashRing.match() gives the same answers for the same members added in any order", () => {
  const random = seededRandom(1);
  const members = ids(12);
  const weights = new Map(members.map((id, i) => [id, 0.5 + (i % 4) * 0.5]));
  const answers: string[][] = [];
  for (let round = 0; round < 4; round++) {
    const ring = new HashRing({ pointsPerWeight: 2000 });
    for (const id of shuffled(members, random)) {
      ring.add(id, weights.get(id));
      // Merging at different moments must not change the final order either.
      if (random() < 0.5) ring.match("flush");
    }
    answers.push(KEYS.map((key) => ring.match(key)!));
  }
  for (const other of answers.slice(1)) assertEquals(other, answers[0]);
});

Deno.test("HashRing.ownership() is identical for any insertion order, shared points included", () => {
  // 10^6 points hold about 116 values shared by two members; the owner of
  // each must not depend on which member came first.
  const members = ids(100);
  const forward = ringOf(members).ownership();
  const backward = ringOf([...members].reverse()).ownership();
  for (const id of members) assertEquals(backward.get(id), forward.get(id), id);
});

Deno.test("HashRing.match() answers as a fresh ring after members leave and rejoin", () => {
  const fresh = ringOf(ids(8), { pointsPerWeight: 2000 });
  const churned = ringOf(ids(10), { pointsPerWeight: 2000 });
  churned.match("flush");
  churned.remove("svc-8");
  churned.remove("svc-3");
  churned.remove("svc-9");
  churned.add("svc-3");
  for (const key of KEYS) assertEquals(churned.match(key), fresh.match(key));
});

Deno.test("HashRing.matchN() returns distinct owners in ring order, the first being match()", () => {
  for (const algorithm of ALGORITHMS) {
    const ring = ringOf(ids(6), { algorithm, pointsPerWeight: 500, replicas: 500 });
    for (const key of KEYS.slice(0, 1000)) {
      const owners = ring.matchN(key, 3);
      assertEquals(owners.length, 3);
      assertEquals(new Set(owners).size, 3);
      assertEquals(owners[0], ring.match(key));
    }
    assertEquals(ring.matchN("k", 50).sort(), ids(6).sort());
  }
});

Deno.test("HashRing.matchN() second choice becomes the owner when the owner is removed", () => {
  for (const algorithm of ALGORITHMS) {
    const ring = ringOf(ids(5), { algorithm, pointsPerWeight: 500, replicas: 500 });
    const before = new Map(KEYS.map((key) => [key, ring.matchN(key, 3)]));
    ring.remove("svc-2");
    for (const [key, [first, second, third]] of before) {
      const expected = first === "svc-2" ? second : first;
      assertEquals(ring.match(key), expected, `${algorithm} ${key}`);
      if (first === "svc-2") assertEquals(ring.matchN(key, 2), [second, third]);
    }
  }
});

Deno.test("HashRing.add() moves keys only to the new member, about 1/(n+1) of them", () => {
  for (const algorithm of ALGORITHMS) {
    const ring = ringOf(ids(10), { algorithm });
    const before = KEYS.map((key) => ring.match(key));
    ring.add("svc-new");
    let moved = 0;
    KEYS.forEach((key, i) => {
      const now = ring.match(key);
      if (now === before[i]) return;
      moved++;
      assertEquals(now, "svc-new", `${algorithm}: ${key} moved between unchanged members`);
    });
    assert(moved > 0);
    if (algorithm === "default") {
      // The exact share of the hash space that moved: within 5% of the ideal.
      const share = ring.ownership().get("svc-new")!;
      assert(Math.abs(share * 11 - 1) <= 0.05, `share ${share}`);
    }
  }
});

Deno.test("HashRing.remove() moves only the removed member's keys, about 1/n of them", () => {
  for (const algorithm of ALGORITHMS) {
    const ring = ringOf(ids(10), { algorithm });
    const shares = ring.ownership();
    const before = KEYS.map((key) => ring.match(key));
    assert(ring.remove("svc-4"));
    assertEquals(ring.remove("svc-4"), false);
    KEYS.forEach((key, i) => {
      if (before[i] !== "svc-4") assertEquals(ring.match(key), before[i], `${algorithm}: ${key}`);
      else assertNotEquals(ring.match(key), "svc-4");
    });
    if (algorithm === "default") assert(Math.abs(shares.get("svc-4")! * 10 - 1) <= 0.05);
  }
});

Deno.test("HashRing.update() raising a weight moves keys only to that member, lowering only away", () => {
  const ring = ringOf(ids(5), { pointsPerWeight: 1000 });
  const base = KEYS.map((key) => ring.match(key));
  ring.update("svc-1", 3);
  const raised = KEYS.map((key) => ring.match(key));
  raised.forEach((owner, i) => {
    if (owner !== base[i]) assertEquals(owner, "svc-1");
  });
  assert(
    raised.filter((owner) => owner === "svc-1").length > base.filter((o) => o === "svc-1").length,
  );
  assertEquals(ring.pointCount, 7000);
  ring.update("svc-1", 1);
  assertEquals(KEYS.map((key) => ring.match(key)), base);
  ring.update("svc-9", 1);
  assert(ring.has("svc-9"));
  assertEquals(ring.members().find((m) => m.id === "svc-1"), { id: "svc-1", weight: 1 });
});

Deno.test("HashRing weights give each member a share within 5% of weight / total weight", () => {
  const weights: Record<string, number> = { a: 1, b: 2, c: 3, d: 4, e: 0.5 };
  const ring = new HashRing();
  for (const [id, weight] of Object.entries(weights)) ring.add(id, weight);
  const total = 10.5;
  for (const [id, share] of ring.ownership()) {
    const expected = weights[id] / total;
    assert(Math.abs(share / expected - 1) <= 0.05, `${id}: ${share} vs ${expected}`);
  }
});

Deno.test("HashRing default balance: busiest member within 1.02 of the mean at 10 members, 1.05 at 100", () => {
  for (const [n, limit] of [[10, 1.02], [100, 1.05]]) {
    const ring = ringOf(ids(n));
    const peak = Math.max(...ring.ownership().values()) * n;
    assert(peak <= limit, `${n} members: peak/mean ${peak}`);
  }
  // Other member names, by sampled keys: 20,000 keys, 10 members, 3σ of sampling noise allowed.
  for (const prefix of ["node-", "10.0.0.", "api-"]) {
    const ring = ringOf(ids(10, prefix));
    const counts = new Map<string, number>();
    for (const key of randomKeys(20_000, 3)) {
      counts.set(ring.match(key)!, (counts.get(ring.match(key)!) ?? 0) + 1);
    }
    const peak = Math.max(...counts.values()) / 2000;
    assert(peak <= 1.09, `${prefix}: sampled peak/mean ${peak}`);
    assert(Math.max(...ring.ownership().values()) * 10 <= 1.03, `${prefix}: exact share`);
  }
});

Deno.test("HashRing.byteLength stays at or below 8 bytes per point through churn", () => {
  const ring = ringOf(ids(20));
  for (let round = 0; round < 12; round++) {
    ring.remove(`svc-${round}`);
    assert(
      ring.byteLength / ring.pointCount <= 8,
      `after remove: ${ring.byteLength / ring.pointCount}`,
    );
    if (round % 3 === 0) ring.add(`svc-${round}`, 2);
    assert(
      ring.byteLength / ring.pointCount <= 8,
      `after add: ${ring.byteLength / ring.pointCount}`,
    );
  }
});

Deno.test("HashRing.match() default answers are pinned for a small weighted ring", () => {
  const ring = new HashRing();
  for (let i = 0; i < 5; i++) ring.add(`svc-${i}`, 1 + (i % 2));
  const expected: [string, string[]][] = [
    ["", ["svc-1", "svc-4", "svc-2"]],
    ["user-id-1", ["svc-1", "svc-2", "svc-3"]],
    ["user-id-2", ["svc-4", "svc-3", "svc-1"]],
    ["user-id-3", ["svc-0", "svc-3", "svc-4"]],
    ["é", ["svc-2", "svc-1", "svc-3"]],
    ["用户-1", ["svc-1", "svc-3", "svc-0"]],
    ["🚀", ["svc-4", "svc-1", "svc-2"]],
  ];
  for (const [key, owners] of expected) {
    assertEquals(ring.matchN(key, 3), owners, JSON.stringify(key));
    assertEquals(ring.match(key), owners[0]);
  }
});

Deno.test("HashRing handles more than 65,536 members (32-bit owner slots)", () => {
  const ring = new HashRing({ pointsPerWeight: 2 });
  const members = ids(70_000, "m");
  for (const id of members) ring.add(id);
  assertEquals(ring.pointCount, 140_000);
  const present = new Set(members);
  for (const key of KEYS.slice(0, 500)) assert(present.has(ring.match(key)!));
  ring.remove("m69999");
  ring.add("late");
  const owners = new Set(KEYS.map((key) => ring.match(key)!));
  assert(owners.size > 4000, `distinct owners ${owners.size}`);
  assert(!owners.has("m69999"));
  const top = ring.matchN("k", 5);
  assertEquals(new Set(top).size, 5);
});
