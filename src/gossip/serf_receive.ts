/**
 * The bytes of one received serf user message (gossip-wire.md §7.3):
 * decoded (what does not decode is counted and dropped), handled, and
 * queued again for gossip when the handler says so.
 *
 * @module
 */
import { dispatchSerfMessage, type SerfCore } from "./serf_dispatch.ts";
import { decodeSerfMessage, type SerfMessage } from "./serf_messages.ts";

/**
 * Handles one received serf message; a message to re-gossip is copied into
 * the event, query or intent queue by its type.
 *
 * @param core The member's state.
 * @param payload The message bytes (type byte first); not kept.
 */
export function receiveSerfPayload(core: SerfCore, payload: Uint8Array): void {
  let msg: SerfMessage;
  try {
    msg = decodeSerfMessage(payload);
  } catch (err) {
    core.log.debug("Dropped undecodable serf message", { error: String(err) });
    return core.count("serf_bad_message");
  }
  if (!dispatchSerfMessage(core, msg)) return;
  const kind = msg.type === "userEvent" ? "event" : msg.type === "query" ? "query" : "intent";
  core.queues.queue(kind, payload.slice());
}
