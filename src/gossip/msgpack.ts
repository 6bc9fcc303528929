/**
 * A msgpack encoder that emits exactly what go-msgpack's `codec`
 * `MsgpackHandle` (zero value, old spec) emits, and the matching decoder
 * (re-exported from `msgpack_reader.ts`).
 *
 * Go rules (gossip-wire.md §3.1): strings and byte slices are raw strings
 * (fixstr, `DA`, `DB`; never `D9`, never bin); unsigned integers take their
 * smallest form; structs are maps whose Go field names are sorted by byte
 * order; a nil slice is `C0`.
 *
 * The values live in `msgpack_value.ts`, the byte builder in
 * `msgpack_writer.ts`; this module is the codec's entry point.
 *
 * @module
 */
import type { MsgValue } from "./msgpack_value.ts";
import { MsgpackWriter } from "./msgpack_writer.ts";

export {
  type DecodedMsgpack,
  decodeMsgpack,
  msgpackLength,
  type MsgpackLengthOptions,
  MsgpackReader,
} from "./msgpack_reader.ts";
export { MsgFloat64, type MsgValue } from "./msgpack_value.ts";
export { MsgpackWriter } from "./msgpack_writer.ts";

/**
 * Encodes one value the way go-msgpack would (see {@link MsgValue}).
 *
 * @param value The value; plain objects are structs with sorted keys.
 * @returns The msgpack bytes.
 * @throws {TypeError} For values msgpack cannot express.
 * @example
 * ```ts
 * import { encodeMsgpack } from "./msgpack.ts";
 * encodeMsgpack({ SeqNo: 15, Payload: undefined }); // 81 a5 "SeqNo" 0f
 * ```
 */
export function encodeMsgpack(value: MsgValue): Uint8Array {
  return new MsgpackWriter().value(value).finish();
}
