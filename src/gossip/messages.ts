/**
 * Typed memberlist messages, as the pure gossip core sees them.
 *
 * Field names are camelCase here; the codec (`message_codec.ts`) maps them to
 * the Go field names on the wire (see `../shared/docs/gossip-wire.md` §4).
 * IPs are raw 4- or 16-byte arrays, exactly as they travel.
 *
 * @module
 */

/** `[PMin, PMax, PCur, DMin, DMax, DCur]`: memberlist and delegate (serf) protocol versions. */
export type Vsn = readonly [number, number, number, number, number, number];

/** memberlist node states as numbered on the wire (pushNodeState.State). */
export const NodeState = {
  ALIVE: 0,
  SUSPECT: 1,
  DEAD: 2,
  LEFT: 3,
} as const;

/** A memberlist node state value. */
export type NodeState = typeof NodeState[keyof typeof NodeState];

/** ping (type 0). */
export interface PingMessage {
  readonly type: "ping";
  /** The target's name; a receiver with another name ignores it ("" is accepted). */
  readonly node: string;
  readonly seqNo: number;
  readonly sourceAddr?: Uint8Array;
  readonly sourceNode?: string;
  readonly sourcePort?: number;
}

/** indirectPing (type 1). */
export interface IndirectPingMessage {
  readonly type: "indirectPing";
  readonly nack: boolean;
  readonly node: string;
  readonly port: number;
  readonly seqNo: number;
  readonly sourceAddr?: Uint8Array;
  readonly sourceNode?: string;
  readonly sourcePort?: number;
  readonly target: Uint8Array;
}

/** ackResp (type 2). */
export interface AckMessage {
  readonly type: "ack";
  readonly seqNo: number;
  /** Serf puts a coordinate here; may be empty. */
  readonly payload?: Uint8Array;
}

/** nackResp (type 11). */
export interface NackMessage {
  readonly type: "nack";
  readonly seqNo: number;
}

/** suspect (type 3). */
export interface SuspectMessage {
  readonly type: "suspect";
  readonly from: string;
  readonly incarnation: number;
  readonly node: string;
}

/** dead (type 5). `from === node` means the node left voluntarily. */
export interface DeadMessage {
  readonly type: "dead";
  readonly from: string;
  readonly incarnation: number;
  readonly node: string;
}

/** alive (type 4). */
export interface AliveMessage {
  readonly type: "alive";
  readonly addr: Uint8Array;
  readonly incarnation: number;
  readonly meta: Uint8Array;
  readonly node: string;
  readonly port: number;
  readonly vsn: Vsn;
}

/** A user (delegate) message (type 8): for serf, one serf message. */
export interface UserMessage {
  readonly type: "user";
  readonly payload: Uint8Array;
}

/** errResp (type 13), stream only. */
export interface ErrorResponseMessage {
  readonly type: "err";
  readonly error: string;
}

/** One entry of a push-pull exchange (pushNodeState). */
export interface PushNodeState {
  readonly addr: Uint8Array;
  readonly incarnation: number;
  readonly meta: Uint8Array;
  readonly name: string;
  readonly port: number;
  readonly state: NodeState;
  readonly vsn: Vsn;
}

/** pushPull (type 6), stream only: header fields, node states and user state. */
export interface PushPullMessage {
  readonly type: "pushPull";
  readonly join: boolean;
  readonly nodes: readonly PushNodeState[];
  /** The delegate's state bytes (serf: `02` + messagePushPull); empty when none. */
  readonly userState: Uint8Array;
}

/** Any message that can travel in a UDP packet (possibly inside a compound). */
export type PacketMessage =
  | PingMessage
  | IndirectPingMessage
  | AckMessage
  | NackMessage
  | SuspectMessage
  | DeadMessage
  | AliveMessage
  | UserMessage;

/** Any message that can open or answer a TCP stream. */
export type StreamMessage =
  | PingMessage
  | AckMessage
  | PushPullMessage
  | UserMessage
  | ErrorResponseMessage;
