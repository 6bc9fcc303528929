import { assert, assertEquals } from "../../_helpers/assert.ts";
import { RegistryError } from "../../../lib/errors.ts";
import type { RpcConnection } from "../../../src/rpc/connection.ts";
import { noopLogger } from "../../../src/logger.ts";
import { type RpcHandlers, ServerSession } from "../../../src/rpc/server_session.ts";

function session(
  handlers: RpcHandlers,
  maxStreams = 2,
): { s: ServerSession; sent: unknown[]; ended: () => boolean } {
  const sent: unknown[] = [];
  let ended = false;
  const fake = {
    send: (text: string) => sent.push(JSON.parse(text)),
    end: () => (ended = true),
  } as unknown as RpcConnection;
  const s = new ServerSession(handlers, { maxStreams, logger: noopLogger });
  s.attach(fake);
  return { s, sent, ended: () => ended };
}

Deno.test("ServerSession.onFrame() answers with the handler's result on the request id", () => {
  const { s, sent } = session({ echo: (p) => p });
  s.onFrame('{"id":"a","method":"echo","params":{"x":1}}');
  assertEquals(sent, [{ id: "a", result: { x: 1 } }]);
});

Deno.test("ServerSession.onFrame() ends the connection after a malformed frame", () => {
  const { s, sent, ended } = session({});
  s.onFrame("][");
  assertEquals((sent[0] as { id: null }).id, null);
  assert(ended());
});

Deno.test("ServerSession does not dispatch inherited property names as methods", () => {
  const { s, sent } = session({});
  s.onFrame('{"id":1,"method":"toString"}');
  s.onFrame('{"id":2,"method":"__proto__"}');
  assertEquals(sent.map((r) => (r as { error: { code: string } }).error.code), [
    "METHOD_NOT_FOUND",
    "METHOD_NOT_FOUND",
  ]);
});

Deno.test("ServerSession streams: duplicate ids and too many streams are refused, cancel runs once", () => {
  let cancelled = 0;
  const { s, sent } = session({
    sub: (_p, ctx) => {
      ctx.stream(() => cancelled++);
      ctx.push("first");
    },
    stop: (p, ctx) => ctx.cancelStream(p.id as number),
  });
  s.onFrame('{"id":1,"method":"sub"}');
  s.onFrame('{"id":1,"method":"sub"}');
  s.onFrame('{"id":2,"method":"sub"}');
  s.onFrame('{"id":3,"method":"sub"}');
  assertEquals(s.streamCount, 2);
  const codes = sent.map((r) => (r as { error?: { code: string } }).error?.code);
  assertEquals(codes, [undefined, "INVALID_ARGUMENT", undefined, "INVALID_ARGUMENT"]);
  s.onFrame('{"id":9,"method":"stop","params":{"id":1}}');
  assertEquals(cancelled, 1);
  s.closeAll();
  assertEquals([cancelled, s.streamCount], [2, 0]);
});

Deno.test("ServerSession answers a rejected promise with its RegistryError", async () => {
  const { s, sent } = session({
    later: () => Promise.reject(new RegistryError("NO_SERVICE", "none")),
  });
  s.onFrame('{"id":5,"method":"later"}');
  await Promise.resolve();
  await Promise.resolve();
  assertEquals(sent, [{ id: 5, error: { code: "NO_SERVICE", message: "none" } }]);
});
