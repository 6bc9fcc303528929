/**
 * Test fixtures for the RPC: gossip members, an in-process registry node
 * (state + RPC server on 127.0.0.1:0) and a raw framed socket peer.
 *
 * @module
 */
import type { GossipMember } from "../../src/gossip/member.ts";
import type { MemberStatus } from "../../lib/types.ts";
import { RegistryState, type StateRing } from "../../src/server/registry_state.ts";
import { createHandlers } from "../../src/server/handlers.ts";
import { RpcServer, type RpcServerOptions } from "../../src/rpc/rpc_server.ts";
import { encodeTextFrame, FrameDecoder } from "../../src/rpc/frame.ts";

/** Builds a gossip member. */
export function member(
  name: string,
  tags: Record<string, string>,
  status: MemberStatus = "alive",
): GossipMember {
  return {
    name,
    addr: "127.0.0.1:7946",
    tags,
    status,
    protocol: { min: 1, max: 5, cur: 2 },
    delegate: { min: 2, max: 5, cur: 5 },
  };
}

/** A service member of `group` with RPC address `addr`. */
export function service(
  name: string,
  group: string,
  addr: string,
  extra: Record<string, string> = {},
): GossipMember {
  return member(name, { group, addr, ...extra });
}

/** An in-process registry node. */
export interface TestRegistry extends AsyncDisposable {
  readonly state: RegistryState;
  readonly server: RpcServer;
  readonly addr: string;
  close(): Promise<void>;
}

/** Starts a ready registry node holding `members`, on 127.0.0.1:0. */
export function startRegistry(
  options: {
    members?: GossipMember[];
    ready?: boolean;
    ring?: StateRing;
    server?: RpcServerOptions;
  } = {},
): TestRegistry {
  const state = new RegistryState({ nodeId: "reg-test", ring: options.ring ?? "default" });
  for (const m of options.members ?? []) state.applyMember(m);
  state.setReady(options.ready ?? true);
  const server = RpcServer.listen(createHandlers(state), {
    addr: "127.0.0.1:0",
    ...options.server,
  });
  const close = (): Promise<void> => server.close();
  return { state, server, addr: server.addr, close, [Symbol.asyncDispose]: close };
}

/** The three-service `web` group most tests use. */
export function webGroup(): GossipMember[] {
  return [1, 2, 3].map((i) => service(`web-${i}`, "web", `10.0.0.${i}:8080`));
}

/**
 * Polls `check` every few milliseconds until it returns true or `timeoutMs` passes.
 *
 * @returns Whether the condition became true in time.
 */
export async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

/** A raw framed socket, for speaking (and breaking) the protocol by hand. */
export class RawPeer implements AsyncDisposable {
  readonly conn: Deno.TcpConn;
  readonly frames: unknown[] = [];
  closed = false;
  readonly #reading: Promise<void>;

  private constructor(conn: Deno.TcpConn) {
    this.conn = conn;
    this.#reading = this.#read();
  }

  /** Connects to `addr`. */
  static async connect(addr: string): Promise<RawPeer> {
    const [hostname, port] = addr.split(":");
    return new RawPeer(await Deno.connect({ hostname, port: Number(port) }));
  }

  /** Writes raw bytes; a write error (the server closed) is ignored. */
  async sendBytes(bytes: Uint8Array): Promise<void> {
    try {
      let at = 0;
      while (at < bytes.length) at += await this.conn.write(bytes.subarray(at));
    } catch {
      // The server may close first; the test asserts on that separately.
    }
  }

  /** Writes one frame holding JSON.stringify(value). */
  sendJson(value: unknown): Promise<void> {
    return this.sendBytes(encodeTextFrame(JSON.stringify(value)));
  }

  /** Waits until `count` frames have arrived in total. */
  async waitFrames(count: number, timeoutMs = 3000): Promise<unknown[]> {
    if (!await waitFor(() => this.frames.length >= count || this.closed, timeoutMs)) {
      throw new Error(`Timed out waiting for ${count} frames, got ${this.frames.length}`);
    }
    return this.frames;
  }

  /** Waits until the server closed the connection. */
  waitClosed(timeoutMs = 3000): Promise<boolean> {
    return waitFor(() => this.closed, timeoutMs);
  }

  async close(): Promise<void> {
    if (!this.closed) {
      try {
        this.conn.close();
      } catch {
        // Already closed.
      }
    }
    await this.#reading;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #read(): Promise<void> {
    const decoder = new FrameDecoder({ maxFrameBytes: 16 * 1024 * 1024 });
    const text = new TextDecoder();
    const buffer = new Uint8Array(65536);
    try {
      for (;;) {
        const n = await this.conn.read(buffer);
        if (n === null) break;
        decoder.push(buffer.subarray(0, n), (p) => this.frames.push(JSON.parse(text.decode(p))));
      }
    } catch {
      // Reset by the server or closed by us: either way the peer is closed.
    }
    if (!this.closed) {
      this.closed = true;
      try {
        this.conn.close();
      } catch {
        // Closed by close() already.
      }
    }
  }
}
