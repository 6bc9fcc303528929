/**
 * Which gossip members become services, and with what ring weight: the
 * admission rules of the registry state.
 *
 * @module
 */
import type { ServiceInfo } from "../../lib/types.ts";
import type { GossipMember } from "../gossip/member.ts";

/** Ring algorithms the registry state can use. */
export type StateRing = "default" | "chash";

/** The name `info` reports for each ring algorithm (the suffix versions the default). */
export const RING_NAMES: Readonly<Record<StateRing, string>> = {
  default: "default-1",
  chash: "chash",
};

/**
 * The largest accepted `weight` tag; more points would cost too much memory.
 * Weights are decimal numbers from 0 (listed, never matched) to this.
 */
export const MAX_WEIGHT = 100;

/** The outcome of {@link admitMember}. */
export type Admission =
  | {
    readonly ok: true;
    readonly service: ServiceInfo;
    /** Ring weight (always 1 for chash). */
    readonly weight: number;
    /** The `replicas` tag (chash only; 0 otherwise). */
    readonly replicas: number;
    /** A problem worth logging once that did not keep the member out. */
    readonly note?: string;
  }
  | { readonly ok: false; readonly reason: string };

/**
 * Applies the admission rules to one alive member: it needs a non-empty
 * `group` tag and an `addr` tag; in chash mode also an integer `replicas`
 * tag above 0 (as the Go registry). In default mode a `weight` tag that is
 * not a decimal from 0 to {@link MAX_WEIGHT} falls back to 1 with a note.
 *
 * @param member The member.
 * @param ring The ring algorithm in use.
 * @returns The service and its placement, or why it is kept out.
 */
export function admitMember(member: GossipMember, ring: StateRing): Admission {
  const { group, addr } = member.tags;
  if (!group) {
    return { ok: false, reason: `Member "${member.name}" has no group tag: not a service` };
  }
  if (!addr) return { ok: false, reason: `Member "${member.name}" has no addr tag: not a service` };
  const service: ServiceInfo = { id: member.name, group, addr, tags: { ...member.tags } };
  if (ring === "chash") {
    const text = member.tags.replicas ?? "";
    const replicas = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
    if (!(replicas > 0)) {
      return {
        ok: false,
        reason: `Member "${member.name}" has no integer replicas tag: kept out of the chash ring`,
      };
    }
    return { ok: true, service, weight: 1, replicas };
  }
  const text = member.tags.weight;
  if (text === undefined) return { ok: true, service, weight: 1, replicas: 0 };
  const weight = /^\d{1,3}(\.\d{1,6})?$/.test(text) ? Number(text) : NaN;
  if (weight >= 0 && weight <= MAX_WEIGHT) return { ok: true, service, weight, replicas: 0 };
  return {
    ok: true,
    service,
    weight: 1,
    replicas: 0,
    note: `Member "${member.name}" has an invalid weight tag "${text}": using 1`,
  };
}
