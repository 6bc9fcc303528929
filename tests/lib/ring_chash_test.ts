import { assert, assertEquals, assertMatch } from "../_helpers/assert.ts";
import { HashRing } from "../../lib/ring.ts";
import { chashPoints } from "../../lib/_ring_points.ts";
import { crc32String } from "../../lib/_crc32.ts";

interface Collision {
  hash: number;
  owners: string[];
  winner: string;
}

interface ChashCase {
  name: string;
  members: string[];
  replicas: number;
  deleted?: string[];
  note?: string;
  ringLen: number;
  distinctPoints: number;
  minPoint: number;
  maxPoint: number;
  collisions: Collision[];
  share: Record<string, number>;
  matches: Record<string, string>;
  matchErrors?: Record<string, string>;
}

interface ChashVectors {
  algorithm: string;
  source: string;
  keys: string[];
  keyHashes: Record<string, number>;
  cases: ChashCase[];
}

const VECTORS: ChashVectors = JSON.parse(
  await Deno.readTextFile(new URL("../../../shared/vectors/chash-v1.0.8.json", import.meta.url)),
);
const KNOWN_FIELDS = [
  "name",
  "members",
  "replicas",
  "deleted",
  "note",
  "ringLen",
  "distinctPoints",
  "minPoint",
  "maxPoint",
  "collisions",
  "share",
  "matches",
  "matchErrors",
];

function buildRing(c: ChashCase, withDeletes: boolean): HashRing {
  const ring = new HashRing({ algorithm: "chash", replicas: c.replicas });
  for (const id of c.members) ring.add(id);
  if (withDeletes) { for (const id of c.deleted ?? []) assert(ring.remove(id)); }
  return ring;
}

/** Every point of the case's members, as `hash -> ["id#index", ...]` in insertion order. */
function pointOwners(c: ChashCase): Map<number, string[]> {
  const owners = new Map<number, string[]>();
  for (const id of c.members) {
    chashPoints(id, c.replicas).forEach((point, index) => {
      const list = owners.get(point) ?? [];
      list.push(`${id}#${index}`);
      owners.set(point, list);
    });
  }
  return owners;
}

function isShareKey(key: string): boolean {
  return /^user-id-\d+$/.test(key);
}

Deno.test("HashRing chash vectors file has only the fields this suite checks", () => {
  assertEquals(Object.keys(VECTORS).sort(), ["algorithm", "cases", "keyHashes", "keys", "source"]);
  assertEquals(VECTORS.keys.length, Object.keys(VECTORS.keyHashes).length);
  assertMatch(VECTORS.source, /werbenhu\/chash v1\.0\.8/);
  assertMatch(VECTORS.algorithm, /crc32/);
  for (const c of VECTORS.cases) {
    for (const field of Object.keys(c)) assert(KNOWN_FIELDS.includes(field), `${c.name}: ${field}`);
  }
});

Deno.test("crc32String() gives Go's crc32.ChecksumIEEE for every vector key", () => {
  for (const key of VECTORS.keys) {
    assertEquals(crc32String(key), VECTORS.keyHashes[key], JSON.stringify(key));
  }
});

for (const c of VECTORS.cases) {
  Deno.test(`HashRing in chash mode builds Go's ring for case "${c.name}": length, points, collisions`, () => {
    const ring = buildRing(c, false);
    assertEquals(ring.pointCount, c.ringLen);
    const owners = pointOwners(c);
    const points = [...owners.keys()];
    assertEquals(owners.size, c.distinctPoints);
    assertEquals(Math.min(...points), c.minPoint);
    assertEquals(Math.max(...points), c.maxPoint);
    const collisions = [...owners].filter(([, list]) => list.length > 1).sort(([a], [b]) => a - b);
    assertEquals(collisions.length, c.collisions.length);
    collisions.forEach(([hash, list], i) => {
      const expected = c.collisions[i];
      assertEquals(hash, expected.hash);
      assertEquals([...list].sort(), [...expected.owners].sort());
      // "<index><id>" hashes exactly onto the shared point.
      const [winnerId, winnerIndex] = list[list.length - 1].split("#");
      assertEquals(ring.match(`${winnerIndex}${winnerId}`), expected.winner);
      assertEquals(winnerId, expected.winner);
    });
  });

  Deno.test(`HashRing.match() in chash mode gives Go's answers for case "${c.name}"`, () => {
    const ring = buildRing(c, true);
    const members = c.members.filter((id) => !(c.deleted ?? []).includes(id));
    assertEquals(ring.size, members.length);
    assertEquals(ring.pointCount, c.ringLen - c.replicas * (c.deleted?.length ?? 0));
    for (const key of VECTORS.keys) {
      const expected = c.matches[key];
      if (expected !== undefined) {
        assertEquals(ring.match(key), expected, `${c.name}: key ${JSON.stringify(key)}`);
        continue;
      }
      // Go panics here: the key's point was shared and one owner was
      // deleted. This ring answers with the owner that is still present.
      assertMatch(c.matchErrors?.[key] ?? "", /^panic: /, `${c.name}: ${JSON.stringify(key)}`);
      const shared = c.collisions.find((col) => predecessorIs(col.hash, key, c));
      assert(
        shared !== undefined,
        `${c.name}: ${JSON.stringify(key)} does not land on a shared point`,
      );
      const survivors = shared.owners.map((o) => o.split("#")[0]).filter((id) =>
        members.includes(id)
      );
      assertEquals([ring.match(key)], survivors);
    }
    for (const key of Object.keys(c.matchErrors ?? {})) assert(VECTORS.keys.includes(key));
    const share: Record<string, number> = {};
    for (const key of VECTORS.keys.filter(isShareKey)) {
      if (c.matches[key] !== undefined) share[c.matches[key]] = (share[c.matches[key]] ?? 0) + 1;
    }
    assertEquals(share, c.share);
    for (const id of Object.keys(c.share)) assert(members.includes(id));
  });
}

/** Whether `point` is the largest point of the case's ring at or below the key's hash (with wrap). */
function predecessorIs(point: number, key: string, c: ChashCase): boolean {
  const hash = VECTORS.keyHashes[key];
  const points = [...pointOwners(c).keys()].sort((a, b) => a - b);
  const below = points.filter((p) => p <= hash);
  return (below.length > 0 ? below[below.length - 1] : points[points.length - 1]) === point;
}
