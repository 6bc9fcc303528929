/**
 * A small HTTP service that registers itself (the Deno version of the Go
 * original's examples/service): it answers `GET /` with its id, and leaves
 * the cluster on SIGINT/SIGTERM before it stops serving.
 *
 *   deno run -A --unstable-net examples/service/main.ts [port] [registries]
 *
 * `port` defaults to 8080; `registries` (comma-separated gossip addresses of
 * registry nodes) to 127.0.0.1:7370.
 *
 * @module
 */
import { register } from "../../lib/mod.ts";

const port = Number(Deno.args[0] ?? "8080");
const registries = (Deno.args[1] ?? "127.0.0.1:7370").split(",");

// Listen first, so the first health check already finds the service up.
let id = "";
const server = Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, (request) => {
  const path = new URL(request.url).pathname;
  if (path === "/health") return new Response("ok\n");
  if (path === "/") return new Response(`${id}\n`);
  return new Response("not found\n", { status: 404 });
});

const registration = await register({
  group: "webservice-group",
  addr: `127.0.0.1:${port}`,
  registries,
  check: `http://127.0.0.1:${port}/health`,
});
id = registration.id;
console.log(`service ${id} on http://127.0.0.1:${port}, registering via ${registries.join(",")}`);

async function stop(): Promise<void> {
  // Leave first: registries drop this service at once, so clients stop picking it.
  await registration.close();
  await server.shutdown();
  console.log(`service ${id} stopped`);
}

const stopping = new Promise<void>((resolve) => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => resolve());
  }
});
await stopping;
await stop();
