import { assert, assertEquals } from "../../_helpers/assert.ts";
import type { RegistryError } from "../../../lib/errors.ts";
import { RpcConnection } from "../../../src/rpc/connection.ts";
import { waitFor } from "../../_helpers/rpc_fixture.ts";

interface Side {
  conn: RpcConnection;
  frames: string[];
  closedWith: (RegistryError | undefined)[];
}

async function pair(
  options: { maxQueuedBytes?: number; maxFrameBytes?: number } = {},
): Promise<[Side, Side]> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const [a, b] = await Promise.all([
    Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }),
    listener.accept(),
  ]);
  listener.close();
  const wrap = (tcp: Deno.Conn): Side => {
    const side: Side = { conn: undefined as unknown as RpcConnection, frames: [], closedWith: [] };
    side.conn = new RpcConnection(tcp, {
      onFrame: (t) => side.frames.push(t),
      onClose: (r) => side.closedWith.push(r),
      ...options,
    });
    side.conn.start();
    return side;
  };
  return [wrap(a), wrap(b)];
}

async function closeAll(...sides: Side[]): Promise<void> {
  for (const s of sides) s.conn.close();
  await Promise.all(sides.map((s) => s.conn.done));
}

Deno.test("RpcConnection.send() delivers frames queued in one tick, in order", async () => {
  const [a, b] = await pair();
  try {
    for (let i = 0; i < 1000; i++) a.conn.send(`{"n":${i}}`);
    assert(await waitFor(() => b.frames.length === 1000));
    assertEquals(b.frames[999], '{"n":999}');
    assert(b.frames.every((f, i) => f === `{"n":${i}}`));
  } finally {
    await closeAll(a, b);
  }
});

Deno.test("RpcConnection.end() sends what is queued, then closes", async () => {
  const [a, b] = await pair();
  try {
    a.conn.send('"last words"');
    a.conn.end();
    assert(await waitFor(() => b.closedWith.length === 1), "peer never saw the close");
    assertEquals(b.frames, ['"last words"']);
    assertEquals(a.closedWith, [undefined]);
  } finally {
    await closeAll(a, b);
  }
});

Deno.test("RpcConnection closes with FRAME_TOO_LARGE when the peer announces a huge frame", async () => {
  const [a, b] = await pair({ maxFrameBytes: 64 });
  try {
    a.conn.send("x".repeat(65));
    assert(await waitFor(() => b.closedWith.length === 1));
    assertEquals(b.closedWith[0]?.code, "FRAME_TOO_LARGE");
    assertEquals(b.frames, []);
  } finally {
    await closeAll(a, b);
  }
});

Deno.test("RpcConnection.send() closes the connection past maxQueuedBytes", async () => {
  const [a, b] = await pair({ maxQueuedBytes: 1000 });
  try {
    a.conn.send("y".repeat(2000));
    assertEquals(a.closedWith[0]?.code, "CONNECTION_CLOSED");
    assert(a.conn.closing);
  } finally {
    await closeAll(a, b);
  }
});

Deno.test("RpcConnection.lastReadMs advances when bytes arrive", async () => {
  const [a, b] = await pair();
  try {
    const before = b.conn.lastReadMs;
    await waitFor(() => performance.now() > before + 5);
    a.conn.send("1");
    assert(await waitFor(() => b.frames.length === 1));
    assert(b.conn.lastReadMs > before);
  } finally {
    await closeAll(a, b);
  }
});

/** A `Deno.Conn` stand-in that logs each read and write and serves `chunks` to reads. */
function loggingConn(chunks: Uint8Array[], log: string[]): Deno.Conn {
  const fake = {
    read(buf: Uint8Array): Promise<number | null> {
      log.push("read");
      const chunk = chunks.shift();
      if (chunk === undefined) return Promise.resolve(null);
      buf.set(chunk);
      return Promise.resolve(chunk.length);
    },
    write(bytes: Uint8Array): Promise<number> {
      log.push("write");
      return Promise.resolve(bytes.length);
    },
    close(): void {
      log.push("close");
    },
  };
  return fake as unknown as Deno.Conn;
}

function frame(text: string): Uint8Array {
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

Deno.test("RpcConnection answers the frames of one read before it reads again", async () => {
  const log: string[] = [];
  const conn: RpcConnection = new RpcConnection(loggingConn([frame("1"), frame("2")], log), {
    onFrame: (text) => conn.send(text),
  });
  conn.start();
  await conn.done;
  assertEquals(log, ["read", "write", "read", "write", "read", "close"]);
});
