/**
 * The baseline for `rpc_load.ts`: the least a Deno server can do per request
 * over this protocol. It decodes each frame, `JSON.parse`s it, and answers
 * with `JSON.stringify` of a fixed service under the request's id: no ring, no
 * validation. TCP_NODELAY is set and the answers to one read go out in one
 * write, as any sensible loop would.
 *
 * Run alone: `deno run -A bench/rpc_bare_loop.ts` prints its address.
 *
 * @module
 */

const FIXED = {
  id: "web-1",
  group: "web",
  addr: "10.0.0.1:8080",
  tags: { group: "web", addr: "10.0.0.1:8080" },
};

/**
 * Starts the bare loop on 127.0.0.1.
 *
 * @param port The port, 0 for any.
 * @returns The listener (close it to stop).
 */
export function startBareLoop(port = 0): Deno.TcpListener {
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  (async () => {
    for await (const conn of listener) {
      conn.setNoDelay(true);
      serve(conn).catch(() => conn.close());
    }
  })().catch(() => {});
  return listener;
}

async function serve(conn: Deno.TcpConn): Promise<void> {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const buf = new Uint8Array(65536);
  let pending = new Uint8Array(0);
  for (;;) {
    const n = await conn.read(buf);
    if (n === null) break;
    let data = buf.subarray(0, n);
    if (pending.length > 0) {
      const joined = new Uint8Array(pending.length + n);
      joined.set(pending);
      joined.set(data, pending.length);
      data = joined;
    }
    const replies: string[] = [];
    let at = 0;
    while (data.length - at >= 4) {
      const len = (data[at] << 24 >>> 0) + (data[at + 1] << 16) + (data[at + 2] << 8) +
        data[at + 3];
      if (data.length - at - 4 < len) break;
      const request = JSON.parse(decoder.decode(data.subarray(at + 4, at + 4 + len)));
      replies.push(JSON.stringify({ id: request.id, result: FIXED }));
      at += 4 + len;
    }
    pending = data.slice(at);
    if (replies.length === 0) continue;
    const bodies = replies.map((r) => encoder.encode(r));
    const out = new Uint8Array(bodies.reduce((s, b) => s + 4 + b.length, 0));
    let o = 0;
    for (const b of bodies) {
      new DataView(out.buffer).setUint32(o, b.length);
      out.set(b, o + 4);
      o += 4 + b.length;
    }
    for (let w = 0; w < out.length;) w += await conn.write(out.subarray(w));
  }
  conn.close();
}

if (import.meta.main) {
  const listener = startBareLoop();
  console.log(`127.0.0.1:${listener.addr.port}`);
}
