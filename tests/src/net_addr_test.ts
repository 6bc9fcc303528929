import { assertEquals, assertThrows } from "../_helpers/assert.ts";
import { formatHostPort, isBeyondLoopback, parseHostPort } from "../../src/net_addr.ts";

Deno.test("parseHostPort() reads host:port, :port, [v6]:port and a bare host", () => {
  assertEquals(parseHostPort("127.0.0.1:7370"), { host: "127.0.0.1", port: 7370 });
  assertEquals(parseHostPort(":9800"), { host: "", port: 9800 });
  assertEquals(parseHostPort("[::1]:80"), { host: "::1", port: 80 });
  assertEquals(parseHostPort("example", 7370), { host: "example", port: 7370 });
  assertEquals(parseHostPort("::1", 7370), { host: "::1", port: 7370 });
});

Deno.test("parseHostPort() rejects empty text, a missing port and a bad port", () => {
  assertThrows(() => parseHostPort(""), TypeError, "empty");
  assertThrows(() => parseHostPort("host"), TypeError, "no port");
  assertThrows(() => parseHostPort("host:99999"), TypeError, "0-65535");
  assertThrows(() => parseHostPort("host:x"), TypeError, "0-65535");
});

Deno.test("formatHostPort() brackets IPv6 and isBeyondLoopback() knows loopback", () => {
  assertEquals(formatHostPort("::1", 1), "[::1]:1");
  assertEquals(formatHostPort("10.0.0.1", 2), "10.0.0.1:2");
  assertEquals([isBeyondLoopback("127.0.0.1"), isBeyondLoopback(""), isBeyondLoopback("0.0.0.0")], [
    false,
    true,
    true,
  ]);
});
