/**
 * A fake {@link CliIo} that records output, for CLI tests.
 *
 * @module
 */
import type { CliIo } from "../../src/cli/io.ts";

/** A recording CliIo plus accessors for what was written. */
export interface FakeIo extends CliIo {
  /** Everything written to stdout. */
  out(): string;
  /** Everything written to stderr. */
  err(): string;
  /** Delivers a signal to the registered handlers. */
  signal(signal: Deno.Signal): void;
}

/**
 * Creates a fake io.
 *
 * @param options Environment variables and stdin text.
 * @returns A recording {@link FakeIo}.
 */
export function fakeIo(options: { env?: Record<string, string>; stdin?: string } = {}): FakeIo {
  let out = "";
  let err = "";
  const handlers = new Map<Deno.Signal, Set<() => void>>();
  return {
    stdout(text: string): void {
      out += text;
    },
    stderr(text: string): void {
      err += text;
    },
    env(name: string): string | undefined {
      return options.env?.[name];
    },
    stdin(): ReadableStream<Uint8Array> {
      const bytes = new TextEncoder().encode(options.stdin ?? "");
      return new ReadableStream({
        start(controller): void {
          controller.enqueue(bytes);
          controller.close();
        },
      });
    },
    onSignal(signal: Deno.Signal, handler: () => void): () => void {
      const set = handlers.get(signal) ?? new Set();
      set.add(handler);
      handlers.set(signal, set);
      return () => set.delete(handler);
    },
    out: () => out,
    err: () => err,
    signal(signal: Deno.Signal): void {
      for (const h of [...(handlers.get(signal) ?? [])]) h();
    },
  };
}
