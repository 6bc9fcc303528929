/**
 * The V8 flags every shipped `registry` process runs with: `deno task
 * compile` bakes them into the binary, `deno task serve` passes them, and the
 * README's `deno run` lines show them. Tests and benchmarks import this
 * constant so they run what users run; `tests/runtime_flags_test.ts` checks
 * that `deno.json` and the README agree with it.
 *
 * - `--max-semi-space-size=1`: a 1 MiB young generation. A registry process
 *   allocates little per request, so the smaller nursery costs no measurable
 *   throughput and keeps ~1-2 MB less resident.
 * - `--single-threaded`: no V8 worker threads for concurrent GC and
 *   background compilation. Their stacks, malloc arenas and the compiler code
 *   pages they touch cost ~3 MB resident; a registry does its work on one
 *   thread anyway (see BENCHMARKS.md for throughput with and without).
 *
 * @module
 */

/** The V8 flags, comma-separated as `--v8-flags=` takes them. */
export const SHIPPED_V8_FLAGS = "--max-semi-space-size=1,--single-threaded";

/** The `deno run` / `deno compile` argument that applies {@link SHIPPED_V8_FLAGS}. */
export const V8_FLAGS_ARG = `--v8-flags=${SHIPPED_V8_FLAGS}`;
