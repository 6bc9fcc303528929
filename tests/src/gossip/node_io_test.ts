import { NodeIo } from "../../../src/gossip/node_io.ts";
import type { PacketMessage } from "../../../src/gossip/messages.ts";
import { noopLogger } from "../../../src/logger.ts";
import { assert, assertEquals } from "../../_helpers/assert.ts";
import { drain } from "../../_helpers/cluster.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";
import { MemoryNetwork } from "../../_helpers/memory_network.ts";
import { seededRandom } from "../../_helpers/seeded_random.ts";
import { captureLogger, type LogLine } from "../../_helpers/capture_logger.ts";
import { Keyring } from "../../../src/gossip/keyring.ts";

function setup() {
  const clock = new ManualClock();
  const net = new MemoryNetwork(clock, seededRandom(1));
  const a = net.transport("10.0.0.1:7946");
  const b = net.transport("10.0.0.2:7946");
  const ioA = new NodeIo({ transport: a, clock, logger: noopLogger, compress: false, label: "" });
  const ioB = new NodeIo({ transport: b, clock, logger: noopLogger, compress: true, label: "" });
  const got: { from: string; msg: PacketMessage }[] = [];
  ioB.start({
    onMessage: (from, msg) => got.push({ from, msg }),
    onStream: () => Promise.resolve(),
  });
  return { clock, net, a, b, ioA, ioB, got };
}

Deno.test("NodeIo.send() delivers a compound and counts packets and bytes on both sides", async () => {
  const s = setup();
  const nack = new Uint8Array([0x0b, 0x81, 0xa5, 83, 101, 113, 78, 111, 0x05]);
  await s.ioA.send(s.b.localAddr, [nack, nack], true);
  s.clock.advance(1);
  await drain();
  assertEquals(s.got.map((g) => g.msg.type), ["nack", "nack"]);
  assertEquals(s.got[0].from, s.a.localAddr);
  assertEquals(s.ioA.stats.packetsSent, 1);
  assertEquals(s.ioA.stats.bytesSent, 5 + 2 + 4 + 18);
  assertEquals(s.ioB.stats.messagesReceived, 2);
  await s.ioA.close();
  await s.ioB.close();
});

Deno.test("NodeIo counts bad packets and skipped compound parts by reason", async () => {
  const s = setup();
  await s.a.sendPacket(
    s.b.localAddr,
    new Uint8Array([0x07, 0x02, 0x00, 0x01, 0x00, 0x01, 0x63, 0x0b]),
  );
  await s.a.sendPacket(s.b.localAddr, new Uint8Array([]));
  s.clock.advance(1);
  await drain();
  assertEquals(s.ioB.stats.dropped.unknown_type, 1);
  assertEquals(s.ioB.stats.dropped.truncated, 2, "the cut-off nack part and the empty packet");
  await s.ioA.close();
  await s.ioB.close();
});

Deno.test("NodeIo.send() counts a failed send instead of throwing", async () => {
  const s = setup();
  await s.a.close();
  await s.ioA.send(s.b.localAddr, [new Uint8Array([0x0b, 0x80])], false);
  assertEquals(s.ioA.stats.dropped.send_failed, 1);
  await s.ioA.close();
  await s.ioB.close();
});

Deno.test("NodeIo.close() waits for tracked work", async () => {
  const s = setup();
  let finished = false;
  s.ioA.track(new Promise<void>((r) => s.clock.setTimer(0, r)).then(() => finished = true));
  const closing = s.ioA.close();
  s.clock.advance(0);
  await closing;
  assert(finished);
  await s.ioB.close();
});

Deno.test("NodeIo warns once per reason when a peer's packets carry another encryption key", async () => {
  const clock = new ManualClock();
  const net = new MemoryNetwork(clock, seededRandom(2));
  const a = net.transport("10.0.0.1:7946");
  const b = net.transport("10.0.0.2:7946");
  const lines: LogLine[] = [];
  const keyA = await Keyring.fromBase64(["+6lwBNNGwHJJ8G4ZTT1iawrqmecBf/P2vt2IuAWMQhY="]);
  const keyB = await Keyring.fromBase64(["T9jncgl9mbLus+baTTa7q7nPSUrXwbDi2dhbtqir37s="]);
  const ioA = new NodeIo({
    transport: a,
    clock,
    logger: noopLogger,
    compress: false,
    label: "",
    keyring: keyA,
  });
  const ioB = new NodeIo({
    transport: b,
    clock,
    logger: captureLogger(lines),
    compress: false,
    label: "",
    keyring: keyB,
  });
  ioB.start({ onMessage: () => {}, onStream: () => Promise.resolve() });
  const nack = new Uint8Array([0x0b, 0x81, 0xa5, 83, 101, 113, 78, 111, 0x05]);
  for (let i = 0; i < 3; i++) await ioA.send(b.localAddr, [nack], false);
  clock.advance(1);
  // Decrypting is WebCrypto work, not microtasks: poll, bounded.
  for (let i = 0; i < 200 && ioB.stats.dropped.decrypt_failed !== 3; i++) {
    await new Promise((r) => setTimeout(r, 5));
  }
  assertEquals(ioB.stats.dropped.decrypt_failed, 3);
  const warnings = lines.filter((l) => l.level === "warn");
  assertEquals(warnings.length, 1);
  assert(warnings[0].message.includes("another encryption key"), warnings[0].message);
  assertEquals(warnings[0].fields.reason, "decrypt_failed");
  assertEquals(warnings[0].fields.addr, a.localAddr);
  await ioA.close();
  await ioB.close();
});
