import { assertEquals, assertRejects, assertThrows } from "../../_helpers/assert.ts";
import { Keyring, pkcs7Pad } from "../../../src/gossip/keyring.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";
import { ENCRYPTED_JOIN, ENCRYPTED_JOIN_PLAIN, ENCRYPTION_KEY, hexOf } from "./_wire_vectors.ts";

const NO_AAD = new Uint8Array(0);

async function reason(fn: () => Promise<unknown>): Promise<string> {
  return ((await assertRejects(fn, WireError)) as WireError).reason;
}

Deno.test("Keyring.decryptPayload() opens the captured 54-byte serf packet", async () => {
  const ring = await Keyring.fromBase64([ENCRYPTION_KEY]);
  const plain = await ring.decryptPayload(ENCRYPTED_JOIN, NO_AAD);
  assertEquals(hexOf(plain), hexOf(ENCRYPTED_JOIN_PLAIN));
});

Deno.test("Keyring.decryptPayload() tries every key, not just the primary", async () => {
  const other = crypto.getRandomValues(new Uint8Array(16));
  const ring = await Keyring.create([other, Keyring.decodeKey(ENCRYPTION_KEY)]);
  assertEquals(
    hexOf(await ring.decryptPayload(ENCRYPTED_JOIN, NO_AAD)),
    hexOf(ENCRYPTED_JOIN_PLAIN),
  );
});

Deno.test("Keyring.encryptPayload() writes version 1 with 29 bytes of overhead and round-trips", async () => {
  const ring = await Keyring.create([new Uint8Array(24).fill(3)]);
  const aad = new Uint8Array([0x0a, 0, 0, 0, 9]);
  const blob = await ring.encryptPayload(new Uint8Array([1, 2, 3]), aad);
  assertEquals(blob.length, 3 + 29);
  assertEquals(blob[0], 1);
  assertEquals(await ring.decryptPayload(blob, aad), new Uint8Array([1, 2, 3]));
  assertEquals(await reason(() => ring.decryptPayload(blob, NO_AAD)), "decrypt_failed");
});

Deno.test("Keyring.decryptPayload() accepts PKCS#7-padded version 0 blobs", async () => {
  const raw = new Uint8Array(32).fill(9);
  const ring = await Keyring.create([raw]);
  const iv = new Uint8Array(12).fill(1);
  const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt"]);
  const padded = new Uint8Array(pkcs7Pad(new Uint8Array([7, 7, 7])));
  assertEquals(padded.length, 16);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, padded));
  const blob = new Uint8Array([0, ...iv, ...sealed]);
  assertEquals(await ring.decryptPayload(blob, NO_AAD), new Uint8Array([7, 7, 7]));
});

Deno.test("Keyring.decryptPayload() rejects short blobs, unknown versions and wrong keys", async () => {
  const ring = await Keyring.create([new Uint8Array(16)]);
  assertEquals(
    await reason(() => ring.decryptPayload(new Uint8Array(0), NO_AAD)),
    "decrypt_failed",
  );
  assertEquals(
    await reason(() => ring.decryptPayload(new Uint8Array(28).fill(1), NO_AAD)),
    "decrypt_failed",
  );
  assertEquals(
    await reason(() => ring.decryptPayload(new Uint8Array(44), NO_AAD)),
    "decrypt_failed",
  );
  assertEquals(
    await reason(() => ring.decryptPayload(new Uint8Array(60).fill(2), NO_AAD)),
    "bad_encryption_version",
  );
  assertEquals(await reason(() => ring.decryptPayload(ENCRYPTED_JOIN, NO_AAD)), "decrypt_failed");
});

Deno.test("Keyring key management mirrors serf's install, use, remove and list", async () => {
  const a = new Uint8Array(16).fill(1), b = new Uint8Array(16).fill(2);
  const ring = await Keyring.create([a]);
  await ring.addKey(b);
  await ring.addKey(b);
  assertEquals(ring.keys, [a, b]);
  ring.useKey(b);
  assertEquals(ring.primaryKey, b);
  assertThrows(() => ring.removeKey(b), RangeError);
  ring.removeKey(a);
  assertEquals(ring.keysBase64, ["AgICAgICAgICAgICAgICAg=="]);
  assertThrows(() => ring.useKey(a), RangeError);
});

Deno.test("Keyring.create() refuses bad key lengths and bad base64", async () => {
  await assertRejects(() => Keyring.create([new Uint8Array(15)]), RangeError);
  await assertRejects(() => Keyring.create([]), RangeError);
  await assertRejects(() => Keyring.fromBase64(["***"]), TypeError);
  assertThrows(() => Keyring.decodeKey("AAAA"), RangeError);
});
