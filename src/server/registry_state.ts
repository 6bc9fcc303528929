/**
 * The registry's view of the cluster: one consistent-hash ring per group,
 * fed one member change at a time (by gossip in `registry serve`, directly by
 * tests), and the watchers of each group. Every method is synchronous and
 * cheap: one member change costs one ring add or remove.
 *
 * @module
 */
import type { NodeInfo, ServiceInfo, WatchEvent } from "../../lib/types.ts";
import type { GossipMember } from "../gossip/member.ts";
import type { Logger } from "../logger.ts";
import { noopLogger } from "../logger.ts";
import { VERSION } from "../version.ts";
import { admitMember, RING_NAMES, type StateRing } from "./admission.ts";
import { GroupRings, type ServiceChange } from "./group_rings.ts";
import { WatchHub, type WatchListener } from "./watch_hub.ts";

export type { StateRing } from "./admission.ts";
export type { WatchListener } from "./watch_hub.ts";

/** Options of {@link RegistryState}. */
export interface RegistryStateOptions {
  /** This node's id (its gossip member name), reported by `info`. */
  readonly nodeId: string;
  /** Ring algorithm: `default` (weighted, 10,000 points per weight) or `chash` (the Go registry's). */
  readonly ring: StateRing;
  /** Logger; the state logs under a `server` child. @default noopLogger */
  readonly logger?: Logger;
}

/**
 * Groups, their rings and their watchers.
 *
 * @example
 * ```ts
 * import { RegistryState } from "./registry_state.ts";
 * const state = new RegistryState({ nodeId: "reg-1", ring: "default" });
 * state.applyMember({
 *   name: "web-1", addr: "10.0.0.1:7946", status: "alive",
 *   tags: { group: "web", addr: "10.0.0.1:8080" },
 *   protocol: { min: 1, max: 5, cur: 2 }, delegate: { min: 2, max: 5, cur: 5 },
 * });
 * state.match("web", "user-42")?.addr; // "10.0.0.1:8080"
 * ```
 */
export class RegistryState {
  readonly #nodeId: string;
  readonly #ringKind: StateRing;
  readonly #logger: Logger;
  readonly #rings: GroupRings;
  readonly #alive = new Set<string>();
  readonly #watchers: WatchHub;
  readonly #warned = new Set<string>();
  readonly #warnings: string[] = [];
  #version = 0;
  #ready = false;

  /**
   * Creates an empty state: no groups, not ready.
   *
   * @param options Node id, ring algorithm and logger.
   * @throws {TypeError} When the node id is empty.
   * @throws {RangeError} On an unknown ring algorithm.
   */
  constructor(options: RegistryStateOptions) {
    if (options.nodeId === "") throw new TypeError("Cannot create registry state: nodeId is empty");
    if (!Object.hasOwn(RING_NAMES, options.ring)) {
      throw new RangeError(`Cannot create registry state: unknown ring "${options.ring}"`);
    }
    this.#nodeId = options.nodeId;
    this.#ringKind = options.ring;
    this.#logger = (options.logger ?? noopLogger).child("server");
    this.#watchers = new WatchHub(this.#logger);
    this.#rings = new GroupRings({
      ring: options.ring,
      onChange: (type, service) => this.#emit(type, service),
      warnOnce: (member, key, message) => this.#warnOnce(member, key, message),
    });
  }

  /** Whether queries are answered (false until the first state exchange). */
  get ready(): boolean {
    return this.#ready;
  }

  /** The version of the latest change; grows with every change on this node. */
  get version(): number {
    return this.#version;
  }

  /** Open watches over every group (each RPC watch holds one). */
  get watcherCount(): number {
    return this.#watchers.count;
  }

  /** Warnings an operator should see, oldest first. */
  get warnings(): readonly string[] {
    return this.#warnings;
  }

  /**
   * Marks the node ready (or not) to answer queries.
   *
   * @param ready Whether queries are answered.
   */
  setReady(ready: boolean): void {
    this.#ready = ready;
  }

  /**
   * Adds a warning for `info`; the same text is kept once.
   *
   * @param text The warning, sentence case.
   */
  addWarning(text: string): void {
    if (!this.#warnings.includes(text)) this.#warnings.push(text);
  }

  /**
   * Counts the members seen alive, services or not.
   *
   * @returns Members seen alive, this node included once it was applied.
   */
  clusterSize(): number {
    return this.#alive.size;
  }

  /**
   * Applies a member's latest state: an `alive` member is added or updated
   * (and placed in a ring when its tags admit it); any other status removes it.
   *
   * @param member The member as gossip reports it.
   */
  applyMember(member: GossipMember): void {
    if (member.status !== "alive") {
      this.removeMember(member.name);
      return;
    }
    this.#alive.add(member.name);
    const admission = admitMember(member, this.#ringKind);
    if (!admission.ok) {
      this.#warnOnce(member.name, admission.reason, admission.reason);
      this.#rings.unplace(member.name);
      return;
    }
    if (admission.note) this.#warnOnce(member.name, admission.note, admission.note);
    this.#rings.place(admission);
  }

  /**
   * Forgets a member: removes it from every ring and from the cluster size.
   *
   * @param name The member name.
   * @returns Whether it was known.
   */
  removeMember(name: string): boolean {
    const known = this.#alive.delete(name);
    const placed = this.#rings.unplace(name);
    for (const key of [...this.#warned]) {
      if (key.startsWith(`${name}\u0000`)) this.#warned.delete(key);
    }
    return known || placed;
  }

  /**
   * Finds the service that owns a key.
   *
   * @param group The group.
   * @param key Any string, `""` included.
   * @returns The owner, or `undefined` when the group is unknown or empty.
   */
  match(group: string, key: string): ServiceInfo | undefined {
    return this.#rings.match(group, key);
  }

  /**
   * Finds up to `n` distinct services for a key, the owner first.
   *
   * @param group The group.
   * @param key Any string.
   * @param n How many, at least 1.
   * @returns The services, fewer when the group is smaller; `[]` for an unknown group.
   */
  matchN(group: string, key: string, n: number): ServiceInfo[] {
    return this.#rings.matchN(group, key, n);
  }

  /**
   * Lists the live services of a group, sorted by id.
   *
   * @param group The group.
   * @returns The services; `[]` for an unknown group.
   */
  members(group: string): readonly ServiceInfo[] {
    return this.#rings.members(group);
  }

  /**
   * Lists the groups.
   *
   * @returns The names of groups with at least one live service, sorted.
   */
  groups(): string[] {
    return this.#rings.groups();
  }

  /**
   * Watches a group: `listener` gets a snapshot at once (synchronously),
   * then one event per join, leave or update of the group.
   *
   * @param group The group; it need not exist yet.
   * @param listener Called synchronously on each change; must return quickly.
   * @returns A function that stops the watch.
   */
  watch(group: string, listener: WatchListener): () => void {
    const stop = this.#watchers.add(group, listener);
    const snapshot: WatchEvent = {
      type: "snapshot",
      group,
      version: this.#version,
      services: this.members(group),
    };
    this.#watchers.deliver(listener, snapshot);
    return stop;
  }

  /**
   * Describes this node for the `info` method.
   *
   * @returns Node id, version, cluster size, ring name, readiness and warnings.
   */
  info(): NodeInfo {
    return {
      id: this.#nodeId,
      version: VERSION,
      clusterSize: this.#alive.size,
      ring: RING_NAMES[this.#ringKind],
      ready: this.#ready,
      warnings: [...this.#warnings],
    };
  }

  #emit(type: ServiceChange, service: ServiceInfo): void {
    this.#version++;
    if (!this.#watchers.watched(service.group)) return;
    this.#watchers.emit({
      type,
      group: service.group,
      version: this.#version,
      services: [service],
    });
  }

  #warnOnce(member: string, key: string, message: string): void {
    const k = `${member}\u0000${key}`;
    if (this.#warned.has(k)) return;
    this.#warned.add(k);
    this.#logger.warn(message, { member });
  }
}
