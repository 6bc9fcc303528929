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

/**
 * The real process: Deno's streams, environment and signals.
 *
 * @returns A {@link CliIo} bound to this process.
 */
export function processIo(): CliIo {
  const encoder = new TextEncoder();
  return {
    stdout(text: string): void {
      writeAll(Deno.stdout, encoder.encode(text));
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

function writeAll(target: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += target.writeSync(bytes.subarray(offset));
}
