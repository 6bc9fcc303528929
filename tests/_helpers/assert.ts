/**
 * Small assertion helpers in the shape of `@std/assert`, built on `node:assert`
 * (JSR, and so `@std/assert`, is unreachable from our build machines).
 *
 * @module
 */
import nodeAssert from "node:assert/strict";

/** Asserts `value` is truthy. */
export function assert(value: unknown, message?: string): asserts value {
  nodeAssert.ok(value, message);
}

/** Asserts deep strict equality. */
export function assertEquals<T>(
  actual: unknown,
  expected: T,
  message?: string,
): asserts actual is T {
  nodeAssert.deepStrictEqual(actual, expected, message);
}

/** Asserts deep strict inequality. */
export function assertNotEquals(actual: unknown, expected: unknown, message?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, message);
}

/** Asserts `text` matches `pattern`. */
export function assertMatch(text: string, pattern: RegExp, message?: string): void {
  nodeAssert.match(text, pattern, message);
}

/** Asserts `fn` throws an error of class `type` whose message includes `includes`. */
export function assertThrows(
  fn: () => unknown,
  type?: abstract new (...args: never[]) => Error,
  includes?: string,
): Error {
  try {
    fn();
  } catch (e) {
    checkError(e, type, includes);
    return e as Error;
  }
  throw new nodeAssert.AssertionError({ message: "Expected function to throw" });
}

/** Asserts the promise rejects with an error of class `type` whose message includes `includes`. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  type?: abstract new (...args: never[]) => Error,
  includes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    checkError(e, type, includes);
    return e as Error;
  }
  throw new nodeAssert.AssertionError({ message: "Expected promise to reject" });
}

function checkError(
  e: unknown,
  type?: abstract new (...args: never[]) => Error,
  includes?: string,
): void {
  if (type !== undefined && !(e instanceof type)) {
    throw new nodeAssert.AssertionError({
      message: `Expected error of type ${type.name}, got ${String(e)}`,
    });
  }
  if (includes !== undefined && !String((e as Error)?.message).includes(includes)) {
    throw new nodeAssert.AssertionError({
      message: `Expected error message to include "${includes}", got "${(e as Error)?.message}"`,
    });
  }
}
