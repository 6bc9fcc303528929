/**
 * Captured gossip packets from gossip-wire.md §9, written in the doc's own
 * notation: hex runs and "quoted ASCII" tokens.
 *
 * @module
 */

/** Parses `00 85 a4 "Node"`-style text into bytes. */
export function bytesOf(spec: string): Uint8Array {
  const out: number[] = [];
  for (const m of spec.matchAll(/"([^"]*)"|([0-9a-fA-F]+)/g)) {
    if (m[1] !== undefined) {
      for (const c of m[1]) out.push(c.charCodeAt(0));
    } else {
      const h = m[2];
      if (h.length % 2) throw new Error(`odd hex run ${h}`);
      for (let i = 0; i < h.length; i += 2) out.push(parseInt(h.slice(i, i + 2), 16));
    }
  }
  return new Uint8Array(out);
}

/** Lowercase hex of some bytes, for readable assertion failures. */
export function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const PING_BODY = (seq: string) =>
  `00 85 a4 "Node" a4 "beta" a5 "SeqNo" ${seq} aa "SourceAddr" a4 7f000001
   aa "SourceNode" a5 "alpha" aa "SourcePort" cd 1f0a`;

/** Ping, UDP 7946→7947, 66 bytes. */
export const PING = bytesOf(PING_BODY("01"));

/** Serf join intent in a user message, with CRC, 25 bytes. */
export const JOIN_WITH_CRC = bytesOf(`0c aada2b16 08 01 82 a5 "LTime" 01 a4 "Node" a4 "beta"`);

/** The suspect part of the piggy-backed compound. */
export const SUSPECT = bytesOf(
  `03 83 a4 "From" a5 "alpha" ab "Incarnation" 01 a4 "Node" a5 "gamma"`,
);

/** Ping piggy-backed with a suspect, 109 bytes. */
export const PING_SUSPECT_COMPOUND = bytesOf(
  `07 02 0042 0025 ${PING_BODY("0f")} 03 83 a4 "From" a5 "alpha" ab "Incarnation" 01
   a4 "Node" a5 "gamma"`,
);

/** Indirect ping, 93 bytes. */
export const INDIRECT_PING = bytesOf(
  `01 88 a4 "Nack" c3 a4 "Node" a5 "gamma" a4 "Port" cd 1f0c a5 "SeqNo" 0d
   aa "SourceAddr" a4 7f000001 aa "SourceNode" a5 "alpha" aa "SourcePort" cd 1f0a
   a6 "Target" a4 7f000001`,
);

/** Nack. */
export const NACK = bytesOf(`0b 81 a5 "SeqNo" 0f`);

/** alpha's alive (121 bytes, 58-byte Meta in DA form). */
export const ALIVE_ALPHA = bytesOf(
  `04 86 a4 "Addr" a4 7f000001 ab "Incarnation" 01
   a4 "Meta" da 003a ff 83 a4 "addr" ae "127.0.0.1:9800" a8 "replicas" a5 "10000"
   a5 "group" ae "registry-group"
   a4 "Node" a5 "alpha" a4 "Port" cd 1f0a a3 "Vsn" a6 01 05 02 02 05 05`,
);

/** beta's alive (71 bytes, Meta {role: web}). */
export const ALIVE_BETA = bytesOf(
  `04 86 a4 "Addr" a4 7f000001 ab "Incarnation" 01 a4 "Meta" ab ff81a4726f6c65a3776562
   a4 "Node" a4 "beta" a4 "Port" cd 1f0b a3 "Vsn" a6 010502020505`,
);

/** The seed's alive compound after a join, with CRC, 203 bytes. */
export const ALIVE_COMPOUND = new Uint8Array([
  ...bytesOf("0c 7a5bdd31 07 02 0079 0047"),
  ...ALIVE_ALPHA,
  ...ALIVE_BETA,
]);

/** Graceful leave: serf leave intent with CRC. */
export const LEAVE_INTENT = bytesOf(
  `0c bb9f8d97 08 00 83 a5 "LTime" 03 a4 "Node" a4 "beta" a5 "Prune" c2`,
);

/** Graceful leave: memberlist dead with From == Node, with CRC. */
export const LEAVE_DEAD = bytesOf(
  `0c 033f2832 05 83 a4 "From" a4 "beta" ab "Incarnation" 01 a4 "Node" a4 "beta"`,
);

/** A gossiped serf query (user message). */
export const QUERY = bytesOf(
  `08 04 8b a4 "Addr" a4 7f000001 a7 "Filters" c0 a5 "Flags" 01 a2 "ID" ce 5f22fba1
   a5 "LTime" 01 a4 "Name" a6 "uptime" a7 "Payload" a5 "hello" a4 "Port" cd 1f0a
   ab "RelayFactor" 00 aa "SourceNode" a5 "alpha" a7 "Timeout" ce 77359400`,
);

/** A query ack sent directly, 45 bytes. */
export const QUERY_ACK = bytesOf(
  `08 05 85 a5 "Flags" 01 a4 "From" a5 "alpha" a2 "ID" ce 5f22fba1 a5 "LTime" 01
   a7 "Payload" c0`,
);

/** A compressed ack from a real agent, 113 bytes (decompresses to 150). */
export const COMPRESSED_ACK = bytesOf(
  `09 82 a4 416c676f 00 a3 427566 da 0062 0005083a05254c1e366fc290d10640500042aa
   82905153670e9d3665dcd05906a0a3c78ea58ac891f346ceb21ff83e763485a44c9a336836fa20
   87af16a27168e28db252660c268e2a3b020d3a5465d18f473d26151a9469d35253cac471f2264040`,
);

/** The throwaway key of the encryption vector. */
export const ENCRYPTION_KEY = "+6lwBNNGwHJJ8G4ZTT1iawrqmecBf/P2vt2IuAWMQhY=";

/** A 54-byte encrypted UDP packet (no label). */
export const ENCRYPTED_JOIN = bytesOf(
  `01 0f9ad95af70db079dbb24322 208e3be93cf734746557767e83e7aa3b715deae314d2f1f88d
   5c125d73a851bf781ee308e02e421308`,
);

/** Its plaintext. */
export const ENCRYPTED_JOIN_PLAIN = bytesOf(
  `0c 9cbc09aa 08 01 82 a5 "LTime" 01 a4 "Node" a4 "encB"`,
);

/** Every capture that is a complete UDP packet in plaintext. */
export const PLAIN_PACKETS: readonly Uint8Array[] = [
  PING,
  JOIN_WITH_CRC,
  PING_SUSPECT_COMPOUND,
  INDIRECT_PING,
  NACK,
  ALIVE_COMPOUND,
  LEAVE_INTENT,
  LEAVE_DEAD,
  QUERY,
  QUERY_ACK,
  COMPRESSED_ACK,
];

/** The serf push-pull state of the captured join (588 bytes, 512 empty event slots). */
export const SERF_PUSH_PULL = bytesOf(
  `02 86 aa "EventLTime" 01 a6 "Events" dc 0200 ${"c0 ".repeat(512)}
   a5 "LTime" 01 ab "LeftMembers" 90 aa "QueryLTime" 01 ac "StatusLTimes" 81 a4 "beta" 00`,
);

/** The joiner's push-pull, plaintext before LZW (the wire form was 09 + 211 LZW bytes). */
export const PUSH_PULL_JOIN = new Uint8Array([
  ...bytesOf(
    `06 83 a4 "Join" c3 a5 "Nodes" 01 ac "UserStateLen" cd 024c
     87 a4 "Addr" a4 7f000001 ab "Incarnation" 01 a4 "Meta" ab ff81a4726f6c65a3776562
     a4 "Name" a4 "beta" a4 "Port" cd 1f0b a5 "State" 00 a3 "Vsn" a6 010502020505`,
  ),
  ...SERF_PUSH_PULL,
]);
