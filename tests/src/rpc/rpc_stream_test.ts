import { assertEquals, assertRejects } from "../../_helpers/assert.ts";
import { RegistryError } from "../../../lib/errors.ts";
import { RpcStream } from "../../../src/rpc/rpc_stream.ts";

Deno.test("RpcStream.next() yields pushed items in order, then done after end()", async () => {
  const stream = new RpcStream(1, () => Promise.resolve());
  stream.push("a");
  const later = stream.next();
  stream.push("b");
  stream.end();
  stream.push("ignored");
  assertEquals(await later, { done: false, value: "a" });
  assertEquals(await stream.next(), { done: false, value: "b" });
  assertEquals(await stream.next(), { done: true, value: undefined });
});

Deno.test("RpcStream.next() throws the failure after the queued items", async () => {
  const stream = new RpcStream(1, () => Promise.resolve());
  stream.push(1);
  stream.fail(new RegistryError("CONNECTION_CLOSED", "gone"));
  assertEquals(await stream.next(), { done: false, value: 1 });
  await assertRejects(() => stream.next(), RegistryError, "gone");
});

Deno.test("RpcStream.return() cancels at the source once", async () => {
  let cancels = 0;
  const stream = new RpcStream(1, () => {
    cancels++;
    return Promise.resolve();
  });
  stream.push(1);
  for await (const _ of stream) break;
  assertEquals(cancels, 1);
  assertEquals(await stream.next(), { done: true, value: undefined });
});
