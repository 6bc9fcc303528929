/**
 * How a `GossipAgent` wires its parts: the timing preset of a profile,
 * the serf settings its options imply, the memberlist node on a transport,
 * and the host interface serf drives memberlist through.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import type { GossipAgentOptions, GossipProfile } from "./agent_options.ts";
import type { Keyring } from "./keyring.ts";
import {
  FAST_PRESET,
  LAN_PRESET,
  LOCAL_PRESET,
  type MemberlistTimings,
  resolveMemberlistConfig,
} from "./memberlist_config.ts";
import { MemberlistNode } from "./node.ts";
import type { Serf } from "./serf.ts";
import type { SerfHost, SerfOptions } from "./serf_options.ts";
import type { Transport } from "./transport.ts";
import { resolveAdvertiseAddr } from "./advertise_addr.ts";

const PRESETS: Record<GossipProfile, MemberlistTimings> = {
  lan: LAN_PRESET,
  local: LOCAL_PRESET,
  fast: FAST_PRESET,
};

/**
 * The memberlist timings of a profile.
 *
 * @param profile The profile. @default "lan"
 * @returns Its timing preset.
 */
export function presetOf(profile: GossipProfile = "lan"): MemberlistTimings {
  return PRESETS[profile];
}

/** What {@link startMemberlistNode} needs besides the agent's options. */
export interface NodeParts {
  /** The bound transport; closed here if the node cannot be built. */
  readonly transport: Transport;
  /** The serf layer, the node's delegate. */
  readonly serf: Serf;
  /** Timers. */
  readonly clock: Clock;
  /** Randomness. */
  readonly random: () => number;
  /** The agent's logger. */
  readonly log: Logger;
  /** Encryption keys, if any. */
  readonly keyring: Keyring | undefined;
}

/**
 * Builds and starts the memberlist node of an agent on its transport.
 *
 * @param options The agent's options.
 * @param parts Transport, serf, clock, randomness, logger and keys.
 * @returns The running node and the `ip:port` it advertises.
 * @throws {TypeError} For an unparsable advertise address (the transport is closed first).
 */
export async function startMemberlistNode(
  options: GossipAgentOptions,
  parts: NodeParts,
): Promise<{ node: MemberlistNode; advertise: string }> {
  const { transport, serf, clock, random, log, keyring } = parts;
  const preset = presetOf(options.profile);
  let node: MemberlistNode;
  let advertise: string;
  try {
    advertise = resolveAdvertiseAddr(options.bindAddr, options.advertiseAddr, transport.localAddr);
    const vsn = [1, 5, 2, 2, 5, options.protocolVersion ?? 4] as const;
    const config = resolveMemberlistConfig(
      { ...preset, name: options.name, advertiseAddr: advertise, vsn },
      preset,
    );
    node = new MemberlistNode({
      transport,
      clock,
      random,
      logger: log,
      config,
      delegate: serf,
      keyring,
    });
  } catch (err) {
    await transport.close(); // nothing else owns it yet
    throw err;
  }
  node.start();
  return { node, advertise };
}

/**
 * The memberlist operations serf uses, bound to one node.
 *
 * @param node The memberlist node.
 * @returns The host serf drives it through.
 */
export function hostOf(node: MemberlistNode): SerfHost {
  return {
    localNode: () => node.localNode(),
    sendUserPacket: (addr, bytes) => node.sendUserPacket(addr, bytes),
    join: (addrs) => node.join(addrs),
    leave: (ms) => node.leave(ms),
    updateMeta: () => node.updateMeta(),
    gossipNow: () => node.gossipNow(),
  };
}

/**
 * The serf settings an agent's options imply.
 *
 * @param options The agent's options.
 * @returns Name, tags, settings and query handler for {@link Serf}.
 */
export function serfOptions(
  options: GossipAgentOptions,
): Pick<SerfOptions, "name" | "tags" | "config" | "queryHandler"> {
  const preset = presetOf(options.profile);
  return {
    name: options.name,
    tags: options.tags,
    config: {
      protocolVersion: options.protocolVersion,
      gossipIntervalMs: preset.gossipIntervalMs,
      broadcastTimeoutMs: preset.broadcastTimeoutMs,
      ...options.serf,
    },
    queryHandler: options.queryHandler,
  };
}

/**
 * The innermost cause of a failed join, for the end of its message.
 *
 * @param cause What the join failed with.
 * @returns " (last error: ...)", or "" when there is no error.
 */
export function whyNot(cause: unknown): string {
  let inner = cause;
  while (inner instanceof Error && inner.cause !== undefined) inner = inner.cause;
  return inner instanceof Error ? ` (last error: ${inner.message})` : "";
}
