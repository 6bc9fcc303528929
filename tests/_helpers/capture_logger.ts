/**
 * A {@link Logger} that keeps every line, for tests that check what was logged.
 *
 * @module
 */
import type { LogFields, Logger } from "../../src/logger.ts";

/** One captured log line. */
export interface LogLine {
  level: string;
  message: string;
  fields: LogFields;
}

/**
 * Creates a logger that appends every line (children included) to `lines`.
 *
 * @param lines Where lines go.
 * @returns The logger.
 */
export function captureLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (message: string, fields: LogFields = {}): void => {
    lines.push({ level, message, fields });
  };
  const logger: Logger = {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: () => logger,
  };
  return logger;
}
