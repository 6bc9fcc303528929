/**
 * `registry register`: register a service (optionally wrapping its command)
 * until SIGINT/SIGTERM or until the command exits.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { EXIT } from "./command.ts";
import type { CliIo } from "./io.ts";
import { UsageError } from "./flags.ts";
import { parseRegisterFlags, type RegisterCommandSettings } from "./register_flags.ts";
import { RegistryError } from "../../lib/errors.ts";
import { type Clock, systemClock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import { resolveRegisterOptions } from "../register/register_options.ts";
import { ServiceRegistration } from "../register/registration.ts";
import type { StartAgent } from "../register/registration_agent.ts";
import { startGossipAgent } from "../register/start_gossip_agent.ts";
import { exitCodeOf, type SpawnChild, Supervisor } from "../register/supervisor.ts";

export { parseRegisterFlags, parseTags, type RegisterCommandSettings } from "./register_flags.ts";

const HELP = `Usage: registry register --group G --addr HOST:PORT [options] [-- command [args...]]

Registers a service into a registry cluster over gossip, with the tags Go and
Deno registries read (group, addr, replicas, weight). Without a command it
stays registered until SIGINT/SIGTERM, then leaves gracefully. With a command
it runs it (no shell, stdio inherited) and stays registered while it runs.
The Go original's single-dash flags (-group, -addr, ...) work too.

Options:
  --group G                Service group, required ("registry-group" is reserved)
  --addr HOST:PORT         Address clients should use, required (":8080" is
                           advertised with this host's gossip IP)
  --id ID                  Service id, unique in the cluster
                           (default: <group>-<hostname>-<random>)
  --registries A,B,...     Gossip addresses of registry nodes, port 7370 when left
                           out (default: 127.0.0.1:7370)
  --bind HOST:PORT         Gossip bind address, UDP and TCP (default: 0.0.0.0:0,
                           a free port, so it never collides with a local serve)
  --bind-advertise H:P     Gossip address told to peers (default: the bound
                           address; a real IP of this host when bound to every interface)
  --tag KEY=VALUE          Extra tag, repeatable; the whole tag set must fit serf's
                           512-byte limit (group, addr, replicas, weight, ring are reserved)
  --weight W               Weight on the default ring, above 0 and at most 1000 (default: 1)
  --encrypt KEY            Serf gossip key, base64 (16, 24 or 32 bytes; also from
                           env REGISTRY_ENCRYPT or --encrypt-file, to keep it out of ps)
  --encrypt-file PATH      Read the base64 key (one per line, first is primary) from a file
  --check CHECK            Health check: none, tcp (connect to --addr) or an http://
                           URL (2xx is healthy). Joins after the first pass (checked
                           every second until then); unhealthy: leave; healthy
                           again: rejoin under the same id (default: none)
  --check-interval D       Delay between health checks (default: 5s)
  --check-rise N           Passing checks in a row before rejoining (default: 2)
  --drain D                With a command: wait between leaving and forwarding
                           SIGTERM/SIGINT, so clients stop picking it (default: 1s)
  --kill-timeout D         With a command: wait after forwarding before SIGKILL (default: 10s)
  --profile lan|local      Gossip timings: lan as serf (default), local detects
                           failures faster on one host or a quiet LAN
  --log-level LEVEL        debug, info, warn or error (default: info)
  --log-format FORMAT      text or json (default: text)
  -h, --help               Show this help

Durations: 500ms, 2s, 1m, or plain milliseconds.

If no registry answers, it keeps retrying (1s doubling up to 30s) and says so
on stderr; a wrapped command runs anyway.

The command gets REGISTRY_SERVICE_ID, REGISTRY_SERVICE_GROUP and
REGISTRY_SERVICE_ADDR, and inherits the rest of the environment (such as
REGISTRY_RPC_ADDR).

Signals: SIGINT/SIGTERM leave the cluster (registries drop the service at
once; the leave itself takes about 1.3s, as serf gives it 1s to spread); with
a command, then wait --drain, forward the signal (so about 2.3s after the
first signal by default), and SIGKILL after --kill-timeout (a second signal
skips the drain). SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and SIGWINCH pass straight
through to the command.

Exit codes: the command's exit code (128+N when signal N killed it; 127 when
it does not exist, 126 when it cannot be run); without a command 0 after
SIGINT/SIGTERM (130 when a second signal cuts the leave short); 1 runtime
error (e.g. the bind address is taken); 2 usage error.
`;

/** Signals that stop the registration (and, after the drain, the command). */
const STOP_SIGNALS: readonly Deno.Signal[] = ["SIGINT", "SIGTERM"];

/** Exit code when a second stop signal interrupts the leave (as `serve`). */
const EXIT_SECOND_SIGNAL = 130;

/** Signals passed straight to a wrapped command. */
const PASS_THROUGH: readonly Deno.Signal[] = [
  "SIGHUP",
  "SIGQUIT",
  "SIGUSR1",
  "SIGUSR2",
  "SIGWINCH",
];

/** What `register` runs on; tests replace the agent, the spawner and the clock. */
export interface RegisterCommandDeps {
  /** Starts a gossip agent. @default GossipAgent.start */
  readonly startAgent?: StartAgent;
  /** Spawns the wrapped command. @default a real process */
  readonly spawn?: SpawnChild;
  /** Time source. @default systemClock */
  readonly clock?: Clock;
}

/** The `register` command. */
export const command: Command = {
  summary: "Register a service (and optionally run its command) until stopped",
  help: HELP,
  run: (args: string[], io: CliIo) => runRegister(args, io),
};

/**
 * Runs `registry register` with replaceable dependencies.
 *
 * @param args Arguments after `register`.
 * @param io The process surface.
 * @param deps Agent factory, spawner and clock.
 * @returns The exit code (see the help text).
 */
export async function runRegister(
  args: string[],
  io: CliIo,
  deps: RegisterCommandDeps = {},
): Promise<number> {
  let settings: RegisterCommandSettings;
  let resolved;
  try {
    settings = await parseRegisterFlags(args, io);
    resolved = resolveRegisterOptions(settings.options);
  } catch (e) {
    return usageFailure(e, io);
  }
  const clock = deps.clock ?? systemClock;
  // Signals that arrive while the agent starts must not kill the process without a leave.
  const early: Deno.Signal[] = [];
  const removers = STOP_SIGNALS.map((sig) => io.onSignal(sig, () => early.push(sig)));
  let reg: ServiceRegistration;
  try {
    reg = await ServiceRegistration.start(resolved, {
      startAgent: deps.startAgent ?? startGossipAgent,
      clock,
    });
  } catch (e) {
    const code = e instanceof RegistryError ? e.code : "INTERNAL";
    io.stderr(`error: ${(e as Error).message ?? e} (${code})\n`);
    return EXIT.FAILURE;
  } finally {
    for (const remove of removers) remove();
  }
  if (early.length > 0) {
    settings.logger.info("Stopping: signal received during startup", { signal: early[0] });
    await reg.close();
    return settings.command === undefined ? EXIT.OK : exitCodeOf({ code: 0, signal: early[0] });
  }
  if (settings.command === undefined) return await runWithoutCommand(reg, io, settings.logger);
  return await runWithCommand(reg, settings, io, { clock, spawn: deps.spawn });
}

function usageFailure(e: unknown, io: CliIo): number {
  const usage = e instanceof UsageError || e instanceof TypeError || e instanceof RangeError;
  const tags = e instanceof RegistryError && e.code === "TAGS_TOO_LARGE";
  if (!usage && !tags) throw e;
  const code = tags ? "TAGS_TOO_LARGE" : "INVALID_ARGUMENT";
  io.stderr(
    `error: ${(e as Error).message} (${code})\nRun 'registry register --help' for usage.\n`,
  );
  return EXIT.USAGE;
}

/** Stays registered until SIGINT/SIGTERM, then leaves: 0; a second signal exits at once: 130. */
async function runWithoutCommand(
  reg: ServiceRegistration,
  io: CliIo,
  logger: Logger,
): Promise<number> {
  const removers: (() => void)[] = [];
  let signals = 0;
  const code = await new Promise<number>((resolve) => {
    const onSignal = (signal: Deno.Signal): void => {
      if (++signals > 1) {
        logger.warn("Second signal: exiting without waiting for the leave", { signal });
        resolve(EXIT_SECOND_SIGNAL);
        return;
      }
      logger.info("Leaving the cluster", { signal });
      reg.close().then(() => resolve(EXIT.OK), () => resolve(EXIT.FAILURE));
    };
    for (const sig of STOP_SIGNALS) removers.push(io.onSignal(sig, () => onSignal(sig)));
  });
  for (const remove of removers) remove();
  return code;
}

/** Runs the command while registered; returns its mapped exit code. */
async function runWithCommand(
  reg: ServiceRegistration,
  settings: RegisterCommandSettings,
  io: CliIo,
  deps: { clock: Clock; spawn?: SpawnChild },
): Promise<number> {
  const supervisor = Supervisor.start({
    command: settings.command ?? [],
    env: {
      REGISTRY_SERVICE_ID: reg.id,
      REGISTRY_SERVICE_GROUP: reg.group,
      REGISTRY_SERVICE_ADDR: reg.addr,
    },
    drainMs: settings.drainMs,
    killTimeoutMs: settings.killTimeoutMs,
    beforeStop: () => reg.leave(),
    clock: deps.clock,
    logger: settings.logger.child("command"),
    spawn: deps.spawn,
  });
  const removers: (() => void)[] = [];
  for (const sig of STOP_SIGNALS) removers.push(io.onSignal(sig, () => supervisor.stop(sig)));
  for (const sig of PASS_THROUGH) {
    removers.push(io.onSignal(sig, () => supervisor.forward(sig)));
  }
  try {
    return await supervisor.exitCode;
  } finally {
    for (const remove of removers) remove();
    await reg.close();
  }
}
