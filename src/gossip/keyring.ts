/**
 * memberlist's AES-GCM keyring and payload encryption (gossip-wire.md §2.4),
 * on WebCrypto.
 *
 * Blob = `version | nonce(12) | ciphertext | tag(16)`. Version 1 encrypts
 * the plaintext as is (what every serf node sends); version 0 PKCS#7-pads it
 * to a multiple of 16 first, and is accepted on receive only.
 *
 * @module
 */
import {
  AES_BLOCK_SIZE,
  ENCRYPTION_MAX_VERSION,
  ENCRYPTION_OVERHEAD_V0,
  ENCRYPTION_OVERHEAD_V1,
  ENCRYPTION_VERSION_GCM,
  ENCRYPTION_VERSION_PADDED,
  NONCE_SIZE,
} from "./wire_constants.ts";
import { WireError } from "./wire_error.ts";

interface KeyEntry {
  readonly raw: Uint8Array;
  readonly key: CryptoKey;
}

function checkKey(raw: Uint8Array): void {
  if (raw.length !== 16 && raw.length !== 24 && raw.length !== 32) {
    throw new RangeError(`Invalid key length "${raw.length}": use 16, 24 or 32 bytes`);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

async function importKey(raw: Uint8Array): Promise<KeyEntry> {
  checkKey(raw);
  const copy = raw.slice();
  const key = await crypto.subtle.importKey("raw", copy, "AES-GCM", false, [
    "encrypt",
    "decrypt",
  ]);
  return { raw: copy, key };
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  let bin: string;
  try {
    bin = atob(text.trim());
  } catch (cause) {
    throw new TypeError(`Invalid base64 key "${text}"`, { cause });
  }
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * An ordered set of AES keys; the first is the primary (used to encrypt),
 * all are tried to decrypt.
 *
 * @example
 * ```ts
 * import { Keyring } from "./keyring.ts";
 * const ring = await Keyring.fromBase64(["+6lwBNNGwHJJ8G4ZTT1iawrqmecBf/P2vt2IuAWMQhY="]);
 * const blob = await ring.encryptPayload(new Uint8Array([1, 2]), new Uint8Array(0));
 * await ring.decryptPayload(blob, new Uint8Array(0)); // 01 02
 * ```
 */
export class Keyring {
  #keys: KeyEntry[];

  private constructor(keys: KeyEntry[]) {
    this.#keys = keys;
  }

  /**
   * Creates a keyring.
   *
   * @param keys Raw 16/24/32-byte keys, primary first (duplicates dropped).
   * @returns The keyring.
   * @throws {RangeError} If there is no key or a key has a bad length.
   */
  static async create(keys: readonly Uint8Array[]): Promise<Keyring> {
    if (keys.length === 0) throw new RangeError("Cannot create keyring: no key given");
    const ring = new Keyring([]);
    for (const k of keys) await ring.addKey(k);
    return ring;
  }

  /**
   * Creates a keyring from base64 keys (serf's `-encrypt` / `serf keygen` form).
   *
   * @param keys Base64 keys, primary first.
   * @returns The keyring.
   * @throws {TypeError} For invalid base64. {RangeError} for bad key lengths.
   */
  static fromBase64(keys: readonly string[]): Promise<Keyring> {
    return Keyring.create(keys.map(fromBase64));
  }

  /**
   * Decodes one base64 key (for serf's key queries).
   *
   * @param key The base64 text.
   * @returns The raw key.
   * @throws {TypeError} For invalid base64. {RangeError} for a bad length.
   */
  static decodeKey(key: string): Uint8Array {
    const raw = fromBase64(key);
    checkKey(raw);
    return raw;
  }

  /** All keys, primary first, as copies. */
  get keys(): Uint8Array[] {
    return this.#keys.map((k) => k.raw.slice());
  }

  /** The primary key, as a copy. */
  get primaryKey(): Uint8Array {
    return this.#keys[0].raw.slice();
  }

  /** All keys in base64, primary first. */
  get keysBase64(): string[] {
    return this.#keys.map((k) => toBase64(k.raw));
  }

  /**
   * Adds a key at the end (no-op if present); it becomes primary if the ring is empty.
   *
   * @param raw The key.
   * @throws {RangeError} For a bad length.
   */
  async addKey(raw: Uint8Array): Promise<void> {
    checkKey(raw);
    if (this.#keys.some((k) => sameBytes(k.raw, raw))) return;
    this.#keys.push(await importKey(raw));
  }

  /**
   * Makes an installed key the primary.
   *
   * @param raw The key.
   * @throws {RangeError} If the key is not installed.
   */
  useKey(raw: Uint8Array): void {
    const i = this.#keys.findIndex((k) => sameBytes(k.raw, raw));
    if (i < 0) throw new RangeError("Cannot use key: it is not installed");
    const [entry] = this.#keys.splice(i, 1);
    this.#keys.unshift(entry);
  }

  /**
   * Removes a key other than the primary (no-op if absent).
   *
   * @param raw The key.
   * @throws {RangeError} If it is the primary key.
   */
  removeKey(raw: Uint8Array): void {
    if (sameBytes(this.#keys[0].raw, raw)) {
      throw new RangeError("Cannot remove the primary key");
    }
    this.#keys = this.#keys.filter((k) => !sameBytes(k.raw, raw));
  }

  /**
   * Encrypts with the primary key as version 1: `01 | nonce | ciphertext | tag`.
   *
   * @param plaintext The bytes to protect.
   * @param aad Additional authenticated data (label bytes; for streams the `0A`+length header too).
   * @returns The blob (29 bytes longer than the plaintext).
   */
  async encryptPayload(plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
    const nonce = crypto.getRandomValues(new Uint8Array(NONCE_SIZE));
    const sealed = new Uint8Array(
      await crypto.subtle.encrypt(
        { name: "AES-GCM", iv: nonce, additionalData: aad.slice(), tagLength: 128 },
        this.#keys[0].key,
        plaintext.slice(),
      ),
    );
    const out = new Uint8Array(1 + NONCE_SIZE + sealed.length);
    out[0] = ENCRYPTION_VERSION_GCM;
    out.set(nonce, 1);
    out.set(sealed, 1 + NONCE_SIZE);
    return out;
  }

  /**
   * Decrypts a blob of version 0 or 1, trying every key in order.
   *
   * @param blob `version | nonce | ciphertext | tag`.
   * @param aad The additional data used when encrypting.
   * @returns The plaintext (padding removed for version 0).
   * @throws {WireError} `bad_encryption_version` above 1; `decrypt_failed` if too short or no key fits.
   */
  async decryptPayload(blob: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
    if (blob.length === 0) {
      throw new WireError("decrypt_failed", "Cannot decrypt: payload is empty");
    }
    const version = blob[0];
    if (version > ENCRYPTION_MAX_VERSION) {
      throw new WireError(
        "bad_encryption_version",
        `Cannot decrypt: version "${version}" is unsupported`,
      );
    }
    const min = version === ENCRYPTION_VERSION_PADDED
      ? ENCRYPTION_OVERHEAD_V0
      : ENCRYPTION_OVERHEAD_V1;
    if (blob.length < min) {
      throw new WireError("decrypt_failed", `Cannot decrypt: "${blob.length}" bytes is too short`);
    }
    const iv = blob.slice(1, 1 + NONCE_SIZE);
    const sealed = blob.slice(1 + NONCE_SIZE);
    const additionalData = aad.slice();
    for (const entry of this.#keys) {
      let plain: Uint8Array;
      try {
        const params = { name: "AES-GCM", iv, additionalData, tagLength: 128 };
        plain = new Uint8Array(await crypto.subtle.decrypt(params, entry.key, sealed));
      } catch {
        continue; // Wrong key (or tampered data): try the next key.
      }
      return version === ENCRYPTION_VERSION_PADDED ? unpad(plain) : plain;
    }
    throw new WireError("decrypt_failed", "Cannot decrypt: no installed key matches");
  }
}

function unpad(plain: Uint8Array): Uint8Array {
  const n = plain.length > 0 ? plain[plain.length - 1] : 0;
  if (n === 0 || n > AES_BLOCK_SIZE || n > plain.length) {
    throw new WireError("decrypt_failed", `Cannot decrypt: bad padding "${n}"`);
  }
  return plain.subarray(0, plain.length - n);
}

/**
 * PKCS#7-pads to a multiple of 16 (the version 0 plaintext form); exported for tests.
 *
 * @param plain The plaintext.
 * @returns The padded copy (1–16 bytes of value n added).
 */
export function pkcs7Pad(plain: Uint8Array): Uint8Array {
  const n = AES_BLOCK_SIZE - (plain.length % AES_BLOCK_SIZE);
  const out = new Uint8Array(plain.length + n);
  out.set(plain);
  out.fill(n, plain.length);
  return out;
}
