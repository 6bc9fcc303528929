/**
 * What the query commands (`match`, `members`, `watch`) share: their flags,
 * where the registry address comes from, output formats and exit codes.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import { parseHostPort } from "../net_addr.ts";
import { EXIT } from "./command.ts";
import {
  type FlagSpec,
  type ParsedFlags,
  parseDurationMs,
  parseFlags,
  stringFlag,
  UsageError,
} from "./flags.ts";
import type { CliIo } from "./io.ts";

/** The registry asked when neither `--rpc-addr` nor the environment says. */
export const DEFAULT_RPC_ADDR = "127.0.0.1:9800";

/** The environment variable that names the registries to ask. */
export const RPC_ADDR_ENV = "REGISTRY_RPC_ADDR";

/** The per-call deadline when `--timeout` is not given. */
export const DEFAULT_QUERY_TIMEOUT = "5s";

/** Flags every query command accepts. */
export const QUERY_FLAGS: FlagSpec = {
  "rpc-addr": { type: "string" },
  timeout: { type: "string" },
  format: { type: "string" },
};

/** The resolved common flags of a query command. */
export interface QueryOptions {
  /** Registry RPC addresses, in failover order. */
  readonly addrs: readonly string[];
  /** Per-call deadline in milliseconds. */
  readonly timeoutMs: number;
  /** Output format. */
  readonly format: "text" | "json";
}

/** The help lines of `--rpc-addr`, aligned like the rest of the help. */
export const RPC_ADDR_FLAG_HELP: string = [
  "  --rpc-addr <host:port[,host:port...]>",
  "                        Registry nodes to ask, tried in order (failover).",
  `                        Default: $${RPC_ADDR_ENV}, else ${DEFAULT_RPC_ADDR}`,
].join("\n");

/** The help line of `-h, --help`, aligned like the rest of the help. */
export const HELP_FLAG_HELP = "  -h, --help            Show this help";

/** The last help line of every query command: how errors are printed. */
export const ERROR_LINE_HELP =
  "Errors are printed to stderr as one line: error: <message> (<CODE>)";

/** The help lines of the common flags, aligned like the rest of the help. */
export const QUERY_FLAGS_HELP: string = [
  RPC_ADDR_FLAG_HELP,
  `  --timeout <duration>  Deadline of each call, e.g. 500ms, 2s (default ${DEFAULT_QUERY_TIMEOUT})`,
  "  --format <text|json>  Output format (default text)",
  HELP_FLAG_HELP,
].join("\n");

/** The help section on exit codes, shared by every query command. */
export const QUERY_EXIT_HELP: string = [
  "Exit codes:",
  "  0  found",
  "  1  no live service (NO_SERVICE: the group is unknown or empty)",
  "  2  usage error",
  "  3  no registry could be reached, none was ready (NOT_READY), or it answered",
  "     with another error",
  ERROR_LINE_HELP,
].join("\n");

/**
 * Resolves `--rpc-addr` (else `$REGISTRY_RPC_ADDR`, else the default),
 * `--timeout` and `--format`.
 *
 * @param flags The parsed flags.
 * @param io For the environment.
 * @returns The options.
 * @throws {UsageError} On a malformed address, duration or format.
 */
export function resolveQueryOptions(flags: ParsedFlags, io: CliIo): QueryOptions {
  // The environment is read only without the flag, so --rpc-addr needs no --allow-env.
  const text = stringFlag(flags, "rpc-addr") ?? envAddrs(io) ?? DEFAULT_RPC_ADDR;
  const addrs = text.split(",").map((a) => a.trim()).filter((a) => a !== "");
  if (addrs.length === 0) throw new UsageError('Flag "--rpc-addr" needs at least one host:port');
  for (const addr of addrs) {
    try {
      parseHostPort(addr);
    } catch (e) {
      throw new UsageError(`Flag "--rpc-addr" has a bad address: ${(e as Error).message}`);
    }
  }
  const timeoutMs = parseDurationMs(
    stringFlag(flags, "timeout", DEFAULT_QUERY_TIMEOUT),
    "--timeout",
  );
  if (timeoutMs <= 0) throw new UsageError('Flag "--timeout" must be more than 0');
  const format = stringFlag(flags, "format", "text");
  if (format !== "text" && format !== "json") {
    throw new UsageError(`Flag "--format" must be text or json: got "${format}"`);
  }
  return { addrs, timeoutMs, format };
}

function envAddrs(io: CliIo): string | undefined {
  const env = io.env(RPC_ADDR_ENV)?.trim();
  return env ? env : undefined;
}

/**
 * Parses the flags and the single `<group>` argument of `members` and `watch`.
 *
 * @param args Arguments after the subcommand name.
 * @param io For the environment.
 * @returns The query options and the group.
 * @throws {UsageError} On a flag problem or when there is not exactly one non-empty group.
 */
export function parseGroupQuery(
  args: string[],
  io: CliIo,
): { options: QueryOptions; group: string } {
  const flags = parseFlags(args, QUERY_FLAGS);
  const options = resolveQueryOptions(flags, io);
  if (flags.positionals.length !== 1 || flags.positionals[0] === "") {
    throw new UsageError("Give exactly one <group>; see --help");
  }
  return { options, group: flags.positionals[0] };
}

/**
 * Prints an error as one stderr line and picks the exit code.
 *
 * @param io Where to print.
 * @param error What failed.
 * @returns 2 for a usage error, 1 for `NO_SERVICE`, 3 for anything else.
 */
export function reportError(io: CliIo, error: unknown): number {
  if (error instanceof UsageError) {
    io.stderr(`error: ${error.message} (INVALID_ARGUMENT)\n`);
    return EXIT.USAGE;
  }
  if (error instanceof RegistryError) {
    io.stderr(`error: ${oneLine(error.message)} (${error.code})\n`);
    return error.code === "NO_SERVICE" ? EXIT.FAILURE : EXIT.UNAVAILABLE;
  }
  io.stderr(`error: ${oneLine(String(error))} (INTERNAL)\n`);
  return EXIT.UNAVAILABLE;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ");
}

/**
 * Reads standard input as lines: one key per line, `\r\n` accepted, the
 * newline after the last line optional.
 *
 * @param io Provides stdin.
 * @returns The lines.
 */
export async function readStdinLines(io: CliIo): Promise<string[]> {
  const text = await new Response(io.stdin()).text();
  if (text === "") return [];
  const lines = text.split("\n").map((line) => line.endsWith("\r") ? line.slice(0, -1) : line);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
