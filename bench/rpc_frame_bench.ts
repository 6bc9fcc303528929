/**
 * Micro benchmarks of the RPC's pure layers, part of `deno task bench`:
 * decoding 64 match requests from one chunk with `FrameDecoder` +
 * `parseRequest`, against a bare loop that reads the 4-byte length and calls
 * `JSON.parse` with no validation. The load benchmark (`bench/rpc_load.ts`)
 * measures the whole server over TCP.
 */
import { encodeTextFrame, FrameDecoder } from "../src/rpc/frame.ts";
import { encodeRequest, parseRequest } from "../src/rpc/envelope.ts";

const FRAMES = 64;
const chunk = concat(
  Array.from(
    { length: FRAMES },
    (_, i) => encodeTextFrame(encodeRequest(i, "match", { group: "web", key: `user-id-${i}` })),
  ),
);
const decoder = new FrameDecoder();
const text = new TextDecoder();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

Deno.bench(
  "bare loop: length prefix + JSON.parse, 64 frames",
  { group: "frames", baseline: true },
  () => {
    const view = new DataView(chunk.buffer);
    let offset = 0;
    let n = 0;
    while (offset < chunk.length) {
      const length = view.getUint32(offset);
      const value = JSON.parse(text.decode(chunk.subarray(offset + 4, offset + 4 + length)));
      n += value.id;
      offset += 4 + length;
    }
    if (n < 0) throw new Error("unreachable");
  },
);

Deno.bench("FrameDecoder + parseRequest (validated), 64 frames", { group: "frames" }, () => {
  let n = 0;
  decoder.push(chunk, (payload) => {
    const parsed = parseRequest(text.decode(payload));
    if (parsed.ok) n++;
  });
  if (n !== FRAMES) throw new Error(`decoded ${n} of ${FRAMES} frames`);
});
