/**
 * The flags of `registry register`: parsed and checked once, into
 * registration options plus the command and its stop timings.
 *
 * @module
 */
import type { CliIo } from "./io.ts";
import { type FlagSpec, parseDurationMs, parseFlags, stringFlag, UsageError } from "./flags.ts";
import { consoleLogger } from "./console_logger.ts";
import { readEncryptKeys } from "./encrypt_flag.ts";
import { LOG_LEVELS, type Logger, type LogLevel } from "../logger.ts";
import type { RegisterOptions } from "../register/register_options.ts";

const FLAGS: FlagSpec = {
  group: { type: "string" },
  addr: { type: "string" },
  id: { type: "string" },
  registries: { type: "string" },
  bind: { type: "string" },
  "bind-advertise": { type: "string" },
  tag: { type: "string", multiple: true },
  weight: { type: "string" },
  encrypt: { type: "string" },
  "encrypt-file": { type: "string" },
  check: { type: "string" },
  "check-interval": { type: "string" },
  "check-rise": { type: "string" },
  drain: { type: "string" },
  "kill-timeout": { type: "string" },
  profile: { type: "string" },
  "log-level": { type: "string" },
  "log-format": { type: "string" },
};

/** Settings of the `register` command beyond the registration itself. */
export interface RegisterCommandSettings {
  /** Registration options, logger included. */
  readonly options: RegisterOptions;
  /** The wrapped command, or `undefined`. */
  readonly command: readonly string[] | undefined;
  /** Drain before forwarding a stop signal. */
  readonly drainMs: number;
  /** Wait before SIGKILL. */
  readonly killTimeoutMs: number;
  /** The CLI's logger. */
  readonly logger: Logger;
}

/**
 * Parses and checks `register`'s flags.
 *
 * @param args Arguments after `register`.
 * @param io For the environment, stderr and reading the key file.
 * @returns Registration options (unresolved), the command and the stop timings.
 * @throws {UsageError} On any flag problem.
 */
export async function parseRegisterFlags(
  args: string[],
  io: CliIo,
): Promise<RegisterCommandSettings> {
  const flags = parseFlags(args, FLAGS);
  if (flags.positionals.length > 0) {
    throw new UsageError(`Unexpected argument "${flags.positionals[0]}": put a command after --`);
  }
  if (flags.rest !== undefined && flags.rest.length === 0) {
    throw new UsageError('Expected a command after "--"');
  }
  const group = requiredFlag(flags, "group");
  const addr = requiredFlag(flags, "addr");
  const logger = makeLogger(flags, io);
  const registries = stringFlag(flags, "registries");
  const options: RegisterOptions = {
    group,
    addr,
    id: stringFlag(flags, "id"),
    registries: registries === undefined ? undefined : registries.split(","),
    bind: stringFlag(flags, "bind"),
    bindAdvertise: stringFlag(flags, "bind-advertise"),
    tags: parseTags((flags.values.tag as string[] | undefined) ?? []),
    weight: numberFlag(flags, "weight", 1, false),
    encryptKeys: await readEncryptKeys(flags, io),
    check: stringFlag(flags, "check", "none"),
    checkIntervalMs: positiveDuration(flags, "check-interval", "5s"),
    checkRise: numberFlag(flags, "check-rise", 2, true),
    profile: oneOf(flags, "profile", ["lan", "local"] as const, "lan"),
    logger,
  };
  return {
    options,
    command: flags.rest,
    drainMs: parseDurationMs(stringFlag(flags, "drain", "1s"), "--drain"),
    killTimeoutMs: positiveDuration(flags, "kill-timeout", "10s"),
    logger,
  };
}

function makeLogger(flags: ReturnType<typeof parseFlags>, io: CliIo): Logger {
  const level = oneOf(flags, "log-level", LOG_LEVELS as readonly LogLevel[], "info");
  const format = oneOf(flags, "log-format", ["text", "json"] as const, "text");
  return consoleLogger({ level, format, write: (line) => io.stderr(line + "\n") });
}

function requiredFlag(flags: ReturnType<typeof parseFlags>, name: string): string {
  const value = stringFlag(flags, name);
  if (value === undefined || value.trim() === "") {
    throw new UsageError(`Flag "--${name}" is required`);
  }
  return value;
}

function oneOf<T extends string>(
  flags: ReturnType<typeof parseFlags>,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = stringFlag(flags, name, fallback);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`Flag "--${name}" must be one of ${allowed.join(", ")}: got "${value}"`);
  }
  return value as T;
}

function numberFlag(
  flags: ReturnType<typeof parseFlags>,
  name: string,
  fallback: number,
  integer: boolean,
): number {
  const text = stringFlag(flags, name);
  if (text === undefined) return fallback;
  const pattern = integer ? /^\d+$/ : /^\d+(\.\d+)?$/;
  const value = Number(text);
  if (!pattern.test(text.trim()) || !(value > 0)) {
    const kind = integer ? "a positive integer" : "a positive number";
    throw new UsageError(`Flag "--${name}" must be ${kind}: got "${text}"`);
  }
  return value;
}

function positiveDuration(
  flags: ReturnType<typeof parseFlags>,
  name: string,
  fallback: string,
): number {
  const ms = parseDurationMs(stringFlag(flags, name, fallback), `--${name}`);
  if (ms <= 0) throw new UsageError(`Flag "--${name}" must be above zero`);
  return ms;
}

/**
 * Parses repeated `--tag key=value` flags (split at the first `=`; the last of a key wins).
 *
 * @param pairs The flag values.
 * @returns The tags.
 * @throws {UsageError} When a pair has no `=` or an empty key.
 */
export function parseTags(pairs: readonly string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`Flag "--tag" needs KEY=VALUE: got "${pair}"`);
    tags[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return tags;
}
