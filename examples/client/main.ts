/**
 * Asks a registry which service owns a few user ids, then lists the group
 * (the Deno version of the Go original's examples/client).
 *
 *   deno run --allow-net examples/client/main.ts [registry-rpc-addrs]
 *
 * `registry-rpc-addrs` (comma-separated RPC addresses of registry nodes)
 * defaults to 127.0.0.1:9800. A registry failure (none reachable, none ready,
 * no service in the group) prints one line with its stable code and exits 1.
 *
 * @module
 */
import { RegistryClient, RegistryError } from "../../lib/mod.ts";

const group = "webservice-group";

async function main(addrs: string): Promise<void> {
  await using client = new RegistryClient(addrs);
  for (let n = 1; n <= 5; n++) {
    const key = `user-id-${n}`;
    const service = await client.match(group, key);
    console.log(`match ${key} -> ${service.id} ${service.addr}`);
  }
  const services = await client.members(group);
  console.log(`${services.length} service(s) in ${group}:`);
  for (const service of services) console.log(`  ${service.id} ${service.addr}`);
}

try {
  await main(Deno.args[0] ?? "127.0.0.1:9800");
} catch (e) {
  if (!(e instanceof RegistryError)) throw e;
  console.error(`error: ${e.message} (${e.code})`);
  Deno.exit(1);
}
