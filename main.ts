/**
 * The `registry` command line: `registry serve | register | match | members | watch`.
 *
 * @module
 */
import { runCli } from "./src/cli/run.ts";

if (import.meta.main) Deno.exit(await runCli(Deno.args));
