/**
 * `SimCluster`: N memberlist nodes on a {@link MemoryNetwork} driven by a
 * {@link ManualClock}, with helpers that alternate clock steps with draining
 * the async work (codecs, loops) those steps start.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import type { MemberlistDelegate, NodeRecord } from "../../src/gossip/delegate.ts";
import {
  FAST_PRESET,
  type MemberlistTimings,
  resolveMemberlistConfig,
} from "../../src/gossip/memberlist_config.ts";
import { NodeState } from "../../src/gossip/messages.ts";
import { MemberlistNode } from "../../src/gossip/node.ts";
import { noopLogger } from "../../src/logger.ts";
import { ManualClock } from "./manual_clock.ts";
import { MemoryNetwork, type MemoryTransport } from "./memory_network.ts";
import { seededRandom } from "./seeded_random.ts";

/** One delegate callback, recorded. */
export interface RecordedEvent {
  readonly type: "join" | "leave" | "update" | "conflict";
  readonly name: string;
  readonly state: NodeState;
  readonly atMs: number;
}

/** A delegate that records what memberlist tells it. */
export class TestDelegate implements MemberlistDelegate {
  readonly events: RecordedEvent[] = [];
  readonly userMessages: Uint8Array[] = [];
  meta: Uint8Array = new Uint8Array([0xff, 0x80]);
  #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  nodeMeta(_limit: number): Uint8Array {
    return this.meta;
  }
  notifyUserMessage(payload: Uint8Array): void {
    this.userMessages.push(payload);
  }
  getBroadcasts(_overhead: number, _limit: number): Uint8Array[] {
    return [];
  }
  localState(_join: boolean): Uint8Array {
    return new Uint8Array(0);
  }
  mergeRemoteState(_state: Uint8Array, _join: boolean): void {}
  notifyJoin(n: NodeRecord): void {
    this.#record("join", n);
  }
  notifyLeave(n: NodeRecord): void {
    this.#record("leave", n);
  }
  notifyUpdate(n: NodeRecord): void {
    this.#record("update", n);
  }
  notifyConflict(_existing: NodeRecord, other: NodeRecord): void {
    this.#record("conflict", other);
  }
  ackPayload(): Uint8Array {
    return new Uint8Array(0);
  }
  #record(type: RecordedEvent["type"], n: NodeRecord): void {
    this.events.push({ type, name: n.name, state: n.state, atMs: this.#now() });
  }
}

/** One simulated member. */
export interface SimNode {
  readonly name: string;
  readonly addr: string;
  readonly node: MemberlistNode;
  readonly transport: MemoryTransport;
  readonly delegate: TestDelegate;
  running: boolean;
}

/** Options of {@link SimCluster}. */
export interface SimClusterOptions {
  readonly seed?: number;
  readonly preset?: MemberlistTimings;
  readonly overrides?: Partial<MemberlistTimings>;
  /** Network one-way delay (ms). @default 1 */
  readonly delayMs?: number;
  /** Clock step between drains (ms). @default 5 */
  readonly stepMs?: number;
}

/** Drains every pending microtask (one macrotask turn). */
export function drain(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** A simulated cluster. */
export class SimCluster {
  readonly clock: ManualClock = new ManualClock(1_000_000);
  readonly net: MemoryNetwork;
  readonly nodes: SimNode[] = [];
  readonly random: () => number;
  #options: SimClusterOptions;

  constructor(options: SimClusterOptions = {}) {
    this.#options = options;
    this.random = seededRandom(options.seed ?? 1);
    this.net = new MemoryNetwork(this.clock, seededRandom((options.seed ?? 1) + 7777));
    this.net.delayMs = options.delayMs ?? 1;
  }

  /**
   * Creates and starts a node at `10.a.b.c:7946` (from its index).
   *
   * @param name Member name; defaults to `n<index>`.
   * @param addr Address; defaults to one derived from the index.
   * @returns The node.
   */
  add(name?: string, addr?: string): SimNode {
    const i = this.nodes.length;
    const a = addr ?? `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:7946`;
    const n = name ?? `n${i}`;
    const transport = this.net.transport(a);
    const delegate = new TestDelegate(() => this.clock.now());
    const config = resolveMemberlistConfig(
      { name: n, ...this.#options.overrides },
      this.#options.preset ?? FAST_PRESET,
    );
    const node = new MemberlistNode({
      transport,
      config,
      delegate,
      clock: this.clock,
      random: seededRandom(Math.floor(this.random() * 2 ** 31)),
      logger: noopLogger,
    });
    node.start();
    const sim: SimNode = { name: n, addr: a, node, transport, delegate, running: true };
    this.nodes.push(sim);
    return sim;
  }

  /**
   * Moves simulated time forward, draining async work after every step.
   *
   * @param ms How far.
   */
  async advance(ms: number): Promise<void> {
    const step = this.#options.stepMs ?? 5;
    for (let t = 0; t < ms; t += step) {
      this.clock.advance(Math.min(step, ms - t));
      await drain();
    }
  }

  /**
   * Advances until `pred()` holds or `maxMs` passes.
   *
   * @returns The simulated time it took, or -1 on timeout.
   */
  async until(pred: () => boolean, maxMs: number): Promise<number> {
    const start = this.clock.now();
    const step = this.#options.stepMs ?? 5;
    await drain();
    while (!pred()) {
      if (this.clock.now() - start >= maxMs) return -1;
      await this.advance(step);
    }
    return this.clock.now() - start;
  }

  /**
   * Settles a promise that needs simulated time (a join, a leave).
   *
   * @returns Its value.
   * @throws What the promise rejects with, or an Error after `maxMs`.
   */
  async run<T>(p: Promise<T>, maxMs = 60_000): Promise<T> {
    let done = false;
    const watched = p.finally(() => done = true);
    watched.catch(() => {});
    if (await this.until(() => done, maxMs) < 0) {
      throw new Error("Simulation: promise did not settle");
    }
    return await watched;
  }

  /** Whether every running node sees every other running node alive. */
  converged(): boolean {
    const running = this.nodes.filter((n) => n.running);
    // Cheap count check first: the full check builds every node's table.
    if (!running.every((n) => n.node.numAliveNodes() === running.length)) return false;
    return running.every((n) => this.sees(n, running.map((r) => r.name), NodeState.ALIVE));
  }

  /**
   * Whether `viewer` has every name in `names` in `state`.
   */
  sees(viewer: SimNode, names: readonly string[], state: NodeState): boolean {
    const byName = new Map(viewer.node.nodes().map((r) => [r.name, r.state]));
    return names.every((n) => byName.get(n) === state);
  }

  /**
   * The state `viewer` has for `name`, or `undefined`.
   */
  stateOf(viewer: SimNode, name: string): NodeState | undefined {
    return viewer.node.nodes().find((r) => r.name === name)?.state;
  }

  /** Stops a node without leaving (a crash): it disappears from the network. */
  async crash(n: SimNode): Promise<void> {
    n.running = false;
    this.net.setUp(n.addr, false);
    await n.node.close();
  }

  /** Closes every node. */
  async close(): Promise<void> {
    for (const n of this.nodes) {
      n.running = false;
      await n.node.close();
    }
    await drain();
  }
}
