import { assert, assertEquals, assertRejects } from "../../_helpers/assert.ts";
import { Keyring } from "../../../src/gossip/keyring.ts";
import { encodeMessage } from "../../../src/gossip/message_codec.ts";
import {
  compressMessage,
  decodePacket,
  decodePacketDetailed,
  encodePacket,
} from "../../../src/gossip/packet_codec.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";
import {
  ALIVE_COMPOUND,
  bytesOf,
  COMPRESSED_ACK,
  ENCRYPTED_JOIN,
  ENCRYPTION_KEY,
  hexOf,
  JOIN_WITH_CRC,
  LEAVE_DEAD,
  NACK,
  PING,
  PING_SUSPECT_COMPOUND,
  PLAIN_PACKETS,
  SUSPECT,
} from "./_wire_vectors.ts";

async function reason(fn: () => Promise<unknown>): Promise<string> {
  return ((await assertRejects(fn, WireError)) as WireError).reason;
}

Deno.test("decodePacket() decodes every plaintext capture", async () => {
  const types = [];
  for (const packet of PLAIN_PACKETS) types.push((await decodePacket(packet)).map((m) => m.type));
  assertEquals(types, [
    ["ping"],
    ["user"],
    ["ping", "suspect"],
    ["indirectPing"],
    ["nack"],
    ["alive", "alive"],
    ["user"],
    ["dead"],
    ["user"],
    ["user"],
    ["ack"],
  ]);
});

Deno.test("decodePacket() strips a CRC and drops a packet whose CRC is wrong", async () => {
  const [msg] = await decodePacket(JOIN_WITH_CRC);
  assertEquals(msg, { type: "user", payload: JOIN_WITH_CRC.subarray(6) });
  const bad = JOIN_WITH_CRC.slice();
  bad[bad.length - 1] ^= 1;
  assertEquals(await reason(() => decodePacket(bad)), "bad_crc");
});

Deno.test("decodePacket() decompresses the captured agent ack", async () => {
  const [ack] = await decodePacket(COMPRESSED_ACK);
  assert(ack.type === "ack");
  assertEquals(ack.seqNo, 1);
  assertEquals(ack.payload?.length, 130);
});

Deno.test("encodePacket() rebuilds the captured CRC packets byte for byte", async () => {
  assertEquals(
    hexOf(await encodePacket(JOIN_WITH_CRC.subarray(5), { crc: true })),
    hexOf(JOIN_WITH_CRC),
  );
  const parts = [ALIVE_COMPOUND.subarray(11, 132), ALIVE_COMPOUND.subarray(132)];
  assertEquals(hexOf(await encodePacket(parts, { crc: true })), hexOf(ALIVE_COMPOUND));
  assertEquals(
    hexOf(await encodePacket([PING, SUSPECT], { crc: false })).length,
    PING_SUSPECT_COMPOUND.length * 2,
  );
});

Deno.test("encodePacket() compresses only when strictly shorter", async () => {
  assertEquals(await encodePacket(NACK, { crc: false, compress: true }), NACK);
  const big = encodeMessage({ type: "user", payload: new Uint8Array(400).fill(0x41) });
  const packed = await encodePacket(big, { crc: true, compress: true });
  assertEquals(packed[5], 9);
  assert(packed.length < big.length);
  assertEquals(await decodePacket(packed), [{ type: "user", payload: big.subarray(1) }]);
});

Deno.test("decodePacket() handles compress inside compound inside compress", async () => {
  const inner = compressMessage(NACK);
  const compound = await encodePacket([inner, LEAVE_DEAD.subarray(5)], { crc: false });
  const outer = compressMessage(compound);
  const msgs = await decodePacket(outer);
  assertEquals(msgs.map((m) => m.type), ["nack", "dead"]);
});

Deno.test("decodePacketDetailed() skips a bad compound part and keeps the others", async () => {
  const packet = await encodePacket([NACK, bytesOf("63 00"), NACK.subarray(0, 4)], { crc: false });
  const { messages, dropped } = await decodePacketDetailed(packet);
  assertEquals(messages, [{ type: "nack", seqNo: 15 }]);
  assertEquals(dropped.map((e) => e.reason), ["unknown_type", "truncated"]);
  const cut = await decodePacketDetailed(PING_SUSPECT_COMPOUND.subarray(0, 80));
  assertEquals(cut.messages.map((m) => m.type), ["ping"]);
  assertEquals(cut.dropped.map((e) => e.reason), ["truncated"]);
  const nothing = await encodePacket([bytesOf("63"), bytesOf("64")], { crc: false });
  assertEquals(await reason(() => decodePacket(nothing)), "unknown_type");
});

Deno.test("decodePacket() bounds wrapper nesting", async () => {
  let msg: Uint8Array = NACK;
  for (let i = 0; i < 12; i++) msg = await encodePacket([msg, NACK], { crc: false });
  const { dropped } = await decodePacketDetailed(msg);
  assert(dropped.some((e) => e.reason === "too_deep"));
});

Deno.test("decodePacket() decrypts the captured encrypted packet and refuses plaintext", async () => {
  const keyring = await Keyring.fromBase64([ENCRYPTION_KEY]);
  const [msg] = await decodePacket(ENCRYPTED_JOIN, { keyring });
  assertEquals(msg.type, "user");
  assertEquals(await reason(() => decodePacket(PING, { keyring })), "decrypt_failed");
  assertEquals(await reason(() => decodePacket(NACK, { keyring })), "bad_encryption_version");
  assertEquals(await decodePacket(NACK, { keyring, verifyIncoming: false }), [{
    type: "nack",
    seqNo: 15,
  }]);
});

Deno.test("encodePacket() and decodePacket() round-trip with a key and a label", async () => {
  const keyring = await Keyring.create([new Uint8Array(32).fill(5)]);
  const packet = await encodePacket([PING, NACK], { crc: true, keyring, label: "dc1" });
  assertEquals(hexOf(packet.subarray(0, 5)), "f403646331");
  assertEquals((await decodePacket(packet, { keyring, label: "dc1" })).length, 2);
  // The label is authenticated data: the same blob under another label fails.
  const relabeled = new Uint8Array([0xf4, 3, 0x64, 0x63, 0x32, ...packet.subarray(5)]);
  assertEquals(
    await reason(() => decodePacket(relabeled, { keyring, label: "dc2" })),
    "decrypt_failed",
  );
});

Deno.test("decodePacket() applies memberlist's label rules", async () => {
  const labeled = await encodePacket(NACK, { crc: false, label: "a" });
  assertEquals(await reason(() => decodePacket(labeled)), "label_mismatch");
  assertEquals(await reason(() => decodePacket(labeled, { label: "b" })), "label_mismatch");
  assertEquals(await reason(() => decodePacket(NACK, { label: "a" })), "label_mismatch");
  assertEquals((await decodePacket(NACK, { label: "a", skipInboundLabelCheck: true })).length, 1);
  assertEquals(
    await reason(() => decodePacket(labeled, { label: "a", skipInboundLabelCheck: true })),
    "label_mismatch",
  );
  assertEquals(await reason(() => decodePacket(bytesOf("f4 00 0b"))), "bad_label");
  assertEquals(await reason(() => decodePacket(bytesOf("f4 05 41"))), "bad_label");
});

Deno.test("decodePacket() turns 20,000 random and mutated packets into messages or WireErrors", async () => {
  let s = 12345;
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const pick = (n: number) => Math.floor(rnd() * n);
  const seeds = [...PLAIN_PACKETS, await encodePacket([PING, COMPRESSED_ACK, NACK], { crc: true })];
  const counts = { ok: 0, err: 0 };
  const start = performance.now();
  for (let i = 0; i < 20_000; i++) {
    let p: Uint8Array;
    if (i % 5 === 0) {
      p = Uint8Array.from({ length: pick(80) }, () => pick(256));
    } else {
      p = seeds[pick(seeds.length)].slice();
      for (let k = 1 + pick(4); k > 0; k--) {
        const op = pick(3);
        if (op === 0 && p.length) p[pick(p.length)] = pick(256);
        else if (op === 1) p = p.subarray(0, pick(p.length + 1));
        else if (p.length) p[pick(p.length)] ^= 1 << pick(8);
      }
    }
    try {
      await decodePacket(p);
      counts.ok++;
    } catch (e) {
      if (!(e instanceof WireError)) throw new Error(`non-WireError for ${hexOf(p)}`, { cause: e });
      counts.err++;
    }
  }
  assert(counts.ok > 100 && counts.err > 1000, JSON.stringify(counts));
  assert(performance.now() - start < 20_000);
});
