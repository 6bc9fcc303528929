/**
 * Push-pull anti-entropy (gossip-wire.md §5, §6.9): building our state,
 * checking protocol compatibility, merging a peer's state, the periodic
 * interval scaling and join address parsing.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import { parseHostPort } from "../net_addr.ts";
import type { MemberState } from "./member_state.ts";
import { NodeState, type PushNodeState, type PushPullMessage, type Vsn } from "./messages.ts";
import type { NodeEntry } from "./node_table.ts";

/**
 * Our push-pull message: every table entry, any state, with a full Vsn.
 *
 * @param entries The node table's entries.
 * @param join Whether this is (or answers) a join.
 * @param userState The delegate's state bytes.
 * @returns The message to send.
 */
export function buildPushPull(
  entries: readonly NodeEntry[],
  join: boolean,
  userState: Uint8Array,
): PushPullMessage {
  const nodes: PushNodeState[] = entries.map((e) => ({
    name: e.name,
    addr: e.addr,
    port: e.port,
    meta: e.meta,
    incarnation: e.incarnation,
    state: e.state,
    vsn: e.vsn,
  }));
  return { type: "pushPull", join, nodes, userState };
}

interface Bounds {
  pMin: number;
  pMax: number;
  dMin: number;
  dMax: number;
}

function widen(b: Bounds, state: NodeState, vsn: Vsn): void {
  if (state !== NodeState.ALIVE) return;
  b.pMin = Math.max(b.pMin, vsn[0]);
  b.pMax = Math.min(b.pMax, vsn[1]);
  b.dMin = Math.max(b.dMin, vsn[3]);
  b.dMax = Math.min(b.dMax, vsn[4]);
}

function check(b: Bounds, name: string, vsn: Vsn): void {
  const pCur = vsn[2], dCur = vsn[5];
  if (pCur < b.pMin || pCur > b.pMax) {
    throw new RegistryError(
      "PROTOCOL_ERROR",
      `Cannot merge state: member "${name}" protocol version "${pCur}" is outside [${b.pMin}, ${b.pMax}]`,
    );
  }
  if (dCur < b.dMin || dCur > b.dMax) {
    throw new RegistryError(
      "PROTOCOL_ERROR",
      `Cannot merge state: member "${name}" delegate version "${dCur}" is outside [${b.dMin}, ${b.dMax}]`,
    );
  }
}

/**
 * memberlist `verifyProtocol`: the versions every alive member (remote and
 * local) supports form a range; every listed member must speak inside it.
 *
 * @param remote The peer's node states.
 * @param local Our table's entries.
 * @throws {RegistryError} `PROTOCOL_ERROR` when a member is incompatible.
 */
export function verifyProtocol(
  remote: readonly PushNodeState[],
  local: readonly NodeEntry[],
): void {
  const b: Bounds = { pMin: 0, pMax: 255, dMin: 0, dMax: 255 };
  for (const r of remote) widen(b, r.state, r.vsn);
  for (const e of local) widen(b, e.state, e.vsn);
  for (const r of remote) check(b, r.name, r.vsn);
  for (const e of local) check(b, e.name, e.vsn);
}

/**
 * Applies a peer's node states: alive as alive; left as a leave; dead or
 * suspect as a suspicion from us (a remote "dead" is only a suspicion here).
 *
 * @param state The rules engine.
 * @param remote The peer's node states.
 * @param self Our name (the accuser for suspicions).
 */
export function mergeRemoteNodes(
  state: MemberState,
  remote: readonly PushNodeState[],
  self: string,
): void {
  for (const r of remote) {
    const base = { node: r.name, incarnation: r.incarnation };
    if (r.state === NodeState.ALIVE) {
      state.aliveNode({
        type: "alive",
        ...base,
        addr: r.addr,
        port: r.port,
        meta: r.meta,
        vsn: r.vsn,
      });
    } else if (r.state === NodeState.LEFT) {
      state.deadNode({ type: "dead", ...base, from: r.name });
    } else {
      state.suspectNode({ type: "suspect", ...base, from: self });
    }
  }
}

/**
 * The periodic push-pull interval for `n` members: unchanged up to 32, then
 * multiplied by `ceil(log2(n) − 5) + 1`.
 *
 * @param intervalMs The configured interval.
 * @param n Members in the table.
 * @returns The scaled interval.
 * @example
 * ```ts
 * import { pushPullScale } from "./push_pull.ts";
 * pushPullScale(30_000, 64); // 60000
 * ```
 */
export function pushPullScale(intervalMs: number, n: number): number {
  if (n <= 32) return intervalMs;
  return intervalMs * (Math.ceil(Math.log2(n) - 5) + 1);
}

/**
 * When the post-join push-pulls run, relative to the join: the i-th after
 * `2^i` half probe intervals, stretched by a random 0–50 % so members that
 * joined together do not all dial at once (3 → 0.5, 1 and 2 intervals).
 *
 * @param count How many (`joinSyncPushPulls`).
 * @param probeIntervalMs The probe interval.
 * @param random Uniform `[0, 1)` source.
 * @returns The delays in milliseconds, ascending.
 * @example
 * ```ts
 * import { joinSyncDelays } from "./push_pull.ts";
 * joinSyncDelays(3, 1000, () => 0); // [500, 1000, 2000]
 * ```
 */
export function joinSyncDelays(
  count: number,
  probeIntervalMs: number,
  random: () => number,
): number[] {
  const delays: number[] = [];
  for (let i = 0; i < count; i++) {
    delays.push(Math.floor((probeIntervalMs / 2) * 2 ** i * (1 + random() / 2)));
  }
  return delays;
}

/** A parsed join address. */
export interface JoinAddress {
  /** The expected member name (the `name/` prefix), or `""`. */
  readonly name: string;
  /** `host:port` to dial. */
  readonly addr: string;
}

/**
 * Parses `[name/]host[:port]`, the port defaulting to ours.
 *
 * @param text The address.
 * @param defaultPort Our bind port.
 * @returns The name and the address to dial.
 * @throws {TypeError} When the address cannot be parsed.
 * @example
 * ```ts
 * import { parseJoinAddress } from "./push_pull.ts";
 * parseJoinAddress("alpha/127.0.0.1", 7946); // { name: "alpha", addr: "127.0.0.1:7946" }
 * ```
 */
export function parseJoinAddress(text: string, defaultPort: number): JoinAddress {
  const slash = text.indexOf("/");
  const name = slash === -1 ? "" : text.slice(0, slash);
  const { host, port } = parseHostPort(slash === -1 ? text : text.slice(slash + 1), defaultPort);
  if (host === "") throw new TypeError(`Cannot parse join address "${text}": no host`);
  return { name, addr: host.includes(":") ? `[${host}]:${port}` : `${host}:${port}` };
}
