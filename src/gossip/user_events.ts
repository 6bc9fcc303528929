/**
 * Serf user-event dedupe (gossip-wire.md §7.6): a ring of slots indexed by
 * event-clock time, each holding the (name, payload) pairs seen at that time,
 * plus a minimum time below which events are ignored.
 *
 * @module
 */
import { LamportClock } from "./lamport_clock.ts";

/** One user event as it travels (serf `messageUserEvent`). */
export interface UserEventMessage {
  /** Event-clock time. */
  readonly lTime: number;
  /** Event name. */
  readonly name: string;
  /** Opaque payload. */
  readonly payload: Uint8Array;
  /** Whether the receiver may coalesce it. */
  readonly cc: boolean;
}

/** One ring slot, also the push-pull `userEvents` entry. */
export interface UserEventSlot {
  /** The event-clock time of every event in the slot. */
  readonly lTime: number;
  /** The distinct events seen at that time. */
  readonly events: ReadonlyArray<{ readonly name: string; readonly payload: Uint8Array }>;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The event clock and dedupe ring.
 *
 * @example
 * ```ts
 * import { UserEventBuffer } from "./user_events.ts";
 * const buf = new UserEventBuffer(512);
 * const e = { lTime: 3, name: "deploy", payload: new Uint8Array(), cc: false };
 * buf.receive(e); // true: new
 * buf.receive(e); // false: duplicate
 * ```
 */
export class UserEventBuffer {
  /** The event clock. */
  readonly clock: LamportClock = new LamportClock();
  #slots: (UserEventSlot | null)[];
  #minTime = 0;

  /**
   * Creates an empty ring.
   *
   * @param size Number of slots (serf: 512).
   * @throws {RangeError} When `size` is not a positive integer.
   */
  constructor(size: number) {
    if (!Number.isInteger(size) || size <= 0) {
      throw new RangeError(`Cannot create an event buffer of "${size}" slots: must be positive`);
    }
    this.#slots = new Array(size).fill(null);
  }

  /** Events older than this are ignored (raised by a join that ignores old events). */
  get minTime(): number {
    return this.#minTime;
  }

  /**
   * Raises the minimum time; never lowers it.
   *
   * @param t The new minimum.
   */
  raiseMinTime(t: number): void {
    if (t > this.#minTime) this.#minTime = t;
  }

  /**
   * Records an event: witnesses its time, drops it when too old or already
   * seen, otherwise stores it.
   *
   * @param event The received event.
   * @returns `true` when it is new (deliver and re-gossip it).
   */
  receive(event: UserEventMessage): boolean {
    this.clock.witness(event.lTime);
    if (event.lTime < this.#minTime) return false;
    const size = this.#slots.length;
    const now = this.clock.time();
    if (now > size && event.lTime < now - size) return false;
    const index = event.lTime % size;
    const slot = this.#slots[index];
    const entry = { name: event.name, payload: event.payload };
    if (slot !== null && slot.lTime === event.lTime) {
      const dup = slot.events.some((e) =>
        e.name === entry.name && sameBytes(e.payload, entry.payload)
      );
      if (dup) return false;
      this.#slots[index] = { lTime: slot.lTime, events: [...slot.events, entry] };
    } else {
      this.#slots[index] = { lTime: event.lTime, events: [entry] };
    }
    return true;
  }

  /**
   * The ring for a push-pull, `null` for empty slots.
   *
   * @returns A copy of every slot.
   */
  slots(): (UserEventSlot | null)[] {
    return [...this.#slots];
  }
}
