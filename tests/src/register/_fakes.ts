/**
 * Fakes shared by the register tests: a manual clock, a scripted gossip
 * agent, and a scripted child process.
 *
 * @module
 */
import type { CancelTimer, Clock } from "../../../src/clock.ts";
import type {
  AgentStartOptions,
  RegistrationAgent,
  StartAgent,
} from "../../../src/register/registration_agent.ts";
import type { ChildExit, ChildHandle } from "../../../src/register/supervisor.ts";

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  #now = 0;
  #timers: { at: number; fn: () => void; seq: number }[] = [];
  #seq = 0;

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, fn: () => void): CancelTimer {
    const timer = { at: this.#now + Math.max(0, ms), fn, seq: this.#seq++ };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** Number of pending timers. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward, firing due timers in order and letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (let i = 0; i < 10_000; i++) {
      await settle();
      const due = this.#timers.filter((t) => t.at <= end).sort((a, b) =>
        a.at - b.at || a.seq - b.seq
      );
      if (due.length === 0) break;
      const next = due[0];
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = next.at;
      next.fn();
    }
    this.#now = end;
    await settle();
  }
}

/** Lets queued promise callbacks run (a bounded number of macrotask turns). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setTimeout(r, 0));
}

/** One call recorded by {@link FakeAgents}. */
export type AgentCall =
  | { readonly op: "start"; readonly options: AgentStartOptions }
  | { readonly op: "join"; readonly addrs: string[] }
  | { readonly op: "leave" | "close"; readonly agent: number }
  | { readonly op: "setTags"; readonly tags: Record<string, string> };

/** A factory of scripted agents that records every call. */
export class FakeAgents {
  /** Every call, in order. */
  readonly calls: AgentCall[] = [];
  /** When true, join rejects with JOIN_FAILED. */
  joinFails = false;
  /** When set, start rejects with it. */
  startError: Error | undefined;
  /** When set, leave waits for it before answering. */
  leaveGate: Promise<void> | undefined;
  /** When set, start waits for it before answering. */
  startGate: Promise<void> | undefined;
  /** The advertise address agents report. */
  advertiseAddr = "10.1.2.3:41000";
  #count = 0;

  /** The factory to pass as `startAgent`. */
  readonly start: StartAgent = async (options) => {
    this.calls.push({ op: "start", options });
    await this.startGate;
    if (this.startError) throw this.startError;
    const id = ++this.#count;
    const calls = this.calls;
    const agent: RegistrationAgent = {
      advertiseAddr: this.advertiseAddr,
      join: (addrs) => {
        calls.push({ op: "join", addrs });
        if (this.joinFails) return Promise.reject(new Error("no seed answered"));
        return Promise.resolve(addrs.length);
      },
      leave: async () => {
        calls.push({ op: "leave", agent: id });
        await this.leaveGate;
      },
      close: () => {
        calls.push({ op: "close", agent: id });
        return Promise.resolve();
      },
      setTags: (tags) => {
        calls.push({ op: "setTags", tags });
        return Promise.resolve();
      },
    };
    return agent;
  };

  /** The ops recorded so far, e.g. `["start", "join"]`. */
  ops(): string[] {
    return this.calls.map((c) => c.op);
  }
}

/** A scripted child: records signals, exits when told. */
export class FakeChild implements ChildHandle {
  readonly pid = 4242;
  readonly signals: Deno.Signal[] = [];
  readonly status: Promise<ChildExit>;
  #exit!: (exit: ChildExit) => void;
  #gone = false;
  /** When set, the child exits (killed by that signal) as soon as it receives one of these. */
  diesOn: Deno.Signal[] = [];

  constructor() {
    this.status = new Promise((resolve) => this.#exit = resolve);
  }

  kill(signal: Deno.Signal): void {
    if (this.#gone) throw new TypeError("Child process has already terminated");
    this.signals.push(signal);
    if (signal === "SIGKILL" || this.diesOn.includes(signal)) this.exit({ code: 0, signal });
  }

  /** Makes the child exit. */
  exit(exit: ChildExit): void {
    this.#gone = true;
    this.#exit(exit);
  }
}
