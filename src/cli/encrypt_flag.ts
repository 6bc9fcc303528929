/**
 * The gossip key from `--encrypt`, `--encrypt-file` or `REGISTRY_ENCRYPT`,
 * shared by `serve` and `register`.
 *
 * @module
 */
import type { CliIo } from "./io.ts";
import { type ParsedFlags, stringFlag, UsageError } from "./flags.ts";

/** Sizes of AES keys serf accepts, in bytes. */
const KEY_SIZES = [16, 24, 32];

/**
 * Reads the keyring: `--encrypt` (one key), else `--encrypt-file` (one base64
 * key per line, first is primary), else env `REGISTRY_ENCRYPT`, else none.
 *
 * @param flags Parsed flags with `encrypt` and `encrypt-file` string flags.
 * @param io For the environment.
 * @returns Base64 keys, primary first; empty for no encryption.
 * @throws {UsageError} When both flags are given, the file cannot be read,
 *   the flag, file or variable given holds no key, or a key is not base64 of
 *   16, 24 or 32 bytes.
 */
export async function readEncryptKeys(flags: ParsedFlags, io: CliIo): Promise<string[]> {
  const inline = stringFlag(flags, "encrypt");
  const file = stringFlag(flags, "encrypt-file");
  if (inline !== undefined && file !== undefined) {
    throw new UsageError('Flags "--encrypt" and "--encrypt-file" cannot be used together');
  }
  let keys: string[];
  let source: string;
  if (inline !== undefined) [keys, source] = [[inline], 'Flag "--encrypt"'];
  else if (file !== undefined) {
    [keys, source] = [await readKeyFile(file), `"--encrypt-file" "${file}"`];
  } else {
    const env = io.env("REGISTRY_ENCRYPT");
    if (env === undefined) return [];
    [keys, source] = [env.split(","), "REGISTRY_ENCRYPT"];
  }
  keys = keys.map((k) => k.trim()).filter((k) => k !== "");
  // An empty key must not quietly turn encryption off.
  if (keys.length === 0) {
    throw new UsageError(
      `${source} holds no key: give a base64 key, or leave it out to run unencrypted`,
    );
  }
  for (const key of keys) checkKey(key);
  return keys;
}

async function readKeyFile(path: string): Promise<string[]> {
  try {
    return (await Deno.readTextFile(path)).split(/\r?\n/);
  } catch (e) {
    throw new UsageError(`Cannot read "--encrypt-file" "${path}": ${(e as Error).message}`);
  }
}

function checkKey(key: string): void {
  let size = -1;
  try {
    size = atob(key).length;
  } catch {
    // Not base64: reported below with the same message as a wrong size.
  }
  if (!KEY_SIZES.includes(size)) {
    throw new UsageError(
      "Encryption key must be base64 of 16, 24 or 32 bytes (as `serf keygen` makes)",
    );
  }
}
