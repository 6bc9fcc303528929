import { assertEquals } from "../../_helpers/assert.ts";
import { MsgpackReader, MsgpackWriter } from "../../../src/gossip/msgpack.ts";
import {
  readConflictMember,
  type SerfConflictMember,
  writeConflictMember,
} from "../../../src/gossip/serf_conflict_member.ts";
import { hexOf } from "./_wire_vectors.ts";

const MEMBER: SerfConflictMember = {
  addr: new Uint8Array([127, 0, 0, 1]),
  port: 7946,
  name: "alpha",
  tags: { role: "web" },
  status: 4,
  protocolMin: 1,
  protocolMax: 5,
  protocolCur: 2,
  delegateMin: 2,
  delegateMax: 5,
  delegateCur: 5,
};

Deno.test("writeConflictMember() writes Go's sorted Member keys and reads back", () => {
  const w = new MsgpackWriter();
  writeConflictMember(w, MEMBER);
  const bytes = w.finish();
  const keys = [...new TextDecoder().decode(bytes).matchAll(/[A-Z][A-Za-z]+/g)].map((m) => m[0]);
  assertEquals(keys, [...keys].sort());
  assertEquals(keys.length, 11);
  assertEquals(readConflictMember(new MsgpackReader(bytes)), MEMBER);
});

Deno.test("writeConflictMember() writes nil for an unknown member", () => {
  const w = new MsgpackWriter();
  writeConflictMember(w, null);
  assertEquals(hexOf(w.finish()), "c0");
});
