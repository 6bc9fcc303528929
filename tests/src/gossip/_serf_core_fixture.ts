/**
 * A real {@link SerfCore} on a manual clock with a fake memberlist host, for
 * the unit tests of the serf core's functions.
 *
 * @module
 */
import type { NodeRecord } from "../../../src/gossip/delegate.ts";
import type { GossipEvent } from "../../../src/gossip/member.ts";
import { NodeState, type Vsn } from "../../../src/gossip/messages.ts";
import { encodeTags } from "../../../src/gossip/meta.ts";
import type { SerfConfig } from "../../../src/gossip/serf_config.ts";
import { createSerfCore } from "../../../src/gossip/serf_core.ts";
import type { SerfCore } from "../../../src/gossip/serf_dispatch.ts";
import type { SerfHost } from "../../../src/gossip/serf_options.ts";
import { captureLogger, type LogLine } from "../../_helpers/capture_logger.ts";
import { ManualClock } from "../../_helpers/manual_clock.ts";

/** Protocol versions of every fixture record. */
export const FIXTURE_VSN: Vsn = [1, 5, 2, 2, 5, 4];

/** A core with everything it touched. */
export interface CoreFixture {
  core: SerfCore;
  clock: ManualClock;
  emitted: GossipEvent[];
  counts: Record<string, number>;
  logs: LogLine[];
  joins: string[][];
  /** Whether `isAlive()` says yes. */
  alive: boolean;
  host: SerfHost;
}

/**
 * A memberlist record.
 *
 * @param name Member name.
 * @param tags Tags in the meta.
 * @param ip Address.
 * @param state Memberlist state.
 * @returns The record.
 */
export function nodeRecord(
  name: string,
  tags: Record<string, string> = { role: name },
  ip = "10.0.0.9",
  state: number = NodeState.ALIVE,
): NodeRecord {
  return {
    name,
    ip,
    port: 7946,
    meta: encodeTags(tags),
    vsn: FIXTURE_VSN,
    incarnation: 1,
    state: state as NodeRecord["state"],
    stateChangeMs: 0,
  };
}

/**
 * Builds a core named `me` (member `me` already alive in its table).
 *
 * @param config Serf settings.
 * @param hostOverrides Fake host methods to replace.
 * @returns The fixture.
 */
export function coreFixture(
  config: Partial<SerfConfig> = {},
  hostOverrides: Partial<SerfHost> = {},
): CoreFixture {
  const clock = new ManualClock(1000);
  const emitted: GossipEvent[] = [];
  const counts: Record<string, number> = {};
  const logs: LogLine[] = [];
  const joins: string[][] = [];
  const host: SerfHost = {
    localNode: () => nodeRecord("me", {}, "10.0.0.1"),
    sendUserPacket: () => Promise.resolve(),
    join: (addrs) => (joins.push(addrs), Promise.resolve(1)),
    leave: () => Promise.resolve(),
    updateMeta: () => Promise.resolve(),
    gossipNow: () => {},
    ...hostOverrides,
  };
  const options = { name: "me", clock, random: () => 0, logger: captureLogger(logs), config };
  const core = createSerfCore({ ...options, onEvent: () => {} }, {
    tags: () => ({}),
    host: () => host,
    isAlive: () => f.alive,
    emit: (e) => emitted.push(e),
    count: (key) => counts[key] = (counts[key] ?? 0) + 1,
  });
  const f: CoreFixture = { core, clock, emitted, counts, logs, joins, alive: true, host };
  core.members.nodeJoined({ name: "me", ip: "10.0.0.1", port: 7946, tags: {}, vsn: FIXTURE_VSN });
  return f;
}
