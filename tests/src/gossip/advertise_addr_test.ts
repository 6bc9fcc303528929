import { firstPrivateIpv4, resolveAdvertiseAddr } from "../../../src/gossip/advertise_addr.ts";
import { assertEquals, assertMatch, assertThrows } from "../../_helpers/assert.ts";

Deno.test("resolveAdvertiseAddr() advertises the bind host with the bound port", () => {
  assertEquals(
    resolveAdvertiseAddr("127.0.0.1:0", undefined, "127.0.0.1:40001"),
    "127.0.0.1:40001",
  );
});

Deno.test("resolveAdvertiseAddr() takes the advertise host, and its port when given", () => {
  assertEquals(resolveAdvertiseAddr("0.0.0.0:7946", "10.1.2.3", "0.0.0.0:7946"), "10.1.2.3:7946");
  assertEquals(resolveAdvertiseAddr("0.0.0.0:0", "10.1.2.3:9000", "0.0.0.0:4000"), "10.1.2.3:9000");
  assertEquals(resolveAdvertiseAddr("[::1]:0", undefined, "[::1]:4000"), "[::1]:4000");
});

Deno.test("resolveAdvertiseAddr() replaces a wildcard bind with a real IPv4", () => {
  const addr = resolveAdvertiseAddr("0.0.0.0:0", undefined, "0.0.0.0:4000");
  assertMatch(addr, /^\d+\.\d+\.\d+\.\d+:4000$/);
  assertEquals(addr, `${firstPrivateIpv4()}:4000`);
});

Deno.test("resolveAdvertiseAddr() rejects an unparsable address", () => {
  assertThrows(() => resolveAdvertiseAddr("127.0.0.1:0", "h:99999", "127.0.0.1:1"), TypeError);
});
