/**
 * The watchers of each group, and delivery of watch events to them.
 *
 * @module
 */
import type { WatchEvent } from "../../lib/types.ts";
import type { Logger } from "../logger.ts";

/** Receives the events of one watched group. */
export type WatchListener = (event: WatchEvent) => void;

/**
 * Listeners by group. A throwing listener is logged and skipped, so one bad
 * watcher never stops the others or the gossip loop that emits.
 *
 * @example
 * ```ts
 * import { WatchHub } from "./watch_hub.ts";
 * import { noopLogger } from "../logger.ts";
 * const hub = new WatchHub(noopLogger);
 * const stop = hub.add("web", (e) => console.log(e.type));
 * hub.emit({ type: "join", group: "web", version: 1, services: [] });
 * stop();
 * ```
 */
export class WatchHub {
  readonly #logger: Logger;
  readonly #byGroup = new Map<string, Set<WatchListener>>();

  /**
   * Creates a hub without listeners.
   *
   * @param logger Where failing listeners are reported.
   */
  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Listeners over every group. */
  get count(): number {
    let count = 0;
    for (const set of this.#byGroup.values()) count += set.size;
    return count;
  }

  /**
   * Adds a listener to a group.
   *
   * @param group The group.
   * @param listener Called with each event of the group.
   * @returns A function that removes the listener.
   */
  add(group: string, listener: WatchListener): () => void {
    let set = this.#byGroup.get(group);
    if (set === undefined) this.#byGroup.set(group, set = new Set());
    set.add(listener);
    return () => {
      const current = this.#byGroup.get(group);
      if (current?.delete(listener) && current.size === 0) this.#byGroup.delete(group);
    };
  }

  /**
   * Tells whether a group has listeners, so callers can skip building events.
   *
   * @param group The group.
   * @returns Whether anyone watches it.
   */
  watched(group: string): boolean {
    return this.#byGroup.has(group);
  }

  /**
   * Delivers an event to every listener of its group.
   *
   * @param event The event.
   */
  emit(event: WatchEvent): void {
    const listeners = this.#byGroup.get(event.group);
    if (listeners === undefined) return;
    for (const listener of [...listeners]) this.deliver(listener, event);
  }

  /**
   * Delivers an event to one listener, logging (not throwing) its failure.
   *
   * @param listener The listener.
   * @param event The event.
   */
  deliver(listener: WatchListener, event: WatchEvent): void {
    try {
      listener(event);
    } catch (e) {
      // One failing watcher must not stop the others or the gossip loop feeding us.
      this.#logger.error("Watch listener failed", { group: event.group, error: String(e) });
    }
  }
}
