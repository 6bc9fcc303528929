import { assertEquals } from "../../_helpers/assert.ts";
import type { ServiceInfo } from "../../../lib/types.ts";
import { GroupRings, type ServiceChange } from "../../../src/server/group_rings.ts";

function svc(id: string, group: string, addr = `${id}:80`): ServiceInfo {
  return { id, group, addr, tags: { group, addr } };
}

function recording(): { rings: GroupRings; changes: string[]; warnings: string[] } {
  const changes: string[] = [];
  const warnings: string[] = [];
  const rings = new GroupRings({
    ring: "default",
    onChange: (type: ServiceChange, service: ServiceInfo) => changes.push(`${type} ${service.id}`),
    warnOnce: (member, key) => warnings.push(`${member} ${key}`),
  });
  return { rings, changes, warnings };
}

Deno.test("GroupRings.place() reports a join, then an update only when something changed", () => {
  const { rings, changes } = recording();
  rings.place({ ok: true, service: svc("a", "web"), weight: 1, replicas: 0 });
  rings.place({ ok: true, service: svc("a", "web"), weight: 1, replicas: 0 });
  rings.place({ ok: true, service: svc("a", "web", "a:81"), weight: 1, replicas: 0 });
  rings.place({ ok: true, service: svc("a", "web", "a:81"), weight: 2, replicas: 0 });
  assertEquals(changes, ["join a", "update a", "update a"]);
  assertEquals(rings.match("web", "k")?.addr, "a:81");
});

Deno.test("GroupRings.place() moves a service whose group changed: leave, then join", () => {
  const { rings, changes } = recording();
  rings.place({ ok: true, service: svc("a", "web"), weight: 1, replicas: 0 });
  rings.place({ ok: true, service: svc("a", "db"), weight: 1, replicas: 0 });
  assertEquals(changes, ["join a", "leave a", "join a"]);
  assertEquals(rings.groups(), ["db"]);
});

Deno.test("GroupRings.unplace() drops an emptied group and reports a leave once", () => {
  const { rings, changes } = recording();
  for (const id of ["b", "a"]) {
    rings.place({ ok: true, service: svc(id, "web"), weight: 1, replicas: 0 });
  }
  assertEquals(rings.members("web").map((s) => s.id), ["a", "b"]);
  assertEquals(rings.matchN("web", "k", 5).length, 2);
  assertEquals(rings.unplace("a"), true);
  assertEquals(rings.unplace("a"), false);
  assertEquals(rings.unplace("b"), true);
  assertEquals(rings.groups(), []);
  assertEquals(rings.match("web", "k"), undefined);
  assertEquals(changes, ["join b", "join a", "leave a", "leave b"]);
});
