/**
 * The logging interface library code writes to; only the CLI prints.
 *
 * @module
 */

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** Severity, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Every level in order of severity. */
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

/** A named logger. The default ({@link noopLogger}) discards everything. */
export interface Logger {
  /** Normal churn, useful when tracing. */
  debug(message: string, fields?: LogFields): void;
  /** Lifecycle: started, joined, left. */
  info(message: string, fields?: LogFields): void;
  /** Something odd that needs no action yet. */
  warn(message: string, fields?: LogFields): void;
  /** Something an operator must act on. */
  error(message: string, fields?: LogFields): void;
  /**
   * A logger for a sub-component; its name is appended to this one's.
   *
   * @param name Component name, e.g. `gossip`.
   */
  child(name: string): Logger;
}

/**
 * A logger that drops every line.
 *
 * @example
 * ```ts
 * import { noopLogger } from "./logger.ts";
 * noopLogger.child("gossip").info("ignored");
 * ```
 */
export const noopLogger: Logger = {
  debug(): void {},
  info(): void {},
  warn(): void {},
  error(): void {},
  child(): Logger {
    return noopLogger;
  },
};
