import { assert, assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { RegistryError } from "../../../lib/errors.ts";
import { FailoverConnector } from "../../../src/rpc/failover_connector.ts";
import { RpcServer } from "../../../src/rpc/rpc_server.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";
import { closedAddr } from "../../_helpers/free_port.ts";

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(() => undefined, (e) => e);
  assert(err instanceof RegistryError, `expected a RegistryError, got ${err}`);
  return err.code;
}

Deno.test("FailoverConnector.connection() skips refusing addresses and reuses the open one", async () => {
  await using server = RpcServer.listen({}, { addr: "127.0.0.1:0" });
  const connector = new FailoverConnector([closedAddr(), server.addr], {});
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
  const connector = new FailoverConnector([closedAddr()], {});
  assertEquals(await codeOf(connector.connection()), "UNREACHABLE");
  await connector.close();
  assertEquals(await codeOf(connector.connection()), "CLOSED");
  assertThrows(() => new FailoverConnector([], {}), TypeError);
});

/** A dial that never answers until its signal aborts, as a connect to a silent host does. */
function hangingDial(dialed: string[]): (options: Deno.ConnectOptions) => Promise<Deno.TcpConn> {
  return (options) => {
    dialed.push(`${options.hostname}:${options.port}`);
    return new Promise((_, reject) => {
      options.signal?.addEventListener("abort", () => reject(new Error("aborted")));
    });
  };
}

Deno.test("FailoverConnector.connection(withinMs) gives up after withinMs on a hanging connect, naming the address", async () => {
  const clock = new ManualClock();
  const dialed: string[] = [];
  const options = { clock, connectTimeoutMs: 2000, dial: hangingDial(dialed) };
  const connector = new FailoverConnector(["127.0.0.1:7001", "127.0.0.1:7002"], options);
  const call = connector.connection(300).then(() => undefined, (e) => e);
  await Promise.resolve();
  clock.advance(299);
  await Promise.resolve();
  clock.advance(1);
  const err = await call;
  assert(err instanceof RegistryError, `expected a RegistryError, got ${err}`);
  assertEquals(err.code, "UNREACHABLE");
  assertEquals(err.message, 'Cannot reach a registry within 300 ms: tried "127.0.0.1:7001"');
  assertEquals(dialed, ["127.0.0.1:7001"]);
  // The connect itself goes on: its own timeout moves it to the next address.
  clock.advance(1700);
  await waitForLength(dialed, 2);
  assertEquals(dialed, ["127.0.0.1:7001", "127.0.0.1:7002"]);
  const closing = connector.close();
  clock.advance(2000);
  await closing;
});

Deno.test("FailoverConnector.connection() without withinMs waits for every address's connect timeout", async () => {
  const clock = new ManualClock();
  const dialed: string[] = [];
  const connector = new FailoverConnector(["127.0.0.1:7001"], {
    clock,
    connectTimeoutMs: 2000,
    dial: hangingDial(dialed),
  });
  let settled = false;
  const call = connector.connection().finally(() => (settled = true));
  await Promise.resolve();
  clock.advance(1999);
  await Promise.resolve();
  assertEquals(settled, false);
  clock.advance(1);
  assertEquals(await codeOf(call), "UNREACHABLE");
  await connector.close();
});

async function waitForLength(list: unknown[], n: number): Promise<void> {
  for (let i = 0; i < 100 && list.length < n; i++) await Promise.resolve();
}

Deno.test("FailoverConnector.close() abandons a hanging connect at once; its callers get CLOSED", async () => {
  const clock = new ManualClock();
  const connector = new FailoverConnector(["127.0.0.1:7001", "127.0.0.1:7002"], {
    clock,
    connectTimeoutMs: 2000,
    dial: hangingDial([]),
  });
  const call = connector.connection();
  await Promise.resolve();
  await connector.close();
  assertEquals(await codeOf(call), "CLOSED");
  assertEquals(clock.now(), 0);
});
