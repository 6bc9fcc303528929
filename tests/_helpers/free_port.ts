/**
 * Free 127.0.0.1 ports for real-process tests and benchmarks, shared by both
 * so there is one way to pick them.
 *
 * Ports come from below the kernel's ephemeral range: a port the kernel
 * handed out for `port: 0` can be handed out again (to an outgoing
 * connection's source port, or to another test's `--bind 127.0.0.1:0`)
 * between the pick and the child process binding it, which made parallel
 * tests fail now and then with "Address already in use".
 *
 * @module
 */

/** First port of the ephemeral range, read from Linux when possible. */
function ephemeralStart(): number {
  try {
    const range = Deno.readTextFileSync("/proc/sys/net/ipv4/ip_local_port_range");
    const start = Number(range.trim().split(/\s+/)[0]);
    return Number.isInteger(start) && start > 20_000 ? start : 32_768;
  } catch {
    return 32_768;
  }
}

const LOWEST = 20_000;
const HIGHEST = ephemeralStart() - 1;
/** Ports this process handed out already: never handed out twice. */
const handedOut = new Set<number>();

/**
 * Finds a port free for both TCP and UDP on 127.0.0.1 (gossip needs both),
 * below the ephemeral range and not returned before by this process.
 *
 * @returns A port number.
 * @throws {Error} After 200 attempts without a free port.
 */
export function freePort(): number {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST + 1));
    if (handedOut.has(port) || !bindable(port)) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`Cannot find a free TCP+UDP port in ${LOWEST}-${HIGHEST} after 200 attempts`);
}

function bindable(port: number): boolean {
  let tcp: Deno.TcpListener | undefined;
  try {
    tcp = Deno.listen({ hostname: "127.0.0.1", port });
    Deno.listenDatagram({ hostname: "127.0.0.1", port, transport: "udp" }).close();
    return true;
  } catch {
    return false;
  } finally {
    tcp?.close();
  }
}

/**
 * An address nothing listens on: a port from {@link freePort}, which no
 * other test of this process gets and the kernel never hands out on its own.
 *
 * @returns `127.0.0.1:<port>`.
 */
export function closedAddr(): string {
  return `127.0.0.1:${freePort()}`;
}
