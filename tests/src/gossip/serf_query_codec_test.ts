import { assertEquals } from "../../_helpers/assert.ts";
import { MsgpackReader, MsgpackWriter } from "../../../src/gossip/msgpack.ts";
import { readQuery, readQueryResponse, writeQuery } from "../../../src/gossip/serf_query_codec.ts";
import { bytesOf, hexOf, QUERY, QUERY_ACK } from "./_wire_vectors.ts";

Deno.test("readQuery() converts the nanosecond Timeout and writeQuery() restores it", () => {
  const q = readQuery(new MsgpackReader(QUERY, 2));
  assertEquals([q.timeoutMs, q.filters], [2000, []]);
  const w = new MsgpackWriter();
  writeQuery(w, q);
  assertEquals(hexOf(w.finish()), hexOf(QUERY.subarray(2)));
});

Deno.test("readQuery() reads a filter list of raw strings and bin", () => {
  const body = bytesOf(`81 a7 "Filters" 92 a3 00 91 a0 c4 02 0580`);
  assertEquals(readQuery(new MsgpackReader(body)).filters, [bytesOf("00 91 a0"), bytesOf("05 80")]);
});

Deno.test("readQueryResponse() reads the captured ack", () => {
  const r = readQueryResponse(new MsgpackReader(QUERY_ACK, 2));
  assertEquals([r.flags, r.from, r.id, r.lTime, r.payload.length], [1, "alpha", 0x5f22fba1, 1, 0]);
});
