/**
 * A hand-driven {@link Clock} for protocol tests: time moves only when the
 * test calls `advance()`, and due timers run in time order (ties in the order
 * they were set).
 *
 * @module
 */
import type { CancelTimer, Clock } from "../../src/clock.ts";

interface Timer {
  readonly at: number;
  readonly seq: number;
  fn: (() => void) | null;
}

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  #now: number;
  #heap: Timer[] = [];
  #seq = 0;

  /**
   * Creates a clock.
   *
   * @param startMs The initial time.
   */
  constructor(startMs = 0) {
    this.#now = startMs;
  }

  /** The current time (ms). */
  now(): number {
    return this.#now;
  }

  /** Timers not yet fired or cancelled (cancelled ones may linger until popped). */
  get pendingTimers(): number {
    return this.#heap.length;
  }

  /**
   * Schedules `fn` at `now + ms`.
   *
   * @param ms Delay (negative counts as 0).
   * @param fn What to run.
   * @returns Cancels the timer.
   */
  setTimer(ms: number, fn: () => void): CancelTimer {
    const t: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#push(t);
    return () => {
      t.fn = null;
    };
  }

  /**
   * Moves time forward by `ms`, running every timer that falls due, in order.
   * Timers set while running also run if they fall due within the window.
   *
   * @param ms How far to move.
   * @returns How many timers ran.
   */
  advance(ms: number): number {
    const end = this.#now + ms;
    let ran = 0;
    while (this.#heap.length > 0 && this.#heap[0].at <= end) {
      const t = this.#pop();
      if (!t.fn) continue;
      this.#now = Math.max(this.#now, t.at);
      const fn = t.fn;
      t.fn = null;
      fn();
      ran++;
    }
    this.#now = end;
    return ran;
  }

  /**
   * Advances in `stepMs` steps until `pred()` holds or `maxMs` passed.
   *
   * @param pred The condition.
   * @param maxMs The most time to move.
   * @param stepMs Step size.
   * @returns Whether `pred()` held.
   */
  runUntil(pred: () => boolean, maxMs: number, stepMs = 10): boolean {
    const end = this.#now + maxMs;
    while (!pred()) {
      if (this.#now >= end) return false;
      this.advance(Math.min(stepMs, end - this.#now));
    }
    return true;
  }

  #less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  #push(t: Timer): void {
    const h = this.#heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  #pop(): Timer {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && this.#less(h[l], h[m])) m = l;
        if (r < h.length && this.#less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
