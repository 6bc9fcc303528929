import { assert, assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { RegistryError } from "../../../lib/errors.ts";
import { FailoverConnector } from "../../../src/rpc/failover_connector.ts";
import { RpcServer } from "../../../src/rpc/rpc_server.ts";

function closedPort(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const addr = `127.0.0.1:${listener.addr.port}`;
  listener.close();
  return addr;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(() => undefined, (e) => e);
  assert(err instanceof RegistryError, `expected a RegistryError, got ${err}`);
  return err.code;
}

Deno.test("FailoverConnector.connection() skips refusing addresses and reuses the open one", async () => {
  await using server = RpcServer.listen({}, { addr: "127.0.0.1:0" });
  const connector = new FailoverConnector([closedPort(), server.addr], {});
  try {
    const [a, b] = await Promise.all([connector.connection(), connector.connection()]);
    assertEquals(a, b);
    assertEquals(a.addr, server.addr);
    assertEquals(connector.current, a);
    assertEquals(server.acceptedCount, 1);
  } finally {
    await connector.close();
  }
});

Deno.test("FailoverConnector.drop() moves on to the next address", async () => {
  await using one = RpcServer.listen({}, { addr: "127.0.0.1:0" });
  await using two = RpcServer.listen({}, { addr: "127.0.0.1:0" });
  const connector = new FailoverConnector([one.addr, two.addr], {});
  try {
    const first = await connector.connection();
    connector.drop(first);
    assertEquals(connector.current, undefined);
    assertEquals((await connector.connection()).addr, two.addr);
  } finally {
    await connector.close();
  }
});

Deno.test("FailoverConnector.connection() fails with UNREACHABLE, and with CLOSED after close()", async () => {
  const connector = new FailoverConnector([closedPort()], {});
  assertEquals(await codeOf(connector.connection()), "UNREACHABLE");
  await connector.close();
  assertEquals(await codeOf(connector.connection()), "CLOSED");
  assertThrows(() => new FailoverConnector([], {}), TypeError);
});
