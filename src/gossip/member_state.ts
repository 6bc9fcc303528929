/**
 * Member-state precedence (gossip-wire.md §6.3–6.5, §6.7): how alive,
 * suspect and dead messages change the node table, when they are
 * re-gossiped, when the delegate hears of a join, leave, update or name
 * conflict, and how the local node refutes accusations.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import type { Awareness } from "./awareness.ts";
import type { BroadcastQueue } from "./broadcast_queue.ts";
import type { MemberlistDelegate } from "./delegate.ts";
import { bytesEqual } from "./ip_bytes.ts";
import type { MemberlistConfig } from "./memberlist_config.ts";
import { encodeMessage } from "./message_codec.ts";
import {
  type AliveMessage,
  type DeadMessage,
  NodeState,
  type PacketMessage,
  type SuspectMessage,
} from "./messages.ts";
import { type NodeEntry, type NodeTable, toNodeRecord } from "./node_table.ts";
import { Suspicion, suspicionTimeouts } from "./suspicion.ts";

/** What {@link MemberState} works with. */
export interface MemberStateDeps {
  /** Resolved settings. */
  readonly config: MemberlistConfig;
  /** Time source and timers. */
  readonly clock: Clock;
  /** The node table. */
  readonly table: NodeTable;
  /** The memberlist broadcast queue. */
  readonly broadcasts: BroadcastQueue;
  /** The Lifeguard health score. */
  readonly awareness: Awareness;
  /** The layer above (serf). */
  readonly delegate: MemberlistDelegate;
  /** Where to log. */
  readonly logger: Logger;
}

/** Options of {@link MemberState.aliveNode}. */
export interface AliveOptions {
  /** The local node announcing itself (start, meta update): no refutation. */
  readonly bootstrap?: boolean;
  /** Runs when the resulting broadcast is fully retransmitted or replaced. */
  readonly onBroadcastDone?: () => void;
}

/**
 * Applies alive, suspect and dead messages to the node table.
 *
 * @example
 * ```ts ignore
 * const state = new MemberState(deps);
 * state.aliveNode(aliveMessage);
 * ```
 */
export class MemberState {
  #d: MemberStateDeps;
  #suspicions = new Map<string, Suspicion>();
  #leaving = false;
  #onLeaveDone: (() => void) | undefined;

  /**
   * Creates the rules engine over an existing table.
   *
   * @param deps Table, queue, clock, delegate and settings.
   */
  constructor(deps: MemberStateDeps) {
    this.#d = deps;
  }

  /** Whether the local node is leaving (then dead messages about us are not refuted). */
  get leaving(): boolean {
    return this.#leaving;
  }

  /**
   * Handles an alive message (§6.3).
   *
   * @param a The message.
   * @param options Bootstrap flag and broadcast-done callback.
   */
  aliveNode(a: AliveMessage, options: AliveOptions = {}): void {
    const { config, table } = this.#d;
    const isLocal = a.node === config.name;
    if (isLocal && this.#leaving) return;
    if (a.vsn[0] === 0 || a.vsn[1] === 0 || a.vsn[0] > a.vsn[1]) return;
    let e = table.get(a.node);
    let movesAddress = false;
    if (!e) {
      e = newDeadEntry(a, this.#d.clock.now());
      table.add(e);
    } else if (!bytesEqual(e.addr, a.addr) || e.port !== a.port) {
      if (!this.#canReclaim(e)) return this.#conflict(e, a);
      movesAddress = true;
    }
    if (a.incarnation <= e.incarnation && !isLocal && !movesAddress) return;
    if (a.incarnation < e.incarnation && isLocal) return;
    this.#cancelSuspicion(a.node);
    const oldState = e.state, oldMeta = e.meta;
    if (!options.bootstrap && isLocal) {
      if (a.incarnation === e.incarnation && bytesEqual(a.meta, e.meta) && sameVsn(a, e)) return;
      this.#d.logger.warn("Refuting an alive message", { member: a.node, from: "gossip" });
      this.refute(a.incarnation);
    } else {
      this.#broadcast(a.node, a, options.onBroadcastDone);
      Object.assign(e, { vsn: a.vsn, incarnation: a.incarnation, meta: a.meta });
      Object.assign(e, { addr: a.addr, port: a.port });
      table.setState(e, NodeState.ALIVE, this.#d.clock.now());
    }
    if (oldState === NodeState.DEAD || oldState === NodeState.LEFT) {
      this.#d.delegate.notifyJoin(toNodeRecord(e));
    } else if (!bytesEqual(oldMeta, e.meta)) {
      this.#d.delegate.notifyUpdate(toNodeRecord(e));
    }
  }

  /**
   * Handles a suspect message (§6.4), starting or confirming a suspicion.
   *
   * @param s The message.
   */
  suspectNode(s: SuspectMessage): void {
    const e = this.#d.table.get(s.node);
    if (!e || s.incarnation < e.incarnation) return;
    const running = this.#suspicions.get(s.node);
    if (running) {
      if (running.confirm(s.from)) this.#broadcast(s.node, s);
      return;
    }
    if (e.state !== NodeState.ALIVE) return;
    if (s.node === this.#d.config.name) {
      this.#d.logger.warn("Refuting a suspect message", { member: s.node, from: s.from });
      this.refute(s.incarnation);
      return;
    }
    this.#broadcast(s.node, s);
    e.incarnation = s.incarnation;
    this.#d.table.setState(e, NodeState.SUSPECT, this.#d.clock.now());
    const changedAt = e.stateChangeMs;
    const timeouts = suspicionTimeouts(this.#d.config, this.#d.table.size);
    const suspicion = new Suspicion(this.#d.clock, s.from, timeouts, () => {
      this.#suspicions.delete(s.node);
      const now = this.#d.table.get(s.node);
      if (now && now.state === NodeState.SUSPECT && now.stateChangeMs === changedAt) {
        this.#d.logger.info("Marking member as failed", { member: s.node });
        this.deadNode({
          type: "dead",
          node: s.node,
          incarnation: now.incarnation,
          from: this.#d.config.name,
        });
      }
    });
    this.#suspicions.set(s.node, suspicion);
  }

  /**
   * Handles a dead message (§6.5); `from === node` means a graceful leave.
   *
   * @param d The message.
   */
  deadNode(d: DeadMessage): void {
    const e = this.#d.table.get(d.node);
    if (!e || d.incarnation < e.incarnation) return;
    this.#cancelSuspicion(d.node);
    if (e.state === NodeState.DEAD || e.state === NodeState.LEFT) return;
    if (d.node === this.#d.config.name) {
      if (!this.#leaving) {
        this.#d.logger.warn("Refuting a dead message", { member: d.node, from: d.from });
        this.refute(d.incarnation);
        return;
      }
      this.#broadcast(d.node, d, this.#onLeaveDone);
    } else {
      this.#broadcast(d.node, d);
    }
    e.incarnation = d.incarnation;
    const state = d.node === d.from ? NodeState.LEFT : NodeState.DEAD;
    this.#d.table.setState(e, state, this.#d.clock.now());
    this.#d.delegate.notifyLeave(toNodeRecord(e));
  }

  /**
   * Marks the local node as leaving and gossips `dead{self, From: self}`.
   *
   * @param onDone Runs when that broadcast is fully retransmitted.
   */
  leave(onDone: () => void): void {
    const self = this.#d.table.get(this.#d.config.name);
    this.#leaving = true;
    this.#onLeaveDone = onDone;
    if (!self) return onDone();
    const name = this.#d.config.name;
    this.deadNode({ type: "dead", node: name, from: name, incarnation: self.incarnation });
  }

  /**
   * Refutes an accusation carrying incarnation `accused` (§6.7): raises our
   * incarnation above it, worsens our health score and gossips alive.
   *
   * @param accused The accusation's incarnation.
   */
  refute(accused: number): void {
    const self = this.#d.table.get(this.#d.config.name);
    if (!self) return;
    let inc = self.incarnation + 1;
    if (accused >= inc) inc = accused + 1;
    self.incarnation = inc;
    this.#d.awareness.apply(1);
    this.#broadcast(self.name, aliveOf(self));
  }

  /** Cancels every suspicion timer (shutdown). */
  stop(): void {
    for (const s of this.#suspicions.values()) s.cancel();
    this.#suspicions.clear();
  }

  #canReclaim(e: NodeEntry): boolean {
    if (e.state === NodeState.LEFT) return true;
    const reclaim = this.#d.config.deadNodeReclaimTimeMs;
    return e.state === NodeState.DEAD && reclaim > 0 &&
      this.#d.clock.now() - e.stateChangeMs > reclaim;
  }

  #conflict(e: NodeEntry, a: AliveMessage): void {
    this.#d.logger.warn("Refusing a member at a conflicting address", { member: a.node });
    const other = newDeadEntry(a, this.#d.clock.now());
    other.state = NodeState.ALIVE;
    this.#d.delegate.notifyConflict(toNodeRecord(e), toNodeRecord(other));
  }

  #cancelSuspicion(name: string): void {
    const s = this.#suspicions.get(name);
    if (!s) return;
    s.cancel();
    this.#suspicions.delete(name);
  }

  #broadcast(key: string, msg: PacketMessage, onFinished?: () => void): void {
    this.#d.broadcasts.queue({ bytes: encodeMessage(msg), key, onFinished });
  }
}

/**
 * The alive message describing an entry.
 *
 * @param e The entry.
 * @returns An alive message with its current fields.
 */
export function aliveOf(e: NodeEntry): AliveMessage {
  return {
    type: "alive",
    node: e.name,
    addr: e.addr,
    port: e.port,
    meta: e.meta,
    vsn: e.vsn,
    incarnation: e.incarnation,
  };
}

function newDeadEntry(a: AliveMessage, nowMs: number): NodeEntry {
  return {
    name: a.node,
    addr: a.addr,
    port: a.port,
    meta: a.meta,
    vsn: a.vsn,
    incarnation: 0,
    state: NodeState.DEAD,
    stateChangeMs: nowMs,
  };
}

function sameVsn(a: AliveMessage, e: NodeEntry): boolean {
  return a.vsn.every((v, i) => v === e.vsn[i]);
}
