/**
 * Answers to serf's internal queries (`_serf_` prefix, gossip-wire.md §7.9):
 * ping, name conflict and keyring management. They are never delivered to
 * the application.
 *
 * @module
 */
import { ipToBytes } from "./ip_bytes.ts";
import type { Keyring } from "./keyring.ts";
import { decodeSerfMessage, encodeSerfMessage } from "./serf_messages.ts";
import type { SerfMember } from "./serf_members.ts";

/** The prefix of internal query names. */
export const INTERNAL_QUERY_PREFIX = "_serf_";
/** The query used to probe reachability; only its ack matters. */
export const PING_QUERY = "_serf_ping";
/** The query asking what others know about a name. */
export const CONFLICT_QUERY = "_serf_conflict";

/** What an internal query may look at. */
export interface InternalQueryContext {
  /** Our member name. */
  readonly localName: string;
  /** Looks a member up by name. */
  lookup(name: string): SerfMember | undefined;
  /** Our keyring, when encryption is on. */
  readonly keyring?: Keyring;
}

/**
 * Tells whether a query name is internal.
 *
 * @param name The query name.
 * @returns `true` for the `_serf_` prefix.
 */
export function isInternalQuery(name: string): boolean {
  return name.startsWith(INTERNAL_QUERY_PREFIX);
}

/**
 * Computes the response payload to an internal query.
 *
 * @param name The query name.
 * @param payload The query payload.
 * @param ctx Our state.
 * @returns The response payload, or `undefined` when no response is sent.
 */
export async function answerInternalQuery(
  name: string,
  payload: Uint8Array,
  ctx: InternalQueryContext,
): Promise<Uint8Array | undefined> {
  switch (name) {
    case CONFLICT_QUERY:
      return answerConflict(new TextDecoder().decode(payload), ctx);
    case "_serf_install-key":
    case "_serf_use-key":
    case "_serf_remove-key":
    case "_serf_list-keys":
      return encodeSerfMessage({ type: "keyResponse", ...await keyOperation(name, payload, ctx) });
    default:
      return undefined; // _serf_ping and unknown internal queries: the ack is the answer
  }
}

function answerConflict(subject: string, ctx: InternalQueryContext): Uint8Array | undefined {
  if (subject === ctx.localName) return undefined; // serf never vouches for itself
  const m = ctx.lookup(subject);
  const member = m === undefined ? null : {
    addr: ipToBytes(m.ip),
    port: m.port,
    name: m.name,
    tags: m.tags,
    status: ["none", "alive", "leaving", "left", "failed"].indexOf(m.status),
    protocolMin: m.vsn[0],
    protocolMax: m.vsn[1],
    protocolCur: m.vsn[2],
    delegateMin: m.vsn[3],
    delegateMax: m.vsn[4],
    delegateCur: m.vsn[5],
  };
  return encodeSerfMessage({ type: "conflictResponse", member });
}

interface KeyResult {
  keys: string[];
  primaryKey: string;
  message: string;
  result: boolean;
}

async function keyOperation(
  name: string,
  payload: Uint8Array,
  ctx: InternalQueryContext,
): Promise<KeyResult> {
  const ring = ctx.keyring;
  const out: KeyResult = { keys: [], primaryKey: "", message: "", result: false };
  if (ring === undefined) {
    out.message = "Keyring is empty: encryption is not enabled";
    return out;
  }
  try {
    const request = decodeSerfMessage(payload);
    if (request.type !== "keyRequest") throw new TypeError("Cannot read key request: wrong type");
    if (name === "_serf_install-key") await ring.addKey(request.key);
    if (name === "_serf_use-key") ring.useKey(request.key);
    if (name === "_serf_remove-key") ring.removeKey(request.key);
    if (name === "_serf_list-keys") {
      out.keys = ring.keysBase64;
      out.primaryKey = ring.keysBase64[0];
    }
    out.result = true;
  } catch (err) {
    out.message = err instanceof Error ? err.message : String(err);
  }
  return out;
}
