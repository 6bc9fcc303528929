/**
 * Serf's push-pull user state as bytes (gossip-wire.md §7.5): encodes ours
 * from the member's state and decodes and merges a peer's, counting what
 * does not decode. The merge rules are in `serf_state_sync.ts`.
 *
 * @module
 */
import { joinIntent, leaveIntent, receiveUserEvent, type SerfCore } from "./serf_dispatch.ts";
import { decodeSerfMessage, encodeSerfMessage, type SerfMessage } from "./serf_messages.ts";
import { buildLocalState, mergeRemoteState, type SyncState } from "./serf_state_sync.ts";

/**
 * Our push-pull state, encoded (`02` + messagePushPull).
 *
 * @param core The member's state.
 * @returns The bytes for memberlist to send.
 */
export function encodeLocalState(core: SerfCore): Uint8Array {
  return encodeSerfMessage(buildLocalState(syncStateOf(core)));
}

/**
 * Decodes a peer's push-pull state and merges it into ours; anything else
 * counts as `serf_bad_push_pull` and is dropped.
 *
 * @param core The member's state.
 * @param state The bytes memberlist received.
 * @param ignoreOldEvents Skip events older than the peer's event clock.
 */
export function mergeRemoteStateBytes(
  core: SerfCore,
  state: Uint8Array,
  ignoreOldEvents: boolean,
): void {
  let pp: SerfMessage;
  try {
    pp = decodeSerfMessage(state);
  } catch (err) {
    core.log.debug("Dropped undecodable serf push-pull state", { error: String(err) });
    return core.count("serf_bad_push_pull");
  }
  if (pp.type !== "pushPull") return core.count("serf_bad_push_pull");
  mergeRemoteState(syncStateOf(core), pp, ignoreOldEvents);
}

/**
 * The view of the member's state that a push-pull reads and writes; intents
 * and events replayed from it are applied without re-gossip.
 *
 * @param core The member's state.
 * @returns The state for `serf_state_sync.ts`.
 */
export function syncStateOf(core: SerfCore): SyncState {
  return {
    members: core.members,
    memberClock: core.memberClock,
    events: core.events,
    queryClock: core.queries.clock,
    applyJoin: (intent) => void joinIntent(core, intent),
    applyLeave: (intent) => void leaveIntent(core, intent),
    receiveEvent: (e) => void receiveUserEvent(core, e),
  };
}
