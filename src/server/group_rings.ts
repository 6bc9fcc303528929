/**
 * One consistent-hash ring per group: where each admitted service is placed,
 * with what weight, and the ring lookups. Each change is reported to the
 * owner, which versions it and tells the watchers.
 *
 * @module
 */
import { HashRing } from "../../lib/ring.ts";
import type { ServiceInfo } from "../../lib/types.ts";
import type { Admission, StateRing } from "./admission.ts";

/** How a service changed in its group. */
export type ServiceChange = "join" | "leave" | "update";

/** Options of {@link GroupRings}. */
export interface GroupRingsOptions {
  /** Ring algorithm: `default` (weighted, 10,000 points per weight) or `chash`. */
  readonly ring: StateRing;
  /** Called synchronously after each join, leave or update. */
  readonly onChange: (type: ServiceChange, service: ServiceInfo) => void;
  /** Called for a problem an operator should see once per member and key. */
  readonly warnOnce: (member: string, key: string, message: string) => void;
}

interface Group {
  readonly ring: HashRing;
  readonly services: Map<string, ServiceInfo>;
  sorted: readonly ServiceInfo[] | undefined;
}

interface Placed {
  readonly service: ServiceInfo;
  readonly weight: number;
}

/**
 * The rings of every group with at least one live service.
 *
 * @example
 * ```ts
 * import { GroupRings } from "./group_rings.ts";
 * const rings = new GroupRings({ ring: "default", onChange: () => {}, warnOnce: () => {} });
 * const service = { id: "web-1", group: "web", addr: "10.0.0.1:8080", tags: {} };
 * rings.place({ ok: true, service, weight: 1, replicas: 0 });
 * rings.match("web", "user-42")?.addr; // "10.0.0.1:8080"
 * ```
 */
export class GroupRings {
  readonly #ringKind: StateRing;
  readonly #onChange: GroupRingsOptions["onChange"];
  readonly #warnOnce: GroupRingsOptions["warnOnce"];
  readonly #groups = new Map<string, Group>();
  readonly #placed = new Map<string, Placed>();

  /**
   * Creates rings without groups.
   *
   * @param options Ring algorithm and the change and warning callbacks.
   */
  constructor(options: GroupRingsOptions) {
    this.#ringKind = options.ring;
    this.#onChange = options.onChange;
    this.#warnOnce = options.warnOnce;
  }

  /**
   * Finds the service that owns a key.
   *
   * @param group The group.
   * @param key Any string, `""` included.
   * @returns The owner, or `undefined` when the group is unknown or empty.
   */
  match(group: string, key: string): ServiceInfo | undefined {
    const g = this.#groups.get(group);
    if (g === undefined) return undefined;
    const id = g.ring.match(key);
    return id === undefined ? undefined : g.services.get(id);
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
    const g = this.#groups.get(group);
    if (g === undefined) return [];
    const out: ServiceInfo[] = [];
    for (const id of g.ring.matchN(key, n)) {
      const service = g.services.get(id);
      if (service) out.push(service);
    }
    return out;
  }

  /**
   * Lists the live services of a group, sorted by id.
   *
   * @param group The group.
   * @returns The services; `[]` for an unknown group.
   */
  members(group: string): readonly ServiceInfo[] {
    const g = this.#groups.get(group);
    if (g === undefined) return [];
    g.sorted ??= [...g.services.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return g.sorted;
  }

  /**
   * Lists the groups.
   *
   * @returns The names of groups with at least one live service, sorted.
   */
  groups(): string[] {
    return [...this.#groups.keys()].sort();
  }

  /**
   * Places an admitted service in its group's ring (moving it when its group
   * changed); reports a join or an update, or nothing when nothing changed.
   *
   * @param admission The service and its weight and replicas.
   */
  place(admission: Extract<Admission, { ok: true }>): void {
    const { service, weight, replicas } = admission;
    const before = this.#placed.get(service.id);
    if (before && before.service.group !== service.group) this.unplace(service.id);
    const previous = before?.service.group === service.group ? before : undefined;
    let g = this.#groups.get(service.group);
    if (g === undefined) {
      const ring = this.#ringKind === "chash"
        ? new HashRing({ algorithm: "chash", replicas })
        : new HashRing({ algorithm: "default", pointsPerWeight: 10_000 });
      g = { ring, services: new Map(), sorted: undefined };
      this.#groups.set(service.group, g);
    }
    if (
      previous !== undefined && previous.weight === weight && sameService(previous.service, service)
    ) {
      return;
    }
    // Touch the ring only for a new member or a new weight: re-adding a chash member moves keys.
    if (previous === undefined || previous.weight !== weight) {
      if (!this.#addToRing(g, service, weight, previous !== undefined)) return;
    }

    g.services.set(service.id, service);
    g.sorted = undefined;
    this.#placed.set(service.id, { service, weight });
    this.#onChange(previous === undefined ? "join" : "update", service);
  }

  /**
   * Removes a service from its ring (and its group when it was the last);
   * reports a leave.
   *
   * @param name The service id (its member name).
   * @returns Whether it was placed.
   */
  unplace(name: string): boolean {
    const placed = this.#placed.get(name);
    if (placed === undefined) return false;
    this.#placed.delete(name);
    const group = placed.service.group;
    const g = this.#groups.get(group);
    if (g) {
      g.ring.remove(name);
      g.services.delete(name);
      g.sorted = undefined;
      if (g.services.size === 0) this.#groups.delete(group);
    }
    this.#onChange("leave", placed.service);
    return true;
  }

  #addToRing(g: Group, service: ServiceInfo, weight: number, known: boolean): boolean {
    try {
      g.ring.add(service.id, weight); // For a known member this sets the new weight.
      return true;
    } catch (e) {
      // The ring is full (MAX_RING_POINTS): keep the member out rather than fail the gossip loop.
      this.#warnOnce(
        service.id,
        "ring-full",
        `Member "${service.id}" does not fit in the ring: ${e}`,
      );
      if (known) this.unplace(service.id);
      else if (g.services.size === 0) this.#groups.delete(service.group);
      return false;
    }
  }
}

function sameService(a: ServiceInfo, b: ServiceInfo): boolean {
  if (a.addr !== b.addr || a.group !== b.group) return false;
  const ak = Object.keys(a.tags);
  if (ak.length !== Object.keys(b.tags).length) return false;
  return ak.every((k) => a.tags[k] === b.tags[k]);
}
