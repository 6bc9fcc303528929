/**
 * `registry serve`: run a registry node until SIGINT/SIGTERM.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import type { Command } from "./command.ts";
import { EXIT } from "./command.ts";
import type { CliIo } from "./io.ts";
import { type FlagSpec, parseFlags, stringFlag, UsageError } from "./flags.ts";
import { consoleLogger } from "./console_logger.ts";
import { readEncryptKeys } from "./encrypt_flag.ts";
import { LOG_LEVELS, type LogLevel } from "../logger.ts";
import type { ServeOptions } from "../server/serve_options.ts";

const FLAGS: FlagSpec = {
  id: { type: "string" },
  bind: { type: "string" },
  "bind-advertise": { type: "string" },
  addr: { type: "string" },
  advertise: { type: "string" },
  registries: { type: "string" },
  encrypt: { type: "string" },
  "encrypt-file": { type: "string" },
  ring: { type: "string" },
  profile: { type: "string" },
  "log-level": { type: "string" },
  "log-format": { type: "string" },
};

const HELP = `Usage: registry serve [options]

Runs a registry node: joins the gossip cluster in group "registry-group",
keeps one consistent-hash ring per service group, and answers match/members
queries over the JSON RPC. With no options it starts a working single-node
registry. The Go original's single-dash flags (-id, -bind, ...) work too.

Options:
  --id ID                  Node id, unique in the cluster (default: <hostname>-<random>)
  --bind HOST:PORT         Gossip bind address, UDP and TCP (default: :7370)
  --bind-advertise H:P     Gossip address told to peers (default: the bind address;
                           a real IP of this host when bound to every interface)
  --addr HOST:PORT         RPC (discovery) listen address (default: :9800)
  --advertise HOST:PORT    RPC address clients are told to use (default: --addr, an
                           empty host filled with the gossip advertise IP)
  --registries A,B,...     Gossip addresses of registry nodes to join; until one
                           exchange succeeds, queries answer NOT_READY (default: none)
  --encrypt KEY            Serf gossip key, base64 (16, 24 or 32 bytes; also from
                           env REGISTRY_ENCRYPT or --encrypt-file, to keep it out of ps)
  --encrypt-file PATH      Read the base64 key (one per line, first is primary) from a file
  --ring default|chash     Ring algorithm (default: default). chash gives exactly the
                           Go registry's answers; every node of a cluster must agree
  --profile lan|local      Gossip timings: lan as serf (default), local detects
                           failures faster on one host or a quiet LAN
  --log-level LEVEL        debug, info, warn or error (default: info)
  --log-format FORMAT      text or json (default: text)
  -h, --help               Show this help

Signals: SIGINT/SIGTERM leave the cluster gracefully, close the listeners and
exit 0; a second signal exits at once (130).

Exit codes: 0 stopped by a signal; 1 runtime error (e.g. address in use);
2 usage error.
`;

/** The `serve` command. */
export const command: Command = {
  summary: "Run a registry node (gossip + rings + RPC)",
  help: HELP,
  run,
};

async function run(args: string[], io: CliIo): Promise<number> {
  let options: ServeOptions;
  try {
    options = await parseServeFlags(args, io);
  } catch (e) {
    if (!(e instanceof UsageError || e instanceof TypeError || e instanceof RangeError)) throw e;
    io.stderr(`error: ${e.message} (INVALID_ARGUMENT)\nRun 'registry serve --help' for usage.\n`);
    return EXIT.USAGE;
  }
  // Listen before starting, so a signal during startup stops the node gracefully too.
  using signals = listenForSignals(io);
  const { RegistryNode } = await import("../server/serve.ts");
  let node;
  try {
    node = await RegistryNode.start(options);
  } catch (e) {
    if (e instanceof TypeError || e instanceof RangeError) {
      io.stderr(`error: ${e.message} (INVALID_ARGUMENT)\n`);
      return EXIT.USAGE;
    }
    const code = e instanceof RegistryError ? e.code : "INTERNAL";
    io.stderr(`error: Cannot start registry: ${(e as Error).message ?? e} (${code})\n`);
    return EXIT.FAILURE;
  }
  const logger = options.logger!;
  logger.info("Leaving the cluster", { signal: await signals.first });
  const stopped = node.shutdown().then(() => EXIT.OK, (e) => {
    logger.error("Shutdown failed", { error: String(e) });
    return EXIT.FAILURE;
  });
  const cut = signals.second.then((signal) => {
    logger.warn("Second signal: exiting at once", { signal });
    return EXIT_SECOND_SIGNAL;
  });
  return await Promise.race([stopped, cut]);
}

/** Exit code when a second signal cuts the graceful stop short (128 + SIGINT). */
const EXIT_SECOND_SIGNAL = 130;

/** The first and second SIGINT/SIGTERM, as promises of the signal name. */
interface SignalWaits extends Disposable {
  readonly first: Promise<string>;
  readonly second: Promise<string>;
}

function listenForSignals(io: CliIo): SignalWaits {
  const waits = [Promise.withResolvers<string>(), Promise.withResolvers<string>()];
  let count = 0;
  const removers = (["SIGINT", "SIGTERM"] as const).map((sig) =>
    io.onSignal(sig, () => waits[Math.min(count++, 1)].resolve(sig))
  );
  return {
    first: waits[0].promise,
    second: waits[1].promise,
    [Symbol.dispose]() {
      for (const remove of removers) remove();
    },
  };
}

/**
 * Parses and checks `serve`'s flags into node options.
 *
 * @param args Arguments after `serve`.
 * @param io For the environment, stderr and reading the key file.
 * @returns Node options with a console logger.
 * @throws {UsageError} On any flag problem.
 */
export async function parseServeFlags(args: string[], io: CliIo): Promise<ServeOptions> {
  const flags = parseFlags(args, FLAGS);
  if (flags.positionals.length > 0 || flags.rest !== undefined) {
    throw new UsageError(`Unexpected argument "${flags.positionals[0] ?? "--"}"`);
  }
  const ring = stringFlag(flags, "ring", "default");
  if (ring !== "default" && ring !== "chash") {
    throw new UsageError(`Flag "--ring" must be default or chash: got "${ring}"`);
  }
  const profile = stringFlag(flags, "profile", "lan");
  if (profile !== "lan" && profile !== "local") {
    throw new UsageError(`Flag "--profile" must be lan or local: got "${profile}"`);
  }
  const level = stringFlag(flags, "log-level", "info");
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new UsageError(
      `Flag "--log-level" must be one of ${LOG_LEVELS.join(", ")}: got "${level}"`,
    );
  }
  const format = stringFlag(flags, "log-format", "text");
  if (format !== "text" && format !== "json") {
    throw new UsageError(`Flag "--log-format" must be text or json: got "${format}"`);
  }
  const logger = consoleLogger({
    level: level as LogLevel,
    format,
    write: (line) => io.stderr(line + "\n"),
  });
  return {
    id: stringFlag(flags, "id") ?? defaultNodeId(),
    bind: stringFlag(flags, "bind"),
    bindAdvertise: stringFlag(flags, "bind-advertise"),
    addr: stringFlag(flags, "addr"),
    advertise: stringFlag(flags, "advertise"),
    registries: (stringFlag(flags, "registries") ?? "").split(","),
    encryptKeys: await readEncryptKeys(flags, io),
    ring,
    profile,
    logger,
  };
}

/** `<hostname>-<6 random base-36 chars>`. */
function defaultNodeId(): string {
  let host = "registry";
  try {
    host = Deno.hostname();
  } catch {
    // No --allow-sys: a generic prefix is fine, the random suffix keeps ids unique.
  }
  const suffix = crypto.getRandomValues(new Uint32Array(1))[0].toString(36).padStart(6, "0").slice(
    -6,
  );
  return `${host}-${suffix}`;
}
