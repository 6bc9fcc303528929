import { assert, assertEquals, assertThrows } from "../../_helpers/assert.ts";
import {
  describeHealthCheck,
  healthProbe,
  parseHealthCheck,
} from "../../../src/register/health_check.ts";

Deno.test("parseHealthCheck() reads none, tcp and http URLs", () => {
  assertEquals(parseHealthCheck("none", "h:1"), { kind: "none" });
  assertEquals(parseHealthCheck("tcp", "10.0.0.5:8080"), {
    kind: "tcp",
    hostname: "10.0.0.5",
    port: 8080,
  });
  assertEquals(parseHealthCheck("http://127.0.0.1:8080/health", "h:1"), {
    kind: "http",
    url: "http://127.0.0.1:8080/health",
  });
});

Deno.test("parseHealthCheck() checks a wildcard-host tcp address on loopback", () => {
  assertEquals(parseHealthCheck("tcp", ":8080"), {
    kind: "tcp",
    hostname: "127.0.0.1",
    port: 8080,
  });
  assertEquals(parseHealthCheck("tcp", "0.0.0.0:81"), {
    kind: "tcp",
    hostname: "127.0.0.1",
    port: 81,
  });
});

Deno.test("parseHealthCheck() refuses anything else", () => {
  assertThrows(() => parseHealthCheck("ping", "h:1"), TypeError, 'Cannot parse check "ping"');
  assertThrows(() => parseHealthCheck("tcp", "nohost"), TypeError);
  assertThrows(() => parseHealthCheck("http://[bad", "h:1"), TypeError, "URL");
});

Deno.test("describeHealthCheck() names the target", () => {
  assertEquals(describeHealthCheck(parseHealthCheck("tcp", ":9")), "tcp 127.0.0.1:9");
  assertEquals(describeHealthCheck({ kind: "none" }), "none");
});

Deno.test("healthProbe() of tcp passes while a listener accepts and fails once it closed", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const accepting = (async () => {
    for await (const conn of listener) conn.close();
  })();
  const probe = healthProbe({ kind: "tcp", hostname: "127.0.0.1", port }, 2000);
  assertEquals(await probe(), true);
  listener.close();
  await accepting.catch(() => {});
  assertEquals(await probe(), false);
});

Deno.test("healthProbe() of http passes on 2xx and fails on 5xx or a closed port", async () => {
  let status = 200;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("ok", { status }),
  );
  const url = `http://127.0.0.1:${server.addr.port}/health`;
  const probe = healthProbe({ kind: "http", url }, 2000);
  try {
    assertEquals(await probe(), true);
    status = 503;
    assertEquals(await probe(), false);
  } finally {
    await server.shutdown();
  }
  assertEquals(await probe(), false);
});

Deno.test("healthProbe() of http fails when the answer is slower than the timeout", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async () => {
      await gate;
      return new Response("late");
    },
  );
  const started = performance.now();
  const ok = await healthProbe(
    { kind: "http", url: `http://127.0.0.1:${server.addr.port}/` },
    100,
  )();
  release();
  await server.shutdown();
  assertEquals(ok, false);
  assert(performance.now() - started < 1500, "the probe waited far past its timeout");
});

Deno.test("healthProbe() refuses a non-positive timeout", () => {
  assertThrows(() => healthProbe({ kind: "none" }, 0), RangeError);
});
