/**
 * The production agent factory of a registration: a real serf-compatible
 * {@link GossipAgent} over UDP and TCP (needs `--unstable-net`).
 *
 * @module
 */
import { GossipAgent } from "../gossip/agent.ts";
import type { AgentStartOptions, RegistrationAgent } from "./registration_agent.ts";

/**
 * Starts a real gossip agent for a registration.
 *
 * @param options Name, bind and advertise addresses, tags, keys, profile, logger.
 * @returns The running agent.
 * @throws {RegistryError} `TAGS_TOO_LARGE` for oversized tags; socket errors
 *   (e.g. `Deno.errors.AddrInUse`) when the bind address is taken.
 */
export function startGossipAgent(options: AgentStartOptions): Promise<RegistrationAgent> {
  return GossipAgent.start(options);
}
