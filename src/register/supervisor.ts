/**
 * Runs the wrapped command of `registry register -- cmd args`: spawns it
 * without a shell, stops it gracefully (leave, drain, forward the signal,
 * SIGKILL after a timeout), passes other signals through, and maps how it
 * ended to an exit code the way shells do.
 *
 * @module
 */
import type { CancelTimer, Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";

/** How a child ended: its exit code, or the signal that killed it. */
export interface ChildExit {
  /** The exit code (Deno reports 128 + n for a signal). */
  readonly code: number;
  /** The signal that killed it, or `null`. */
  readonly signal: Deno.Signal | null;
}

/** A running child process, as the supervisor sees it. */
export interface ChildHandle {
  /** Its process id. */
  readonly pid: number;
  /** Resolves once when it exits. */
  readonly status: Promise<ChildExit>;
  /** Sends a signal; throws when the process is gone. */
  kill(signal: Deno.Signal): void;
}

/** Starts a child; throws `Deno.errors.NotFound` or another error when it cannot run. */
export type SpawnChild = (command: readonly string[], env: Record<string, string>) => ChildHandle;

/** Exit code when the command does not exist, as in shells. */
export const EXIT_NOT_FOUND = 127;
/** Exit code when the command exists but cannot be run, as in shells. */
export const EXIT_CANNOT_RUN = 126;

/** Linux signal numbers, for the `128 + n` exit code. */
const SIGNAL_NUMBERS: Readonly<Partial<Record<Deno.Signal, number>>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
};

/**
 * The exit code to report for a finished child: its own code, or 128 + the
 * signal number when a signal killed it.
 *
 * @param exit How the child ended.
 * @returns The exit code.
 * @example
 * ```ts
 * import { exitCodeOf } from "./supervisor.ts";
 * exitCodeOf({ code: 0, signal: "SIGTERM" }); // 143
 * ```
 */
export function exitCodeOf(exit: ChildExit): number {
  const n = exit.signal === null ? undefined : SIGNAL_NUMBERS[exit.signal];
  return n === undefined ? exit.code : 128 + n;
}

/**
 * Spawns a real process with inherited stdio and environment plus `env`.
 *
 * @param command Program and arguments; the program is looked up in `PATH`, no shell.
 * @param env Variables added to the inherited environment.
 * @returns The running child.
 * @throws {Deno.errors.NotFound} When the program does not exist.
 * @throws {Deno.errors.PermissionDenied} When it cannot be executed.
 */
export function spawnProcess(command: readonly string[], env: Record<string, string>): ChildHandle {
  const child = new Deno.Command(command[0], {
    args: command.slice(1),
    env,
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  return {
    pid: child.pid,
    status: child.status.then((s) => ({ code: s.code, signal: s.signal })),
    kill: (signal) => child.kill(signal),
  };
}

/** Options of {@link Supervisor.start}. */
export interface SupervisorOptions {
  /** Program and arguments. */
  readonly command: readonly string[];
  /** Variables added to the child's environment. */
  readonly env: Record<string, string>;
  /** Wait between leaving and forwarding a stop signal, so clients stop picking the service. */
  readonly drainMs: number;
  /** Wait after forwarding a stop signal before SIGKILL. */
  readonly killTimeoutMs: number;
  /** Runs before draining on a stop signal (the graceful leave); errors are logged. */
  readonly beforeStop: () => Promise<void>;
  /** Time source for the drain and the kill timeout. */
  readonly clock: Clock;
  /** Where the supervisor logs. */
  readonly logger: Logger;
  /** Starts the child. @default spawnProcess */
  readonly spawn?: SpawnChild;
}

/**
 * Owns one child process from spawn to exit.
 *
 * @example
 * ```ts ignore
 * const sup = Supervisor.start({ command: ["sleep", "30"], env: {}, drainMs: 1000,
 *   killTimeoutMs: 10_000, beforeStop: () => reg.leave(), clock: systemClock, logger });
 * sup.stop("SIGTERM");
 * const code = await sup.exitCode; // 143
 * ```
 */
export class Supervisor {
  #options: SupervisorOptions;
  #child: ChildHandle | undefined;
  #exited = false;
  #stopping = false;
  #forwarded = false;
  #skipDrain = false;
  #timers: CancelTimer[] = [];
  #drainDone: (() => void) | undefined;
  /** Resolves with the exit code to report once the child has exited (or could not start). */
  readonly exitCode: Promise<number>;

  private constructor(options: SupervisorOptions) {
    this.#options = options;
    this.exitCode = this.#spawn();
  }

  /**
   * Spawns the command. A command that cannot start is not an exception: its
   * {@link exitCode} is 127 (not found) or 126 (cannot run), and the reason is logged.
   *
   * @param options Command, environment, timings and hooks.
   * @returns The supervisor.
   * @throws {TypeError} When the command is empty.
   */
  static start(options: SupervisorOptions): Supervisor {
    if (options.command.length === 0) throw new TypeError("Cannot run command: it is empty");
    return new Supervisor(options);
  }

  /** The child's process id, or `undefined` when it could not start. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /**
   * Stops the child gracefully: leave, drain, forward `signal`, then SIGKILL
   * after the kill timeout. A second stop signal skips the rest of the drain.
   *
   * @param signal `SIGTERM` or `SIGINT`, as received.
   */
  stop(signal: Deno.Signal): void {
    if (this.#exited) return;
    if (this.#stopping) {
      this.#skipDrain = true;
      this.#drainDone?.();
      return;
    }
    this.#stopping = true;
    void this.#stopSequence(signal);
  }

  /**
   * Passes a signal straight to the child.
   *
   * @param signal Any signal.
   */
  forward(signal: Deno.Signal): void {
    if (this.#exited || this.#child === undefined) return;
    try {
      this.#child.kill(signal);
    } catch (e) {
      // The child exited between our check and the kill; its exit is handled elsewhere.
      this.#options.logger.debug("Cannot signal child", { signal, error: String(e) });
    }
  }

  async #spawn(): Promise<number> {
    const { command, logger } = this.#options;
    try {
      this.#child = (this.#options.spawn ?? spawnProcess)(command, this.#options.env);
    } catch (e) {
      this.#exited = true;
      const notFound = e instanceof Deno.errors.NotFound;
      logger.error(`Cannot run command "${command[0]}": ${notFound ? "not found" : String(e)}`);
      return notFound ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
    }
    const exit = await this.#child.status;
    this.#exited = true;
    for (const cancel of this.#timers) cancel();
    this.#drainDone?.();
    const code = exitCodeOf(exit);
    logger.info("Command exited", { pid: this.#child.pid, code, signal: exit.signal });
    return code;
  }

  async #stopSequence(signal: Deno.Signal): Promise<void> {
    const { beforeStop, clock, drainMs, killTimeoutMs, logger } = this.#options;
    try {
      await beforeStop();
    } catch (e) {
      // The stop must go on even if the leave failed.
      logger.warn("Cannot leave before stopping", { error: String(e) });
    }
    if (this.#exited) return;
    if (!this.#skipDrain) {
      await new Promise<void>((resolve) => {
        this.#drainDone = resolve;
        this.#timers.push(clock.setTimer(drainMs, resolve));
      });
    }
    if (this.#exited || this.#forwarded) return;
    this.#forwarded = true;
    logger.info("Stopping command", { pid: this.#child?.pid, signal });
    this.forward(signal);
    this.#timers.push(clock.setTimer(killTimeoutMs, () => {
      logger.warn("Command did not stop in time: killing it", { pid: this.#child?.pid });
      this.forward("SIGKILL");
    }));
  }
}
