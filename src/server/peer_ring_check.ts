/**
 * Watches peer registry nodes for a ring algorithm other than ours: every
 * node of a cluster must give the same answer for the same key.
 *
 * @module
 */
import { REGISTRY_GROUP } from "../../lib/types.ts";
import type { GossipMember } from "../gossip/member.ts";
import type { Logger } from "../logger.ts";
import { RING_NAMES, type StateRing } from "./admission.ts";

/** What a peer without a `ring` tag runs: the Go registry always uses chash. */
export const GO_REGISTRY_RING = "chash";

/** Where warnings are recorded so `info` can report them. */
export interface WarningSink {
  /** Records one warning text. */
  addWarning(text: string): void;
}

/** Warns once per peer whose ring differs from ours. */
export class PeerRingCheck {
  readonly #selfId: string;
  readonly #ours: string;
  readonly #sink: WarningSink;
  readonly #logger: Logger;
  readonly #warned = new Set<string>();

  /**
   * @param selfId Our node id (never compared with itself).
   * @param ring Our ring algorithm.
   * @param sink Where warnings go for `info`.
   * @param logger Where the warning is logged.
   */
  constructor(selfId: string, ring: StateRing, sink: WarningSink, logger: Logger) {
    this.#selfId = selfId;
    this.#ours = RING_NAMES[ring];
    this.#sink = sink;
    this.#logger = logger;
  }

  /**
   * Looks at one member; a registry node with another ring is reported once.
   *
   * @param member A member from the gossip event stream.
   * @returns The warning text when this call reported one.
   */
  observe(member: GossipMember): string | undefined {
    if (member.name === this.#selfId || member.tags.group !== REGISTRY_GROUP) return undefined;
    if (member.status !== "alive") return undefined;
    const theirs = member.tags.ring ?? GO_REGISTRY_RING;
    const key = `${member.name}\u0000${theirs}`;
    if (theirs === this.#ours || this.#warned.has(key)) return undefined;
    this.#warned.add(key);
    const text =
      `Peer registry "${member.name}" uses ring "${theirs}" but this node uses "${this.#ours}": ` +
      "answers for the same key may differ (start every node with the same --ring)";
    this.#logger.warn(text, { member: member.name, ring: theirs });
    this.#sink.addWarning(text);
    return text;
  }
}
