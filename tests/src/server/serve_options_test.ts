import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import {
  openGossipWarning,
  registryNodeTags,
  resolveServeOptions,
} from "../../../src/server/serve_options.ts";

Deno.test("resolveServeOptions() fills the Go registry's defaults", () => {
  const o = resolveServeOptions({ id: "r1" });
  assertEquals(
    [o.bind, o.addr, o.ring, o.profile, o.registries, o.encryptKeys, o.joinRetryMs],
    [":7370", ":9800", "default", "lan", [], [], 1000],
  );
  assertEquals([o.bindAdvertise, o.advertise], [undefined, undefined]);
});

Deno.test("resolveServeOptions() drops blank registries and treats empty advertise addresses as unset", () => {
  const o = resolveServeOptions({ id: "r1", registries: ["", " a:1 ", ""], advertise: "" });
  assertEquals(o.registries, ["a:1"]);
  assertEquals(o.advertise, undefined);
});

Deno.test("resolveServeOptions() rejects an empty id, bad addresses, an unknown ring and a non-positive retry", () => {
  assertThrows(() => resolveServeOptions({ id: " " }), TypeError, "id is empty");
  assertThrows(() => resolveServeOptions({ id: "r", bind: "nohost" }), TypeError, "no port");
  assertThrows(() => resolveServeOptions({ id: "r", addr: ":70000" }), TypeError, "0-65535");
  assertThrows(
    () => resolveServeOptions({ id: "r", ring: "ketama" as "chash" }),
    RangeError,
    "unknown ring",
  );
  assertThrows(() => resolveServeOptions({ id: "r", joinRetryMs: 0 }), RangeError, "joinRetryMs");
});

Deno.test("registryNodeTags() fills an empty or wildcard RPC host with the gossip IP and port 0 with the bound port", () => {
  const tags = (addr: string, advertise?: string) =>
    registryNodeTags(
      resolveServeOptions({ id: "r", addr, advertise }),
      "0.0.0.0:41000",
      "10.1.2.3:7370",
    ).addr;
  assertEquals(tags(":9800"), "10.1.2.3:9800");
  assertEquals(tags("0.0.0.0:9800"), "10.1.2.3:9800");
  assertEquals(tags("127.0.0.1:0"), "127.0.0.1:41000");
  assertEquals(tags(":9800", "rpc.example:9900"), "rpc.example:9900");
  assertEquals(tags(":9800", ":9900"), "10.1.2.3:9900");
});

Deno.test("registryNodeTags() gives group, replicas and the ring name", () => {
  const o = resolveServeOptions({ id: "r", addr: "127.0.0.1:9800", ring: "chash" });
  assertEquals(registryNodeTags(o, "127.0.0.1:9800"), {
    group: "registry-group",
    addr: "127.0.0.1:9800",
    replicas: "10000",
    ring: "chash",
  });
});

Deno.test("openGossipWarning() warns only for gossip beyond loopback without a key", () => {
  const warn = (bind: string, encryptKeys: string[] = []) =>
    openGossipWarning(resolveServeOptions({ id: "r", bind, encryptKeys }));
  assertEquals(typeof warn(":7370"), "string");
  assertEquals(typeof warn("0.0.0.0:7370"), "string");
  assertEquals(typeof warn("10.0.0.5:7370"), "string");
  assertEquals(warn("127.0.0.1:7370"), undefined);
  assertEquals(warn(":7370", ["a2V5a2V5a2V5a2V5a2V5MQ=="]), undefined);
});
