/**
 * The local member's own alive announcements: the first one at start, the
 * incarnation + 1 one when its meta changes, and re-queueing it after a
 * join; the meta comes from the delegate and is checked against the 512-byte
 * limit.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import type { BroadcastQueue } from "./broadcast_queue.ts";
import type { MemberlistDelegate } from "./delegate.ts";
import type { MemberlistConfig } from "./memberlist_config.ts";
import { aliveOf, type MemberState } from "./member_state.ts";
import { encodeMessage } from "./message_codec.ts";
import { NodeState } from "./messages.ts";
import type { NodeTable } from "./node_table.ts";
import type { SelfAddress } from "./ping_responder.ts";
import { META_MAX_SIZE } from "./wire_constants.ts";

/** What {@link LocalMember} needs from the core. */
export interface LocalMemberDeps {
  /** Resolved settings (our name and versions). */
  readonly config: MemberlistConfig;
  /** The IP bytes and port we advertise. */
  readonly advertise: SelfAddress;
  /** The layer above (serf): our meta. */
  readonly delegate: MemberlistDelegate;
  /** The node table. */
  readonly table: NodeTable;
  /** The rules engine our alive messages go through. */
  readonly state: MemberState;
  /** The memberlist broadcast queue. */
  readonly broadcasts: BroadcastQueue;
}

/**
 * Reads the delegate's meta and checks its size.
 *
 * @param delegate The layer above.
 * @param name Our member name (for the error message).
 * @returns The meta bytes.
 * @throws {RegistryError} `TAGS_TOO_LARGE` when the meta exceeds 512 bytes.
 */
export function readLocalMeta(delegate: MemberlistDelegate, name: string): Uint8Array {
  const meta = delegate.nodeMeta(META_MAX_SIZE);
  if (meta.length > META_MAX_SIZE) {
    throw new RegistryError(
      "TAGS_TOO_LARGE",
      `Cannot announce member "${name}": meta of "${meta.length}" bytes exceeds 512`,
    );
  }
  return meta;
}

/**
 * Announces the local member.
 *
 * @example
 * ```ts ignore
 * const local = new LocalMember({ config, advertise, delegate, table, state, broadcasts });
 * local.announce();
 * ```
 */
export class LocalMember {
  #d: LocalMemberDeps;

  /**
   * Creates the announcer.
   *
   * @param deps Settings, address, delegate, table, rules engine and queue.
   */
  constructor(deps: LocalMemberDeps) {
    this.#d = deps;
  }

  /**
   * Enters the local member with incarnation 1 and gossips it.
   *
   * @throws {RegistryError} `TAGS_TOO_LARGE` when the delegate's meta exceeds 512 bytes.
   */
  announce(): void {
    const { config, advertise } = this.#d;
    this.#d.state.aliveNode({
      type: "alive",
      node: config.name,
      addr: advertise.addr,
      port: advertise.port,
      meta: readLocalMeta(this.#d.delegate, config.name),
      vsn: config.vsn,
      incarnation: 1,
    }, { bootstrap: true });
  }

  /**
   * Re-reads the delegate's meta and gossips alive with incarnation + 1.
   *
   * @param onDone Runs when that broadcast is fully retransmitted.
   * @returns Whether another member is alive; `false` before the first
   *   announcement or while leaving (then nothing is gossiped).
   * @throws {RegistryError} `TAGS_TOO_LARGE` when the new meta exceeds 512 bytes.
   */
  updateMeta(onDone: () => void): boolean {
    const self = this.#d.table.get(this.#d.config.name);
    if (!self || this.#d.state.leaving) return false;
    const meta = readLocalMeta(this.#d.delegate, this.#d.config.name);
    const alive = { ...aliveOf(self), meta, incarnation: self.incarnation + 1 };
    this.#d.state.aliveNode(alive, { bootstrap: true, onBroadcastDone: onDone });
    return this.othersAlive();
  }

  /**
   * Re-queues our current alive as the freshest broadcast (after a join
   * queued one for every member the seed told us about, which would
   * otherwise starve ours: the queue hands out newest first at equal
   * transmits). Does nothing before the first announcement.
   */
  requeueAlive(): void {
    const self = this.#d.table.get(this.#d.config.name);
    if (self) this.#d.broadcasts.queue({ key: self.name, bytes: encodeMessage(aliveOf(self)) });
  }

  /**
   * Whether any member other than us is alive.
   *
   * @returns `true` when one is.
   */
  othersAlive(): boolean {
    const self = this.#d.config.name;
    return this.#d.table.entries().some((e) => e.name !== self && e.state === NodeState.ALIVE);
  }
}
