import { assertEquals, assertMatch, assertThrows } from "../../_helpers/assert.ts";
import { RegistryError } from "../../../lib/errors.ts";
import {
  defaultServiceId,
  resolveRegisterOptions,
} from "../../../src/register/register_options.ts";

const sources = { hostname: () => "box_1.local", random: () => 0.5 };

Deno.test("resolveRegisterOptions() fills the documented defaults", () => {
  const o = resolveRegisterOptions({ group: "web", addr: "10.0.0.5:8080" }, sources);
  assertEquals(o.id, "web-box-1.local-iiiiii");
  assertEquals(o.registries, ["127.0.0.1:7370"]);
  assertEquals(o.bind, "0.0.0.0:0");
  assertEquals(o.bindAdvertise, undefined);
  assertEquals(o.tags, { group: "web", addr: "10.0.0.5:8080", replicas: "10000", weight: "1" });
  assertEquals(o.check, { kind: "none" });
  assertEquals(
    [o.checkIntervalMs, o.checkTimeoutMs, o.checkRise, o.checkFall],
    [5000, 2000, 2, 1],
  );
  assertEquals([o.profile, o.joinRetryMs, o.joinRetryMaxMs], ["lan", 1000, 30_000]);
  assertEquals(o.encryptKeys, []);
});

Deno.test("resolveRegisterOptions() normalizes registries and a wildcard bind", () => {
  const o = resolveRegisterOptions({
    group: "web",
    addr: ":8080",
    id: "w1",
    registries: [" 10.0.0.1 ", "10.0.0.2:7371", "", "[::1]"],
    bind: ":7380",
  });
  assertEquals(o.registries, ["10.0.0.1:7370", "10.0.0.2:7371", "[::1]:7370"]);
  assertEquals(o.bind, "0.0.0.0:7380");
});

Deno.test("resolveRegisterOptions() refuses a reserved group and over-long tags", () => {
  assertThrows(
    () => resolveRegisterOptions({ group: "registry-group", addr: "h:1" }),
    TypeError,
    "reserved",
  );
  const e = assertThrows(() =>
    resolveRegisterOptions({ group: "web", addr: "h:1", tags: { big: "x".repeat(600) } })
  );
  assertEquals(e instanceof RegistryError && e.code, "TAGS_TOO_LARGE");
});

Deno.test("resolveRegisterOptions() refuses malformed addresses, keys and checks", () => {
  const base = { group: "web", addr: "h:1" };
  assertThrows(() => resolveRegisterOptions({ ...base, addr: "nohost" }), TypeError, "no port");
  assertThrows(() => resolveRegisterOptions({ ...base, registries: [] }), TypeError, "no registry");
  assertThrows(() => resolveRegisterOptions({ ...base, registries: [":7370"] }), TypeError, "host");
  assertThrows(() => resolveRegisterOptions({ ...base, bind: "x:99999" }), TypeError, "port");
  assertThrows(
    () => resolveRegisterOptions({ ...base, encryptKeys: ["c2hvcnQ="] }),
    TypeError,
    "key",
  );
  assertThrows(() => resolveRegisterOptions({ ...base, check: "udp" }), TypeError, "check");
  assertThrows(() => resolveRegisterOptions({ ...base, id: "" }), TypeError, "id");
});

Deno.test("resolveRegisterOptions() refuses non-positive timings and thresholds", () => {
  const base = { group: "web", addr: "h:1", id: "w" };
  assertThrows(() => resolveRegisterOptions({ ...base, checkIntervalMs: 0 }), RangeError);
  assertThrows(() => resolveRegisterOptions({ ...base, joinRetryMs: -1 }), RangeError);
  assertThrows(() => resolveRegisterOptions({ ...base, checkRise: 0 }), RangeError, "checkRise");
  assertThrows(
    () => resolveRegisterOptions({ ...base, profile: "wan" as "lan" }),
    RangeError,
    "profile",
  );
});

Deno.test("resolveRegisterOptions() accepts a 32-byte base64 key", () => {
  const key = btoa(String.fromCharCode(...new Uint8Array(32)));
  const o = resolveRegisterOptions({ group: "web", addr: "h:1", encryptKeys: [key] });
  assertEquals(o.encryptKeys, [key]);
});

Deno.test("defaultServiceId() is <group>-<host>-<6 base-36 chars> and varies with randomness", () => {
  const id = defaultServiceId("web api", { hostname: () => "h" });
  assertMatch(id, /^web-api-h-[0-9a-z]{6}$/);
  let n = 0;
  const seq = () => (n++ % 36) / 36;
  assertEquals(defaultServiceId("g", { hostname: () => "h", random: seq }), "g-h-012345");
});
