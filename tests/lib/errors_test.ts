import { assertEquals } from "../_helpers/assert.ts";
import { ERROR_CODES, isErrorCode, RegistryError } from "../../lib/errors.ts";

Deno.test("ERROR_CODES has no duplicates", () => {
  assertEquals(new Set(ERROR_CODES).size, ERROR_CODES.length);
});

Deno.test("RegistryError.fromWire() keeps a known code and maps an unknown one to INTERNAL", () => {
  assertEquals(RegistryError.fromWire({ code: "NO_SERVICE", message: "m" }).code, "NO_SERVICE");
  assertEquals(RegistryError.fromWire({ code: "WHAT", message: "m" }).code, "INTERNAL");
  assertEquals(RegistryError.fromWire({}).message, "Unknown error");
});

Deno.test("RegistryError.toWire() round-trips through fromWire()", () => {
  const err = new RegistryError("NOT_READY", "Cannot answer: node is not ready");
  const back = RegistryError.fromWire(JSON.parse(JSON.stringify(err.toWire())));
  assertEquals([back.code, back.message], [err.code, err.message]);
  assertEquals(isErrorCode("NOT_READY"), true);
});
