/**
 * `registry match <group> <key>...`: prints the address of the service that
 * owns each key.
 *
 * @module
 */
import { RegistryClient } from "../../lib/client.ts";
import { RegistryError } from "../../lib/errors.ts";
import type { ServiceInfo } from "../../lib/types.ts";
import { type Command, EXIT } from "./command.ts";
import { parseFlags, UsageError } from "./flags.ts";
import type { CliIo } from "./io.ts";
import {
  QUERY_EXIT_HELP,
  QUERY_FLAGS,
  QUERY_FLAGS_HELP,
  type QueryOptions,
  readStdinLines,
  reportError,
  resolveQueryOptions,
} from "./query_common.ts";

/** Keys asked at once in a multi-key call; bounds memory for huge stdin lists. */
const WINDOW = 512;

const HELP = `Usage: registry match [options] <group> <key> [<key>...] [-- <key>...]
       registry match [options] <group> -      (keys from stdin, one per line)

Prints the address of the service that owns each key in the group, one line
per key, in order. All keys go over one connection, pipelined.

  addr=$(registry match web user-42)

With several keys, a key that has no owner prints an empty line (so output
lines stay aligned with the keys), one summary error goes to stderr, and the
exit code is 1. With one key, nothing is printed to stdout on failure.
Every argument after -- is a key as written, so keys that start with "-"
(and a key that is just "-") go there: registry match web -- -42
With --format json each line is the whole service as JSON ({"id","group",
"addr","tags"}), or null for a key without an owner.

Options:
${QUERY_FLAGS_HELP}

${QUERY_EXIT_HELP}
`;

/** The `match` subcommand. */
export const command: Command = {
  summary: "Print the address of the service that owns a key",
  help: HELP,
  run: runMatch,
};

async function runMatch(args: string[], io: CliIo): Promise<number> {
  let options: QueryOptions;
  let group: string;
  let keys: string[];
  let fromStdin: boolean;
  try {
    const flags = parseFlags(args, QUERY_FLAGS);
    options = resolveQueryOptions(flags, io);
    const [first, ...named] = flags.positionals;
    const literal = flags.rest ?? [];
    if (first === undefined || first === "") throw new UsageError("Missing <group>; see --help");
    if (named.length + literal.length === 0) throw new UsageError("Missing <key>; see --help");
    if (named.filter((k) => k === "-").length > 1) throw new UsageError('Give "-" at most once');
    group = first;
    fromStdin = named.includes("-");
    keys = [...(fromStdin ? await expandStdin(named, io) : named), ...literal];
  } catch (e) {
    return reportError(io, e);
  }
  await using client = new RegistryClient(options.addrs, { timeoutMs: options.timeoutMs });
  const single = keys.length === 1 && !fromStdin;
  return single
    ? await matchOne(client, group, keys[0], options, io)
    : await matchMany(client, group, keys, options, io);
}

async function expandStdin(keys: string[], io: CliIo): Promise<string[]> {
  const at = keys.indexOf("-");
  return [...keys.slice(0, at), ...await readStdinLines(io), ...keys.slice(at + 1)];
}

async function matchOne(
  client: RegistryClient,
  group: string,
  key: string,
  options: QueryOptions,
  io: CliIo,
): Promise<number> {
  try {
    const service = await client.match(group, key);
    io.stdout(formatService(service, options.format));
    return EXIT.OK;
  } catch (e) {
    return reportError(io, e);
  }
}

type Outcome = ServiceInfo | RegistryError;

async function matchMany(
  client: RegistryClient,
  group: string,
  keys: readonly string[],
  options: QueryOptions,
  io: CliIo,
): Promise<number> {
  const outcomes: Promise<Outcome>[] = [];
  let missing = 0;
  for (let printed = 0; printed < keys.length; printed++) {
    while (outcomes.length < keys.length && outcomes.length - printed < WINDOW) {
      outcomes.push(client.match(group, keys[outcomes.length]).catch(asRegistryError));
    }
    const outcome = await outcomes[printed];
    if (!(outcome instanceof RegistryError)) {
      io.stdout(formatService(outcome, options.format));
      continue;
    }
    if (outcome.code !== "NO_SERVICE") {
      await Promise.all(outcomes); // Let the calls already sent settle before closing.
      return reportError(io, outcome);
    }
    missing++;
    io.stdout(options.format === "json" ? "null\n" : "\n");
  }
  if (missing === 0) return EXIT.OK;
  const message = `No live service for ${missing} of ${keys.length} keys in group "${group}"`;
  return reportError(io, new RegistryError("NO_SERVICE", message));
}

function asRegistryError(e: unknown): RegistryError {
  return e instanceof RegistryError
    ? e
    : new RegistryError("INTERNAL", `Cannot match: ${String(e)}`, { cause: e });
}

function formatService(service: ServiceInfo, format: "text" | "json"): string {
  return format === "json" ? `${JSON.stringify(service)}\n` : `${service.addr}\n`;
}
