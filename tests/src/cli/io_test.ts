/**
 * `writeStdout`: a reader that closed the pipe (`registry members web | head -1`)
 * ends the command quietly with exit 0; any other write error still surfaces.
 */
import { assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { EXIT_STDOUT_CLOSED, writeStdout } from "../../../src/cli/io.ts";

class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`exit(${code})`);
  }
}

function exitRecorder(): (code: number) => never {
  return (code: number): never => {
    throw new ExitCalled(code);
  };
}

Deno.test("writeStdout writes every byte, looping over short writes", () => {
  const written: number[] = [];
  const target = {
    writeSync(p: Uint8Array): number {
      written.push(p[0]);
      return 1;
    },
  };
  writeStdout(target, new Uint8Array([1, 2, 3]), exitRecorder());
  assertEquals(written, [1, 2, 3]);
});

Deno.test("writeStdout exits with EXIT_STDOUT_CLOSED (0) when the reader closed the pipe", () => {
  const target = {
    writeSync(): number {
      throw new Deno.errors.BrokenPipe("Broken pipe (os error 32)");
    },
  };
  const e = assertThrows(
    () => writeStdout(target, new Uint8Array([1]), exitRecorder()),
    ExitCalled,
  ) as ExitCalled;
  assertEquals(e.code, EXIT_STDOUT_CLOSED);
  assertEquals(EXIT_STDOUT_CLOSED, 0);
});

Deno.test("writeStdout rethrows write errors other than a closed pipe", () => {
  const target = {
    writeSync(): number {
      throw new Deno.errors.PermissionDenied("nope");
    },
  };
  assertThrows(
    () => writeStdout(target, new Uint8Array([1]), exitRecorder()),
    Deno.errors.PermissionDenied,
  );
});
