import { assert, assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { RegistryError } from "../../../lib/errors.ts";
import {
  encodeError,
  encodeRequest,
  encodeResult,
  isRpcId,
  parseRequest,
  parseResponse,
  RawJson,
} from "../../../src/rpc/envelope.ts";

Deno.test("parseRequest() reads id, method and params", () => {
  const parsed = parseRequest(encodeRequest(7, "match", { group: "web", key: "k" }));
  assertEquals(parsed, {
    ok: true,
    request: { id: 7, method: "match", params: { group: "web", key: "k" } },
  });
});

Deno.test("parseRequest() treats missing or null params as an empty object", () => {
  assertEquals(parseRequest('{"id":"a","method":"groups"}'), {
    ok: true,
    request: { id: "a", method: "groups", params: {} },
  });
  const parsed = parseRequest('{"id":1,"method":"groups","params":null}');
  assert(parsed.ok && Object.keys(parsed.request.params).length === 0);
});

Deno.test("parseRequest() answers text that is not JSON with a fatal MALFORMED_FRAME and id null", () => {
  const parsed = parseRequest("{nope");
  assert(!parsed.ok);
  assertEquals([parsed.id, parsed.error.code, parsed.fatal], [null, "MALFORMED_FRAME", true]);
});

Deno.test("parseRequest() answers JSON that is not an object with a fatal MALFORMED_FRAME", () => {
  for (const text of ["[1,2]", "42", '"x"', "null", "true"]) {
    const parsed = parseRequest(text);
    assert(!parsed.ok && parsed.fatal && parsed.id === null, text);
    assertEquals(parsed.error.code, "MALFORMED_FRAME");
  }
});

Deno.test("parseRequest() treats a bad id or method as fatal, keeping a readable id", () => {
  const badId = parseRequest('{"id":{},"method":"match"}');
  assert(!badId.ok && badId.fatal && badId.id === null);
  const badMethod = parseRequest('{"id":3,"method":5}');
  assert(!badMethod.ok && badMethod.fatal);
  assertEquals(badMethod.id, 3);
});

Deno.test("parseRequest() answers non-object params with a non-fatal INVALID_ARGUMENT", () => {
  const parsed = parseRequest('{"id":3,"method":"match","params":[1]}');
  assert(!parsed.ok);
  assertEquals([parsed.id, parsed.error.code, parsed.fatal], [3, "INVALID_ARGUMENT", false]);
});

Deno.test("isRpcId() accepts strings and finite numbers only", () => {
  assertEquals([1, "a", 1.5, NaN, Infinity, null, {}, undefined].map(isRpcId), [
    true,
    true,
    true,
    false,
    false,
    false,
    false,
    false,
  ]);
});

Deno.test("encodeResult() splices RawJson verbatim and round-trips through parseResponse()", () => {
  const text = encodeResult("x", new RawJson('{"addr":"a:1"}'));
  assertEquals(text, '{"id":"x","result":{"addr":"a:1"}}');
  assertEquals(parseResponse(text), { id: "x", result: { addr: "a:1" } });
  assertEquals(parseResponse(encodeResult(2, undefined)), { id: 2, result: null });
});

Deno.test("parseResponse() rebuilds a RegistryError from an error response", () => {
  const text = encodeError(4, new RegistryError("NO_SERVICE", "none"));
  const parsed = parseResponse(text);
  assert(parsed.error instanceof RegistryError);
  assertEquals([parsed.id, parsed.error.code, parsed.error.message], [4, "NO_SERVICE", "none"]);
  assertEquals(
    parseResponse('{"id":1,"error":{"code":"WHAT","message":"m"}}').error?.code,
    "INTERNAL",
  );
});

Deno.test("parseResponse() throws MALFORMED_FRAME for a frame that is not a response", () => {
  for (const text of ["nope", "[]", '{"result":1}', '{"id":1}']) {
    const err = assertThrows(() => parseResponse(text), RegistryError) as RegistryError;
    assertEquals(err.code, "MALFORMED_FRAME", text);
  }
});
