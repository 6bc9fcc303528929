/**
 * Flag parsing shared by every subcommand, on top of `node:util` parseArgs.
 *
 * Accepts GNU style (`--id x`, `--id=x`) and the Go original's single-dash
 * long flags (`-id x`, `-id=x`); unknown flags are usage errors.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** One flag's definition. */
export interface FlagDef {
  /** `string` takes a value; `boolean` does not. */
  readonly type: "string" | "boolean";
  /** A one-letter alias (`-h`). */
  readonly short?: string;
  /** Whether the flag may repeat (values collected in order). */
  readonly multiple?: boolean;
}

/** Flag definitions by long name. */
export type FlagSpec = Readonly<Record<string, FlagDef>>;

/** The result of {@link parseFlags}. */
export interface ParsedFlags {
  /** Flag values by long name; absent flags are missing. */
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  /** Positional arguments before `--`. */
  readonly positionals: readonly string[];
  /** Everything after the first `--` (a wrapped command), or `undefined` when there is none. */
  readonly rest: readonly string[] | undefined;
}

/** A command-line usage mistake; the CLI prints it and exits 2. */
export class UsageError extends Error {
  /**
   * @param message What was wrong, e.g. `Unknown flag "--foo"`.
   */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Parses `args` against `spec`.
 *
 * @param args The arguments after the subcommand name.
 * @param spec The flags the command accepts.
 * @returns Values, positionals and the part after `--`.
 * @throws {UsageError} On an unknown flag, a missing value or a value given to a boolean.
 */
export function parseFlags(args: readonly string[], spec: FlagSpec): ParsedFlags {
  const dashDash = args.indexOf("--");
  const head = dashDash === -1 ? args : args.slice(0, dashDash);
  const rest = dashDash === -1 ? undefined : args.slice(dashDash + 1);
  const normalized = head.map((arg) => normalizeSingleDash(arg, spec));
  const unknown = normalized.find((arg, i) =>
    isUnknownSingleDash(arg, spec) && !takesValue(normalized[i - 1], spec)
  );
  if (unknown !== undefined) throw new UsageError(`Unknown flag "${unknown.split("=", 1)[0]}"`);
  try {
    const { values, positionals } = parseArgs({
      args: normalized,
      options: spec as Record<string, FlagDef>,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedFlags["values"], positionals, rest };
  } catch (e) {
    throw new UsageError(usageMessage(e));
  }
}

/** `-id` → `--id` when `id` is a long flag name (the Go original's style). */
function normalizeSingleDash(arg: string, spec: FlagSpec): string {
  if (!arg.startsWith("-") || arg.startsWith("--") || arg.length <= 2) return arg;
  const name = arg.slice(1).split("=", 1)[0];
  return Object.hasOwn(spec, name) ? `-${arg}` : arg;
}

/**
 * `-foo` that is neither a long flag (already normalized) nor starts with a
 * short alias: report it whole, not as parseArgs' `-f`.
 */
function isUnknownSingleDash(arg: string, spec: FlagSpec): boolean {
  if (!arg.startsWith("-") || arg.startsWith("--") || arg.length <= 2) return false;
  return !Object.values(spec).some((def) => def.short === arg[1]);
}

/** Whether `arg` is a string flag whose value is the next argument (`--id x`). */
function takesValue(arg: string | undefined, spec: FlagSpec): boolean {
  if (arg === undefined || !arg.startsWith("--") || arg.includes("=")) return false;
  return spec[arg.slice(2)]?.type === "string";
}

function usageMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const unknown = text.match(/Unknown option '([^']+)'/);
  if (unknown) return `Unknown flag "${unknown[1]}"`;
  const missing = text.match(/Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/);
  if (missing) return `Flag "${missing[1]}" needs a value`;
  const noValue = text.match(/Option '(?:-\w, )?(--[\w-]+)' does not take an argument/);
  if (noValue) return `Flag "${noValue[1]}" takes no value`;
  const ambiguous = text.match(/Option '(?:-\w, )?(--[\w-]+)' argument is ambiguous/);
  if (ambiguous) {
    const flag = ambiguous[1];
    return `Flag "${flag}" needs a value; write ${flag}=-value for one that starts with "-"`;
  }
  return text.split("\n")[0];
}

/**
 * Reads a string flag, or `fallback` when absent.
 *
 * @param flags Parsed flags.
 * @param name The long flag name.
 * @param fallback The default.
 * @returns The value.
 */
export function stringFlag(flags: ParsedFlags, name: string, fallback: string): string;
/** Reads a string flag, or `undefined` when absent. */
export function stringFlag(flags: ParsedFlags, name: string): string | undefined;
export function stringFlag(
  flags: ParsedFlags,
  name: string,
  fallback?: string,
): string | undefined {
  const value = flags.values[name];
  if (Array.isArray(value)) return value[value.length - 1] ?? fallback;
  return typeof value === "string" ? value : fallback;
}

/**
 * Parses a duration flag such as `500ms`, `2s`, `1m` or a bare number of milliseconds.
 *
 * @param text The flag value.
 * @param flag The flag name, for the error message.
 * @returns Milliseconds.
 * @throws {UsageError} When the text is not a non-negative duration.
 */
export function parseDurationMs(text: string, flag: string): number {
  const m = text.trim().match(/^(\d+(?:\.\d+)?)(ms|s|m|h)?$/);
  if (!m) {
    throw new UsageError(`Flag "${flag}" needs a duration like 500ms, 2s or 1m: got "${text}"`);
  }
  const scale = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? "ms"] ?? 1;
  return Math.round(Number(m[1]) * scale);
}
