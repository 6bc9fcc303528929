/**
 * The only logger that writes anywhere: lines to the CLI's stderr, as text
 * or JSON, at or above a level.
 *
 * @module
 */
import { LOG_LEVELS, type LogFields, type Logger, type LogLevel } from "../logger.ts";

/** Options of {@link consoleLogger}. */
export interface ConsoleLoggerOptions {
  /** Lowest level written. @default "info" */
  readonly level?: LogLevel;
  /** `text` (`time level [name] message k=v`) or one JSON object per line. @default "text" */
  readonly format?: "text" | "json";
  /** Where lines go (a newline is appended). */
  readonly write: (line: string) => void;
  /** Milliseconds since the epoch, for timestamps. @default Date.now */
  readonly now?: () => number;
}

/**
 * Creates a logger that writes lines through `options.write`.
 *
 * @param options Level, format and sink.
 * @param name Component name shown on each line.
 * @returns A {@link Logger}.
 */
export function consoleLogger(options: ConsoleLoggerOptions, name = "registry"): Logger {
  const min = LOG_LEVELS.indexOf(options.level ?? "info");
  const now = options.now ?? Date.now;
  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const time = new Date(now()).toISOString();
    options.write(
      options.format === "json"
        ? JSON.stringify({ time, level, logger: name, message, ...fields })
        : `${time} ${level.toUpperCase().padEnd(5)} [${name}] ${message}${formatFields(fields)}`,
    );
  };
  return {
    debug: (message, fields) => emit("debug", message, fields),
    info: (message, fields) => emit("info", message, fields),
    warn: (message, fields) => emit("warn", message, fields),
    error: (message, fields) => emit("error", message, fields),
    child: (child) => consoleLogger(options, `${name}.${child}`),
  };
}

function formatFields(fields?: LogFields): string {
  if (!fields) return "";
  const parts = Object.entries(fields).map(([k, v]) =>
    `${k}=${typeof v === "string" && !/\s/.test(v) ? v : JSON.stringify(v)}`
  );
  return parts.length ? " " + parts.join(" ") : "";
}
