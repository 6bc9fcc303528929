import { assertEquals } from "../../_helpers/assert.ts";
import { StreamReader } from "../../../src/gossip/stream_reader.ts";
import { bytesOf, hexOf } from "./_wire_vectors.ts";

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

Deno.test("StreamReader.readMsgpack() leaves the following bytes for the next read", async () => {
  const r = new StreamReader(stream(bytesOf(`82 a1 "a" 01 a1 "b" 92 01 02 ff 05`), 2).read);
  assertEquals(hexOf(await r.readMsgpack(100)), hexOf(bytesOf(`82 a1 "a" 01 a1 "b" 92 01 02`)));
  assertEquals(await r.readByte(), 0xff);
  assertEquals(await r.readExact(1), new Uint8Array([5]));
});
