/**
 * `registry members <group>`: lists the live services of a group.
 *
 * @module
 */
import { RegistryClient } from "../../lib/client.ts";
import { RegistryError } from "../../lib/errors.ts";
import { type Command, EXIT } from "./command.ts";
import type { CliIo } from "./io.ts";
import {
  parseGroupQuery,
  QUERY_EXIT_HELP,
  QUERY_FLAGS_HELP,
  type QueryOptions,
  reportError,
} from "./query_common.ts";

const HELP = `Usage: registry members [options] <group>

Lists the live services of a group, sorted by id: one line per service,
"<id> <addr>". With --format json, one JSON array of the whole services
({"id","group","addr","tags"}). An unknown or empty group prints nothing
(text) or [] (json) and exits 1.

Options:
${QUERY_FLAGS_HELP}

${QUERY_EXIT_HELP}
`;

/** The `members` subcommand. */
export const command: Command = {
  summary: "List the live services of a group",
  help: HELP,
  run: runMembers,
};

async function runMembers(args: string[], io: CliIo): Promise<number> {
  let options: QueryOptions;
  let group: string;
  try {
    ({ options, group } = parseGroupQuery(args, io));
  } catch (e) {
    return reportError(io, e);
  }
  await using client = new RegistryClient(options.addrs, { timeoutMs: options.timeoutMs });
  try {
    const services = await client.members(group);
    if (options.format === "json") io.stdout(`${JSON.stringify(services)}\n`);
    else for (const s of services) io.stdout(`${s.id} ${s.addr}\n`);
    if (services.length > 0) return EXIT.OK;
    const message = `Cannot list group "${group}": it has no live service`;
    return reportError(io, new RegistryError("NO_SERVICE", message));
  } catch (e) {
    return reportError(io, e);
  }
}
