/**
 * The shape every subcommand module has.
 *
 * @module
 */
import type { CliIo } from "./io.ts";

/** A subcommand: its help text and its entry point. */
export interface Command {
  /** One line for the top-level help. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  /**
   * Runs the command.
   *
   * @param args Arguments after the subcommand name.
   * @param io The process surface.
   * @returns The exit code; the command never exits the process itself.
   */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Exit codes shared by every command (see the README). */
export const EXIT = {
  /** Success (query: found). */
  OK: 0,
  /** Runtime error (query: no live service). */
  FAILURE: 1,
  /** Usage error. */
  USAGE: 2,
  /** Query: no registry reachable or ready, or a server error. */
  UNAVAILABLE: 3,
} as const;
