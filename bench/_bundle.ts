/**
 * Bundles an entry module the way `deno task bundle` does (`deno bundle
 * --platform deno --code-splitting`), into a fresh temporary directory, so a
 * benchmark can run the shipped form of a program instead of its sources.
 *
 * @module
 */

/**
 * Bundles `entry` and returns the path of its bundled main module.
 *
 * @param entry Path of the entry module (`.ts`), relative to the repository root or absolute.
 * @returns The absolute path of the bundled entry (`<tmp>/<name>.js`); the directory is left for the OS to clean.
 * @throws {Error} When `deno bundle` fails, with its output.
 */
export async function bundleEntry(entry: string): Promise<string> {
  const root = new URL("../", import.meta.url).pathname;
  const outdir = await Deno.makeTempDir({ prefix: "registry-bench-bundle-" });
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--platform", "deno", "--code-splitting", "--outdir", outdir, entry],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    throw new Error(`deno bundle ${entry} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  const name = entry.split("/").at(-1)!.replace(/\.ts$/, ".js");
  return `${outdir}/${name}`;
}
