/**
 * The registry's version string; a test keeps it equal to deno.json's.
 *
 * @module
 */

/** The version of this registry build. */
export const VERSION = "0.1.0";
