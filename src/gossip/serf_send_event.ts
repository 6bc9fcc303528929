/**
 * Originating a serf user event (gossip-wire.md §7.6): stamped with the
 * event clock, size-checked, delivered to ourselves and queued for gossip.
 *
 * @module
 */
import { receiveUserEvent, type SerfCore } from "./serf_dispatch.ts";
import { encodeSerfMessage } from "./serf_messages.ts";

/**
 * Sends a user event to every member (ourselves included).
 *
 * @param core The member's state.
 * @param name Event name.
 * @param payload Event payload.
 * @param coalesce Whether receivers may coalesce it.
 * @throws {RangeError} When the encoded event exceeds `userEventSizeLimit`
 * (nothing is sent and the event clock is unchanged).
 */
export function sendSerfEvent(
  core: SerfCore,
  name: string,
  payload: Uint8Array,
  coalesce: boolean,
): void {
  const { events, config } = core;
  const msg = {
    type: "userEvent",
    lTime: events.clock.time(),
    name,
    payload,
    cc: coalesce,
  } as const;
  const bytes = encodeSerfMessage(msg);
  if (bytes.length > config.userEventSizeLimit) {
    throw new RangeError(
      `Cannot send event "${name}": ${bytes.length} bytes exceed ${config.userEventSizeLimit}`,
    );
  }
  events.clock.increment();
  receiveUserEvent(core, msg);
  core.queues.queue("event", bytes);
}
