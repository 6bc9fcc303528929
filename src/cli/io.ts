/**
 * What a CLI command may touch: its output streams, environment and signals.
 * Tests pass a fake; `main.ts` passes the real process.
 *
 * @module
 */

/** The process surface a command runs against. */
export interface CliIo {
  /** Writes text to standard output (no newline added). */
  stdout(text: string): void;
  /** Writes text to standard error (no newline added). */
  stderr(text: string): void;
  /** Reads an environment variable. */
  env(name: string): string | undefined;
  /** Standard input as a byte stream. */
  stdin(): ReadableStream<Uint8Array>;
  /**
   * Subscribes to a process signal.
   *
   * @returns A function that removes the handler.
   */
  onSignal(signal: Deno.Signal, handler: () => void): () => void;
}

/** Exit code when the reader of stdout went away (`registry members web | head -1`). */
export const EXIT_STDOUT_CLOSED = 0;

/**
 * The real process: Deno's streams, environment and signals.
 *
 * @param exit Ends the process; called with {@link EXIT_STDOUT_CLOSED} when
 *   stdout's reader has closed the pipe, so the command stops quietly as a
 *   Unix tool killed by SIGPIPE would, instead of reporting an error.
 * @returns A {@link CliIo} bound to this process.
 */
export function processIo(exit: (code: number) => never = Deno.exit): CliIo {
  const encoder = new TextEncoder();
  return {
    stdout(text: string): void {
      writeStdout(Deno.stdout, encoder.encode(text), exit);
    },
    stderr(text: string): void {
      writeAll(Deno.stderr, encoder.encode(text));
    },
    env(name: string): string | undefined {
      return Deno.env.get(name);
    },
    stdin(): ReadableStream<Uint8Array> {
      return Deno.stdin.readable;
    },
    onSignal(signal: Deno.Signal, handler: () => void): () => void {
      Deno.addSignalListener(signal, handler);
      return () => Deno.removeSignalListener(signal, handler);
    },
  };
}

/**
 * Writes all of `bytes` to stdout; a closed pipe ends the process quietly.
 *
 * @param target Standard output, or a fake.
 * @param bytes What to write.
 * @param exit Ends the process.
 */
export function writeStdout(
  target: { writeSync(p: Uint8Array): number },
  bytes: Uint8Array,
  exit: (code: number) => never,
): void {
  try {
    writeAll(target, bytes);
  } catch (e) {
    if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
    exit(EXIT_STDOUT_CLOSED);
  }
}

function writeAll(target: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += target.writeSync(bytes.subarray(offset));
}
