/**
 * The top-level dispatcher: `registry [--help|--version] <command> [args]`.
 *
 * Subcommands load lazily so that query mode never imports the gossip code.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { EXIT } from "./command.ts";
import { type CliIo, processIo } from "./io.ts";
import { VERSION } from "../version.ts";

/** Summary lines for the top-level help, and the loader of each command. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  serve: {
    summary: "Run a registry node (gossip + rings + RPC)",
    load: async () => (await import("./serve.ts")).command,
  },
  register: {
    summary: "Register a service (and optionally run its command) until stopped",
    load: async () => (await import("./register.ts")).command,
  },
  match: {
    summary: "Print the address of the service that owns a key",
    load: async () => (await import("./match.ts")).command,
  },
  members: {
    summary: "List the live services of a group",
    load: async () => (await import("./members.ts")).command,
  },
  watch: {
    summary: "Print the changes of a group as JSON lines until interrupted",
    load: async () => (await import("./watch.ts")).command,
  },
};

/** The top-level help text. */
export function topHelp(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(8, ...names.map((n) => n.length));
  const lines = names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`);
  return [
    `registry ${VERSION}: a lightweight service registry (gossip + consistent hashing)`,
    "",
    "Usage: registry <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Options:",
    "  -h, --help     Show this help (or `registry <command> --help`)",
    "  -V, --version  Print the version",
    "",
  ].join("\n");
}

/**
 * Runs the CLI and returns the exit code.
 *
 * @param args The command-line arguments (without the program name).
 * @param io The process surface; defaults to the real process.
 * @returns The exit code.
 */
export async function runCli(args: string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    io.stdout(topHelp());
    return first === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (first === "-V" || first === "--version" || first === "version") {
    io.stdout(`registry ${VERSION}\n`);
    return EXIT.OK;
  }
  const entry = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (entry === undefined) {
    io.stderr(`error: unknown command "${first}" (INVALID_ARGUMENT)\n`);
    io.stderr("Run 'registry --help' for the list of commands.\n");
    return EXIT.USAGE;
  }
  const command = await entry.load();
  if (rest.includes("-h") || rest.includes("--help")) {
    const dashDash = rest.indexOf("--");
    const helpAt = Math.max(rest.indexOf("-h"), rest.indexOf("--help"));
    if (dashDash === -1 || helpAt < dashDash) {
      io.stdout(command.help);
      return EXIT.OK;
    }
  }
  return await command.run(rest, io);
}
