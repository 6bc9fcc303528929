/**
 * What the memberlist core is built from: its settings, clock, randomness,
 * delegate, advertised address, and the effects it asks its driver for.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import type { MemberlistDelegate } from "./delegate.ts";
import type { MemberlistConfig } from "./memberlist_config.ts";
import type { PingMessage } from "./messages.ts";

/** What the core asks its driver to do. Every call must return quickly. */
export interface MemberlistEffects {
  /** Send one packet: a single message, or a compound of several; `crc` adds the CRC wrapper. */
  sendPacket(to: string, parts: readonly Uint8Array[], crc: boolean): void;
  /** Run a periodic push-pull exchange with `to` and feed the reply to `mergeRemoteState`. */
  pushPull(to: string): void;
  /** Send `ping` over a stream and report through `tcpPingResult` within `timeoutMs`. */
  tcpPing(to: string, ping: PingMessage, timeoutMs: number): void;
}

/** Options of the memberlist core (`Memberlist` in swim.ts). */
export interface MemberlistOptions {
  /** Resolved settings. */
  readonly config: MemberlistConfig;
  /** Time source and timers. */
  readonly clock: Clock;
  /** Uniform `[0, 1)` source (peer selection, staggering). */
  readonly random: () => number;
  /** Where to log. */
  readonly logger: Logger;
  /** The layer above (serf). */
  readonly delegate: MemberlistDelegate;
  /** What the core asks the driver to do. */
  readonly effects: MemberlistEffects;
  /** The IP bytes (4 or 16) and port we advertise. */
  readonly advertise: { readonly addr: Uint8Array; readonly port: number };
  /** Bytes every packet loses to the label and encryption; 0 when neither is used. */
  readonly packetOverhead?: number;
}
