/**
 * `registry watch <group>`: prints one JSON line per change of a group until
 * interrupted.
 *
 * @module
 */
import { RegistryClient } from "../../lib/client.ts";
import { type Command, EXIT } from "./command.ts";
import type { CliIo } from "./io.ts";
import {
  DEFAULT_QUERY_TIMEOUT,
  ERROR_LINE_HELP,
  HELP_FLAG_HELP,
  parseGroupQuery,
  type QueryOptions,
  reportError,
  RPC_ADDR_FLAG_HELP,
} from "./query_common.ts";

const HELP = `Usage: registry watch [options] <group>

Prints one JSON line per change of the group until interrupted (Ctrl-C exits
0): first a snapshot, then one line per join, leave or update:

  {"type":"snapshot","group":"web","version":7,"services":[...]}
  {"type":"join","group":"web","version":8,"services":[{"id":"web-3",...}]}

Versions only grow on the node that answers. If that node goes away the
watch fails over to the next --rpc-addr and starts again with a snapshot.
A group need not exist to be watched.

Options:
${RPC_ADDR_FLAG_HELP}
  --timeout <duration>  Deadline for connecting and for the snapshot, e.g.
                        500ms, 2s (default ${DEFAULT_QUERY_TIMEOUT}); later events may take any time
  --format <text|json>  Accepted for symmetry; output is always JSON lines
${HELP_FLAG_HELP}

Exit codes:
  0  interrupted by SIGINT or SIGTERM
  2  usage error
  3  no registry could be reached, none was ready (NOT_READY), every node
     went away, or one answered with another error
${ERROR_LINE_HELP}
`;

/** The `watch` subcommand. */
export const command: Command = {
  summary: "Print the changes of a group as JSON lines until interrupted",
  help: HELP,
  run: runWatch,
};

async function runWatch(args: string[], io: CliIo): Promise<number> {
  let options: QueryOptions;
  let group: string;
  try {
    ({ options, group } = parseGroupQuery(args, io));
  } catch (e) {
    return reportError(io, e);
  }
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  const unsubscribe = [io.onSignal("SIGINT", stop), io.onSignal("SIGTERM", stop)];
  await using client = new RegistryClient(options.addrs, { timeoutMs: options.timeoutMs });
  try {
    for await (const event of client.watch(group, { signal: abort.signal })) {
      io.stdout(`${JSON.stringify(event)}\n`);
    }
    return EXIT.OK;
  } catch (e) {
    return abort.signal.aborted ? EXIT.OK : reportError(io, e);
  } finally {
    for (const off of unsubscribe) off();
  }
}
