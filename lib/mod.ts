/**
 * registry: a lightweight service registry for Deno.
 *
 * Services register into named groups and gossip their presence
 * (wire-compatible with HashiCorp serf); every registry node keeps one
 * consistent-hash ring per group, so any node answers "which service owns
 * this key?" the same way.
 *
 * This module re-exports the public library: the ring, the error type and
 * the plain data types.
 *
 * @example
 * ```ts
 * import { HashRing } from "./mod.ts";
 *
 * const ring = new HashRing();
 * ring.add("svc-1");
 * ring.add("svc-2");
 * const owner = ring.match("user-42"); // "svc-1" or "svc-2", the same on every node
 * ```
 *
 * @module
 */
export * from "./errors.ts";
export * from "./types.ts";
export * from "./ring.ts";
export * from "./client.ts";
export * from "./register.ts";
