/**
 * The tag contract between registered members and registry nodes: which serf
 * tags a service carries, and the check that a whole tag set fits serf's
 * 512-byte node meta.
 *
 * Go registries read `group`, `addr` and `replicas`; ours also read
 * `weight` (services) and `ring` (registry nodes).
 *
 * @module
 */
import { REGISTRY_GROUP } from "../../lib/types.ts";
import { encodeTags } from "../gossip/meta.ts";

/** Tag holding the service group. */
export const TAG_GROUP = "group";
/** Tag holding the address clients should use. */
export const TAG_ADDR = "addr";
/** Tag holding the Go ring's virtual node count (decimal). */
export const TAG_REPLICAS = "replicas";
/** Tag holding the member's weight on the default ring (decimal). */
export const TAG_WEIGHT = "weight";
/** Tag holding a registry node's ring algorithm (`default-1` or `chash`). */
export const TAG_RING = "ring";

/** The replica count every member advertises, as the Go registry does. */
export const DEFAULT_REPLICAS = 10000;

/** Keys the registry sets itself; `extraTags` may not use them. */
export const RESERVED_TAG_KEYS: readonly string[] = [
  TAG_GROUP,
  TAG_ADDR,
  TAG_REPLICAS,
  TAG_WEIGHT,
  TAG_RING,
];

/** The largest accepted weight; keeps the default ring's point count bounded. */
export const MAX_WEIGHT = 1000;

/** What {@link buildServiceTags} needs. */
export interface ServiceTagInput {
  /** The service group; never `registry-group`. */
  readonly group: string;
  /** The address clients should use (`host:port`). */
  readonly addr: string;
  /** Weight on the default ring, above 0 and at most {@link MAX_WEIGHT}. @default 1 */
  readonly weight?: number;
  /** User tags added beside the contract tags; keys must not be reserved. @default {} */
  readonly extraTags?: Readonly<Record<string, string>>;
}

/**
 * Builds the full tag set of a registered service and checks that it fits
 * serf's meta limit.
 *
 * @param input Group, address, weight and extra tags.
 * @returns A fresh tag object: the extra tags plus `group`, `addr`,
 *   `replicas` and `weight`.
 * @throws {TypeError} When the group or address is empty, the group is
 *   `registry-group`, or an extra tag key is empty or reserved.
 * @throws {RangeError} When the weight is not above 0 and at most {@link MAX_WEIGHT}.
 * @throws {RegistryError} `TAGS_TOO_LARGE` when the encoded tags exceed 512 bytes.
 * @example
 * ```ts
 * import { buildServiceTags } from "./service_tags.ts";
 * buildServiceTags({ group: "web", addr: "10.0.0.5:8080" });
 * // { group: "web", addr: "10.0.0.5:8080", replicas: "10000", weight: "1" }
 * ```
 */
export function buildServiceTags(input: ServiceTagInput): Record<string, string> {
  const { group, addr } = input;
  if (group.trim() === "") throw new TypeError("Cannot build service tags: group is empty");
  if (group === REGISTRY_GROUP) {
    throw new TypeError(
      `Cannot build service tags: group "${REGISTRY_GROUP}" is reserved for registry nodes`,
    );
  }
  if (addr.trim() === "") throw new TypeError("Cannot build service tags: addr is empty");
  const weight = input.weight ?? 1;
  if (!Number.isFinite(weight) || weight <= 0 || weight > MAX_WEIGHT) {
    throw new RangeError(
      `Cannot build service tags: weight must be above 0 and at most ${MAX_WEIGHT}, got "${weight}"`,
    );
  }
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.extraTags ?? {})) {
    if (key === "") throw new TypeError("Cannot build service tags: a tag key is empty");
    if (RESERVED_TAG_KEYS.includes(key)) {
      throw new TypeError(`Cannot build service tags: tag "${key}" is reserved`);
    }
    tags[key] = value;
  }
  tags[TAG_GROUP] = group;
  tags[TAG_ADDR] = addr;
  tags[TAG_REPLICAS] = String(DEFAULT_REPLICAS);
  tags[TAG_WEIGHT] = String(weight);
  validateTagSet(tags);
  return tags;
}

/**
 * Checks that a complete tag set fits serf's node meta (`FF` + msgpack map,
 * at most 512 bytes), so an over-long set fails before anything starts
 * instead of being truncated or refused by peers.
 *
 * @param tags The whole tag set a member will advertise.
 * @returns The encoded size in bytes.
 * @throws {RegistryError} `TAGS_TOO_LARGE` when the encoded tags exceed 512 bytes.
 * @example
 * ```ts
 * import { validateTagSet } from "./service_tags.ts";
 * validateTagSet({ role: "web" }); // 11
 * ```
 */
export function validateTagSet(tags: Readonly<Record<string, string>>): number {
  return encodeTags(tags).length;
}
