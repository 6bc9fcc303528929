/**
 * Envelopes: frames ⇄ requests and responses. A request is
 * `{id, method, params}`; a response is `{id, result}` or
 * `{id, error: {code, message}}`. Pure: no I/O.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";

/** A request id: a string or a finite number chosen by the client. */
export type RpcId = string | number;

/** A well-formed request. */
export interface RpcRequest {
  /** Echoed on every response to this request. */
  readonly id: RpcId;
  /** The method name. */
  readonly method: string;
  /** The parameters; `{}` when the request had none. */
  readonly params: Readonly<Record<string, unknown>>;
}

/** The outcome of {@link parseRequest}. */
export type ParsedRequest =
  | { readonly ok: true; readonly request: RpcRequest }
  | {
    readonly ok: false;
    /** The request's id when it could be read, else `null`. */
    readonly id: RpcId | null;
    /** What to answer. */
    readonly error: RegistryError;
    /** Whether the peer broke the protocol, so the connection should be closed. */
    readonly fatal: boolean;
  };

/** The outcome of {@link parseResponse}: a result or a rebuilt error for an id. */
export type ParsedResponse =
  | { readonly id: RpcId | null; readonly result: unknown; readonly error?: undefined }
  | { readonly id: RpcId | null; readonly error: RegistryError; readonly result?: undefined };

/**
 * A result that is already serialized JSON, spliced into responses verbatim.
 * Lets a server serialize an unchanged answer once instead of per request.
 */
export class RawJson {
  /** The JSON text; must be valid JSON. */
  readonly text: string;

  /**
   * Wraps serialized JSON.
   *
   * @param text Valid JSON text (not checked).
   */
  constructor(text: string) {
    this.text = text;
  }
}

/**
 * Tells whether a value can be a request id.
 *
 * @param value Any value.
 * @returns `true` for a string or a finite number.
 */
export function isRpcId(value: unknown): value is RpcId {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}

/**
 * Parses and validates one request frame's text.
 *
 * @param text The frame payload as text.
 * @returns The request, or the error to answer and whether it is fatal:
 *   `MALFORMED_FRAME` (fatal) for text that is not a JSON object with an id
 *   and a method, `INVALID_ARGUMENT` (not fatal) for params that are not an object.
 */
export function parseRequest(text: string): ParsedRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The text itself is the problem; the parser's message adds nothing useful.
    return malformed(null, "Cannot read request: frame is not JSON");
  }
  if (!isPlainObject(value)) {
    return malformed(null, "Cannot read request: frame is not a JSON object");
  }
  const { id, method, params } = value;
  if (!isRpcId(id)) return malformed(null, "Cannot read request: id must be a string or a number");
  if (typeof method !== "string") {
    return malformed(id, "Cannot read request: method must be a string");
  }
  if (params === undefined || params === null) {
    return { ok: true, request: { id, method, params: {} } };
  }
  if (!isPlainObject(params)) {
    const error = new RegistryError(
      "INVALID_ARGUMENT",
      `Cannot call "${method}": params must be an object`,
    );
    return { ok: false, id, error, fatal: false };
  }
  return { ok: true, request: { id, method, params } };
}

function malformed(id: RpcId | null, message: string): ParsedRequest {
  return { ok: false, id, error: new RegistryError("MALFORMED_FRAME", message), fatal: true };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Serializes a request.
 *
 * @param id The request id.
 * @param method The method name.
 * @param params The parameters.
 * @returns The JSON text of the request.
 */
export function encodeRequest(id: RpcId, method: string, params: object): string {
  return JSON.stringify({ id, method, params });
}

/**
 * Serializes a successful response.
 *
 * @param id The request's id.
 * @param result Any JSON-serializable value, or a {@link RawJson}.
 * @returns The JSON text of the response.
 */
export function encodeResult(id: RpcId, result: unknown): string {
  const body = result instanceof RawJson ? result.text : JSON.stringify(result ?? null);
  return `{"id":${JSON.stringify(id)},"result":${body}}`;
}

/**
 * Serializes an error response.
 *
 * @param id The request's id, or `null` when it could not be read.
 * @param error The error to report.
 * @returns The JSON text of the response.
 */
export function encodeError(id: RpcId | null, error: RegistryError): string {
  return JSON.stringify({ id, error: error.toWire() });
}

/**
 * Parses one response frame's text.
 *
 * @param text The frame payload as text.
 * @returns The id with its result, or with a rebuilt {@link RegistryError}
 *   (an unknown code becomes `INTERNAL`).
 * @throws {RegistryError} `MALFORMED_FRAME` when the text is not a response.
 */
export function parseResponse(text: string): ParsedResponse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new RegistryError("MALFORMED_FRAME", "Cannot read response: frame is not JSON", {
      cause,
    });
  }
  if (!isPlainObject(value) || !(value.id === null || isRpcId(value.id))) {
    throw new RegistryError("MALFORMED_FRAME", "Cannot read response: no valid id");
  }
  const id = value.id;
  if (isPlainObject(value.error)) return { id, error: RegistryError.fromWire(value.error) };
  if (!("result" in value)) {
    throw new RegistryError("MALFORMED_FRAME", "Cannot read response: no result and no error");
  }
  return { id, result: value.result };
}
