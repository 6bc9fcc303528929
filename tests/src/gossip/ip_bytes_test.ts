import { addrString, bytesEqual, ipToBytes, ipToString } from "../../../src/gossip/ip_bytes.ts";
import { assertEquals, assertThrows } from "../../_helpers/assert.ts";

Deno.test("ipToBytes() parses IPv4 and IPv6 forms", () => {
  assertEquals([...ipToBytes("127.0.0.1")], [127, 0, 0, 1]);
  assertEquals([...ipToBytes("::1")], [...new Array(15).fill(0), 1]);
  assertEquals([...ipToBytes("[fe80::1:2]")].slice(0, 2), [0xfe, 0x80]);
  assertEquals([...ipToBytes("::ffff:10.1.2.3")].slice(10), [255, 255, 10, 1, 2, 3]);
  assertThrows(() => ipToBytes("256.0.0.1"), TypeError);
  assertThrows(() => ipToBytes("example.com"), TypeError);
  assertThrows(() => ipToBytes("1::2::3"), TypeError);
});

Deno.test("ipToString() shows IPv4-mapped addresses as IPv4 and compresses zeros", () => {
  assertEquals(ipToString(ipToBytes("::ffff:10.1.2.3")), "10.1.2.3");
  assertEquals(ipToString(ipToBytes("2001:db8:0:0:8:800:200c:417a")), "2001:db8::8:800:200c:417a");
  assertEquals(ipToString(new Uint8Array(3)), "");
});

Deno.test("addrString() brackets IPv6 hosts", () => {
  assertEquals(addrString(new Uint8Array([10, 0, 0, 1]), 7946), "10.0.0.1:7946");
  assertEquals(addrString(ipToBytes("::1"), 7946), "[::1]:7946");
  assertEquals(bytesEqual(new Uint8Array([1]), new Uint8Array([1])), true);
  assertEquals(bytesEqual(new Uint8Array([1]), new Uint8Array([1, 2])), false);
});
