/**
 * What the serf core is built from and what it needs from the memberlist
 * node under it.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import type { NodeRecord } from "./delegate.ts";
import type { Keyring } from "./keyring.ts";
import type { GossipEvent } from "./member.ts";
import type { SerfConfig } from "./serf_config.ts";
import type { QueryHandler } from "./serf_queries.ts";

/** What serf needs from the memberlist node under it. */
export interface SerfHost {
  /** Our own memberlist record (address, incarnation). */
  localNode(): NodeRecord;
  /** Sends a serf message straight to `addr` as a UDP user message. */
  sendUserPacket(addr: string, bytes: Uint8Array): Promise<void>;
  /** memberlist join; resolves with the number of seeds reached. */
  join(addrs: string[]): Promise<number>;
  /** memberlist leave (dead about ourselves, gossiped). */
  leave(timeoutMs: number): Promise<void>;
  /** Re-reads our meta and gossips it with a higher incarnation. */
  updateMeta(): Promise<void>;
  /** Runs a memberlist gossip round now, so just-queued serf broadcasts go out at once. */
  gossipNow(): void;
}

/** Options of {@link Serf}. */
export interface SerfOptions {
  /** Our member name. */
  readonly name: string;
  /** Initial tags. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Serf settings; see {@link SerfConfig}. */
  readonly config?: Partial<SerfConfig>;
  /** Time and timers. */
  readonly clock: Clock;
  /** Uniform random in [0, 1): query IDs, reconnect choices. */
  readonly random: () => number;
  /** Where to log. @default noopLogger */
  readonly logger?: Logger;
  /** Receives every member and user event, in order; must return quickly. */
  readonly onEvent: (event: GossipEvent) => void;
  /** Answers application queries. @default none (queries are acked only) */
  readonly queryHandler?: QueryHandler;
  /** The keyring, for `_serf_*-key` queries. */
  readonly keyring?: Keyring;
  /** Called when name conflict resolution says we must stop. */
  readonly onConflictShutdown?: () => void;
}
