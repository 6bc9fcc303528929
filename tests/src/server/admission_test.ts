import { assert, assertEquals } from "../../_helpers/assert.ts";
import { admitMember, MAX_WEIGHT } from "../../../src/server/admission.ts";
import { member, service } from "../../_helpers/rpc_fixture.ts";

Deno.test("admitMember() needs a non-empty group tag and an addr tag", () => {
  assertEquals(admitMember(member("a", { addr: "x:1" }), "default").ok, false);
  assertEquals(admitMember(member("a", { group: "", addr: "x:1" }), "default").ok, false);
  assertEquals(admitMember(member("a", { group: "g" }), "default").ok, false);
  const ok = admitMember(service("a", "g", "x:1", { zone: "z" }), "default");
  assert(ok.ok);
  assertEquals(ok.service, {
    id: "a",
    group: "g",
    addr: "x:1",
    tags: { group: "g", addr: "x:1", zone: "z" },
  });
});

Deno.test("admitMember() reads decimal weights from 0 to MAX_WEIGHT and notes invalid ones", () => {
  const weight = (w: string): unknown => {
    const a = admitMember(service("a", "g", "x:1", { weight: w }), "default");
    return a.ok ? [a.weight, a.note !== undefined] : "out";
  };
  assertEquals(weight("3"), [3, false]);
  assertEquals(weight("0.5"), [0.5, false]);
  assertEquals(weight("0"), [0, false]);
  assertEquals(weight(String(MAX_WEIGHT)), [MAX_WEIGHT, false]);
  for (const bad of ["-1", "abc", "1e3", String(MAX_WEIGHT + 1), ""]) {
    assertEquals(weight(bad), [1, true], bad);
  }
});

Deno.test("admitMember() in chash mode needs a positive integer replicas tag and ignores weight", () => {
  assertEquals(admitMember(service("a", "g", "x:1"), "chash").ok, false);
  for (const bad of ["", "1.5", "-3", "0", "ten"]) {
    assertEquals(admitMember(service("a", "g", "x:1", { replicas: bad }), "chash").ok, false, bad);
  }
  const ok = admitMember(service("a", "g", "x:1", { replicas: "200", weight: "5" }), "chash");
  assert(ok.ok);
  assertEquals([ok.replicas, ok.weight], [200, 1]);
});
