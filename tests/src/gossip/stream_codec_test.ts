import { assert, assertEquals, assertRejects } from "../../_helpers/assert.ts";
import { Keyring } from "../../../src/gossip/keyring.ts";
import { lzwCompress } from "../../../src/gossip/lzw.ts";
import type { StreamMessage } from "../../../src/gossip/messages.ts";
import { compressMessage } from "../../../src/gossip/packet_codec.ts";
import {
  encodePlainStreamMessage,
  encodeStreamMessage,
  readStreamMessage,
  type ReadStreamOptions,
  StreamReader,
} from "../../../src/gossip/stream_codec.ts";
import { WireError } from "../../../src/gossip/wire_error.ts";
import { bytesOf, hexOf, PING, PUSH_PULL_JOIN, SERF_PUSH_PULL } from "./_wire_vectors.ts";

/**
 * A stream that delivers `bytes` in chunks of `size`, then fails the test if
 * it is read again: the Go dialer never closes, so reading past the message
 * would hang in real life.
 */
function stream(bytes: Uint8Array, size: number): { read(): Promise<Uint8Array | null> } {
  let pos = 0;
  return {
    read(): Promise<Uint8Array | null> {
      if (pos >= bytes.length) return Promise.reject(new Error("read past the message"));
      const chunk = bytes.slice(pos, pos + size);
      pos += size;
      return Promise.resolve(chunk);
    },
  };
}

/** A stream that ends (EOF) after `bytes`. */
function ending(bytes: Uint8Array): StreamReader {
  return StreamReader.fromBytes(bytes);
}

async function readAllWays(bytes: Uint8Array, opts: ReadStreamOptions): Promise<StreamMessage> {
  const whole = await readStreamMessage(stream(bytes, bytes.length), opts);
  assertEquals(await readStreamMessage(stream(bytes, 1), opts), whole);
  assertEquals(await readStreamMessage(stream(bytes, 7), opts), whole);
  return whole;
}

async function reason(fn: () => Promise<unknown>): Promise<string> {
  return ((await assertRejects(fn, WireError)) as WireError).reason;
}

const LISTENER = { isDialer: false } as const;

Deno.test("readStreamMessage() reads the captured join push-pull in any chunking", async () => {
  const msg = await readAllWays(PUSH_PULL_JOIN, LISTENER);
  assert(msg.type === "pushPull");
  assertEquals(msg.join, true);
  assertEquals(msg.nodes, [{
    addr: new Uint8Array([127, 0, 0, 1]),
    incarnation: 1,
    meta: bytesOf("ff81a4726f6c65a3776562"),
    name: "beta",
    port: 7947,
    state: 0,
    vsn: [1, 5, 2, 2, 5, 5],
  }]);
  assertEquals(msg.userState, SERF_PUSH_PULL);
  assertEquals(hexOf(encodePlainStreamMessage(msg)), hexOf(PUSH_PULL_JOIN));
});

Deno.test("encodeStreamMessage() compresses the join push-pull to Go's 211 LZW bytes", async () => {
  const msg = await readStreamMessage(ending(PUSH_PULL_JOIN), LISTENER);
  const wire = await encodeStreamMessage(msg, { compress: true, writeLabel: false });
  assertEquals(lzwCompress(PUSH_PULL_JOIN).length, 211);
  assertEquals(hexOf(wire.subarray(0, 15)), hexOf(bytesOf(`09 82 a4 "Algo" 00 a3 "Buf" da 00d3`)));
  assertEquals(wire.length, 15 + 211);
  assertEquals(await readAllWays(wire, LISTENER), msg);
});

Deno.test("readStreamMessage() reads ping, ack, user and err messages", async () => {
  const cases: StreamMessage[] = [
    { type: "ack", seqNo: 3 },
    { type: "ack", seqNo: 4, payload: new Uint8Array([1]) },
    { type: "user", payload: new Uint8Array([9, 8, 7]) },
    { type: "user", payload: new Uint8Array(0) },
    { type: "err", error: "boom" },
    { type: "pushPull", join: false, nodes: [], userState: new Uint8Array(0) },
  ];
  for (const msg of cases) {
    for (const compress of [false, true]) {
      const bytes = await encodeStreamMessage(msg, { compress, writeLabel: false });
      assertEquals(await readAllWays(bytes, { isDialer: true }), msg);
    }
  }
  assertEquals((await readAllWays(PING, LISTENER)).type, "ping");
});

Deno.test("encodeStreamMessage() and readStreamMessage() round-trip encrypted with a label", async () => {
  const keyring = await Keyring.create([new Uint8Array(32).fill(1)]);
  const msg = await readStreamMessage(ending(PUSH_PULL_JOIN), LISTENER);
  const opts = { compress: true, keyring, label: "lab", writeLabel: true };
  const wire = await encodeStreamMessage(msg, opts);
  assertEquals(hexOf(wire.subarray(0, 6)), "f4036c61620a");
  const length = new DataView(wire.buffer).getUint32(6);
  assertEquals(length, wire.length - 10);
  assertEquals(await readAllWays(wire, { keyring, label: "lab", isDialer: false }), msg);
  // A reply: no label header, but the label is still in the AAD.
  const reply = await encodeStreamMessage(msg, { ...opts, writeLabel: false });
  assertEquals(reply[0], 0x0a);
  assertEquals(await readAllWays(reply, { keyring, label: "lab", isDialer: true }), msg);
  const wrongAad = { keyring, label: "other", isDialer: true };
  assertEquals(await reason(() => readStreamMessage(ending(reply), wrongAad)), "decrypt_failed");
});

Deno.test("readStreamMessage() enforces encryption settings both ways", async () => {
  const keyring = await Keyring.create([new Uint8Array(16)]);
  const plain = encodePlainStreamMessage({ type: "err", error: "x" });
  assertEquals(
    await reason(() => readStreamMessage(ending(plain), { keyring, isDialer: true })),
    "not_encrypted",
  );
  const relaxed = { keyring, verifyIncoming: false, isDialer: true };
  assertEquals((await readStreamMessage(ending(plain), relaxed)).type, "err");
  const sealed = await encodeStreamMessage({ type: "err", error: "x" }, {
    compress: false,
    keyring,
    writeLabel: false,
  });
  assertEquals(
    await reason(() => readStreamMessage(ending(sealed), { isDialer: true })),
    "unexpected_encryption",
  );
});

Deno.test("readStreamMessage() applies label rules on the listener side", async () => {
  const labeled = await encodeStreamMessage({ type: "ack", seqNo: 1 }, {
    compress: false,
    label: "a",
    writeLabel: true,
  });
  assertEquals(await reason(() => readStreamMessage(ending(labeled), LISTENER)), "label_mismatch");
  assertEquals(
    (await readStreamMessage(ending(labeled), { label: "a", isDialer: false })).type,
    "ack",
  );
  assertEquals(
    await reason(() => readStreamMessage(ending(bytesOf("f4 00 02")), LISTENER)),
    "bad_label",
  );
});

Deno.test("readStreamMessage() refuses oversized declared lengths before waiting for them", async () => {
  const keyring = await Keyring.create([new Uint8Array(16)]);
  const huge = bytesOf("0a 01400001");
  assertEquals(
    await reason(() => readStreamMessage(stream(huge, 5), { keyring, isDialer: true })),
    "too_large",
  );
  const nodes = bytesOf(`06 83 a4 "Join" c2 a5 "Nodes" ce 7fffffff ac "UserStateLen" 00`);
  assertEquals(await reason(() => readStreamMessage(stream(nodes, 3), LISTENER)), "too_large");
  const state = bytesOf(`06 83 a4 "Join" c2 a5 "Nodes" 00 ac "UserStateLen" ce 7fffffff`);
  assertEquals(await reason(() => readStreamMessage(stream(state, 3), LISTENER)), "too_large");
  const user = bytesOf(`08 81 aa "UserMsgLen" ce 7fffffff`);
  assertEquals(await reason(() => readStreamMessage(stream(user, 3), LISTENER)), "too_large");
  const negative = bytesOf(`08 81 aa "UserMsgLen" ff`);
  assertEquals(await reason(() => readStreamMessage(stream(negative, 3), LISTENER)), "bad_message");
});

Deno.test("readStreamMessage() reports a stream cut at any point as truncated", async () => {
  const wire = compressMessage(PUSH_PULL_JOIN);
  for (const bytes of [PUSH_PULL_JOIN, wire]) {
    for (let cut = 0; cut < bytes.length; cut += cut < 40 ? 1 : 37) {
      const r = await reason(() => readStreamMessage(ending(bytes.subarray(0, cut)), LISTENER));
      assert(r === "truncated" || r === "bad_compression", `cut ${cut}: ${r}`);
    }
  }
});

Deno.test("readStreamMessage() refuses packet-only types and garbage", async () => {
  assertEquals(
    await reason(() => readStreamMessage(ending(bytesOf("07 00")), LISTENER)),
    "unknown_type",
  );
  assertEquals(
    await reason(() => readStreamMessage(ending(bytesOf("0b 80")), LISTENER)),
    "unknown_type",
  );
  assertEquals(
    await reason(() => readStreamMessage(ending(bytesOf("02 c1")), LISTENER)),
    "bad_msgpack",
  );
  const badState = bytesOf(
    `06 83 a4 "Join" c2 a5 "Nodes" 01 ac "UserStateLen" 00 81 a5 "State" 07`,
  );
  assertEquals(await reason(() => readStreamMessage(ending(badState), LISTENER)), "bad_message");
});

Deno.test("readStreamMessage() turns 3,000 mutated streams into messages or WireErrors", async () => {
  let s = 2024;
  const pick = (n: number) => Math.floor((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32 * n);
  const seeds = [PUSH_PULL_JOIN, compressMessage(PUSH_PULL_JOIN), PING];
  let ok = 0;
  for (let i = 0; i < 3000; i++) {
    let p = seeds[i % seeds.length].slice();
    for (let k = 1 + pick(3); k > 0; k--) {
      if (pick(2) === 0) p[pick(p.length)] = pick(256);
      else p = p.subarray(0, pick(p.length + 1));
    }
    try {
      await readStreamMessage(ending(p), LISTENER);
      ok++;
    } catch (e) {
      if (!(e instanceof WireError)) throw new Error(`non-WireError for ${hexOf(p)}`, { cause: e });
    }
  }
  assert(ok > 0 && ok < 3000, `ok ${ok}`);
});
