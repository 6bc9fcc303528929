/**
 * Byte values and size limits of the memberlist and serf wire formats.
 *
 * Append only: never renumber or reuse a value. See
 * `/work/shared/docs/gossip-wire.md` §2.1, §2.8 and §7.1.
 *
 * @module
 */
import type { Vsn } from "./messages.ts";

/** memberlist message type bytes (the first byte of every memberlist message). */
export const MessageType = {
  PING: 0,
  INDIRECT_PING: 1,
  ACK: 2,
  SUSPECT: 3,
  ALIVE: 4,
  DEAD: 5,
  PUSH_PULL: 6,
  COMPOUND: 7,
  USER: 8,
  COMPRESS: 9,
  ENCRYPT: 10,
  NACK: 11,
  HAS_CRC: 12,
  ERR: 13,
  /** Label header; only ever the outermost byte of a packet or stream. */
  HAS_LABEL: 244,
} as const;

/** A memberlist message type byte. */
export type MessageType = typeof MessageType[keyof typeof MessageType];

/** serf message type bytes (the first byte of a memberlist user message payload). */
export const SerfMessageType = {
  LEAVE: 0,
  JOIN: 1,
  PUSH_PULL: 2,
  USER_EVENT: 3,
  QUERY: 4,
  QUERY_RESPONSE: 5,
  CONFLICT_RESPONSE: 6,
  KEY_REQUEST: 7,
  KEY_RESPONSE: 8,
  RELAY: 9,
} as const;

/** A serf message type byte. */
export type SerfMessageType = typeof SerfMessageType[keyof typeof SerfMessageType];

/** Go's budget for one outgoing gossip or piggy-back UDP packet (bytes). */
export const UDP_BUFFER_SIZE = 1400;
/** Go's receive buffer for one datagram (bytes). */
export const UDP_RECEIVE_BUFFER_SIZE = 65536;
/** Maximum node Meta size (bytes, `FF` included for serf tags). */
export const META_MAX_SIZE = 512;
/** Compound header: type byte + part count. */
export const COMPOUND_HEADER_OVERHEAD = 2;
/** Per part in a compound: its u16 length. */
export const COMPOUND_PART_OVERHEAD = 2;
/** Maximum parts in one compound message (the count is one byte). */
export const COMPOUND_MAX_PARTS = 255;
/** A compound part's length is a u16. */
export const COMPOUND_MAX_PART_SIZE = 65535;
/** Per user message wrapped for gossip: the `08` type byte. */
export const USER_MSG_OVERHEAD = 1;
/** CRC wrapper: `0C` + u32. */
export const CRC_HEADER_SIZE = 5;
/** Maximum label length (one length byte, 1–255). */
export const LABEL_MAX = 255;
/** Label header overhead besides the label bytes: `F4` + length byte. */
export const LABEL_HEADER_OVERHEAD = 2;
/** Go refuses an encrypted stream length above this (20 MiB). */
export const MAX_STREAM_ENCRYPTED = 20 * 1024 * 1024;
/** Largest accepted push-pull user state or stream user message (20 MiB). */
export const MAX_STREAM_USER_STATE = 20 * 1024 * 1024;
/** Largest accepted decompressed stream payload (40 MiB). */
export const MAX_STREAM_DECOMPRESSED = 40 * 1024 * 1024;
/** Largest accepted node count in one push-pull (memberlist 0.6). */
export const MAX_PUSH_PULL_NODES = 1048576;
/** Largest accepted decompressed UDP payload (1 MiB; a datagram is ≤ 64 KiB). */
export const MAX_PACKET_DECOMPRESSED = 1024 * 1024;
/** How deeply compress/compound wrappers may nest inside one packet. */
export const MAX_PACKET_NESTING = 8;
/** How deeply msgpack arrays and maps may nest in a generic decode. */
export const MAX_MSGPACK_DEPTH = 32;

/** The only compression algorithm (`Algo` 0): Go `compress/lzw`, LSB, 8-bit literals. */
export const COMPRESSION_LZW = 0;

/** Default version vector of a Deno node, `[PMin, PMax, PCur, DMin, DMax, DCur]`. */
export const DEFAULT_VSN: Vsn = [1, 5, 2, 2, 5, 4];

/** Encryption version 0: AES-GCM over a PKCS#7-padded plaintext. */
export const ENCRYPTION_VERSION_PADDED = 0;
/** Encryption version 1: AES-GCM, no padding (what serf nodes send). */
export const ENCRYPTION_VERSION_GCM = 1;
/** Highest encryption version understood. */
export const ENCRYPTION_MAX_VERSION = 1;
/** AES-GCM nonce size (bytes). */
export const NONCE_SIZE = 12;
/** AES-GCM tag size (bytes). */
export const TAG_SIZE = 16;
/** AES block size, the PKCS#7 padding unit of version 0 (bytes). */
export const AES_BLOCK_SIZE = 16;
/** Version 1 overhead: version + nonce + tag = 29 bytes. */
export const ENCRYPTION_OVERHEAD_V1: number = 1 + NONCE_SIZE + TAG_SIZE;
/** Version 0 worst-case overhead: version + nonce + padding + tag = 45 bytes. */
export const ENCRYPTION_OVERHEAD_V0: number = 1 + NONCE_SIZE + AES_BLOCK_SIZE + TAG_SIZE;
/** Stream encryption header: `0A` + u32 length. */
export const STREAM_ENCRYPT_HEADER_SIZE = 5;
