/**
 * Bundles an entry module with the `deno bundle` command of `deno task
 * bundle` (read from deno.json, so the two cannot drift apart), into a fresh
 * temporary directory, so a benchmark can run the shipped form of a program
 * instead of its sources.
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url).pathname;

/** The `deno bundle` arguments of the bundle task, with its output dir and entry replaced. */
async function bundleArgs(outdir: string, entry: string): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const command = (config.tasks.bundle.command as string).split("&&").at(-1)!.trim();
  return command.split(/\s+/).slice(1).map((a) =>
    a === "dist/bundle" ? outdir : a === "main.ts" ? entry : a
  );
}

/**
 * Bundles `entry` and returns the path of its bundled main module.
 *
 * @param entry Path of the entry module (`.ts`), relative to the repository root or absolute.
 * @returns The absolute path of the bundled entry (`<tmp>/<name>.js`); the directory is left for the OS to clean.
 * @throws {Error} When `deno bundle` fails, with its output.
 */
export async function bundleEntry(entry: string): Promise<string> {
  const outdir = await Deno.makeTempDir({ prefix: "registry-bench-bundle-" });
  const out = await new Deno.Command(Deno.execPath(), {
    args: await bundleArgs(outdir, entry),
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    throw new Error(`deno bundle ${entry} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  const name = entry.split("/").at(-1)!.replace(/\.ts$/, ".js");
  return `${outdir}/${name}`;
}
