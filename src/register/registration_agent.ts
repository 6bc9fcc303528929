/**
 * What a registration needs from a gossip agent: the small slice of
 * `GossipAgent` it drives, so tests can script it.
 *
 * @module
 */
import type { Logger } from "../logger.ts";

/** The part of the gossip agent a registration uses. */
export interface RegistrationAgent {
  /** The gossip address peers see (`ip:port`). */
  readonly advertiseAddr: string;
  /** Joins seeds; rejects with `JOIN_FAILED` when none answered. */
  join(addrs: string[], options?: { ignoreOld?: boolean }): Promise<number>;
  /** Leaves gracefully: peers drop this member at once. */
  leave(): Promise<void>;
  /** Stops the agent and frees its sockets. */
  close(): Promise<void>;
  /** Replaces the advertised tags. */
  setTags(tags: Record<string, string>): Promise<void>;
}

/** How a registration asks for a gossip agent (the shape of `GossipAgent.start`'s options). */
export interface AgentStartOptions {
  name: string;
  bindAddr: string;
  advertiseAddr?: string;
  tags: Record<string, string>;
  encryptKeys?: string[];
  profile?: "lan" | "local";
  logger?: Logger;
}

/** Starts a gossip agent; `GossipAgent.start` in production, a fake in tests. */
export type StartAgent = (options: AgentStartOptions) => Promise<RegistrationAgent>;
