import { answerInternalQuery, isInternalQuery } from "../../../src/gossip/internal_queries.ts";
import { Keyring } from "../../../src/gossip/keyring.ts";
import { decodeSerfMessage, encodeSerfMessage } from "../../../src/gossip/serf_messages.ts";
import { MemberTable } from "../../../src/gossip/serf_members.ts";
import { assertEquals } from "../../_helpers/assert.ts";

const KEY = "+6lwBNNGwHJJ8G4ZTT1iawrqmecBf/P2vt2IuAWMQhY=";
const table = new MemberTable();
table.nodeJoined({
  name: "a",
  ip: "10.0.0.7",
  port: 7000,
  tags: { r: "w" },
  vsn: [1, 5, 2, 2, 5, 5],
});
const ctx = { localName: "me", lookup: (n: string) => table.get(n) };
const enc = new TextEncoder();

Deno.test("isInternalQuery() recognises the _serf_ prefix", () => {
  assertEquals(isInternalQuery("_serf_ping"), true);
  assertEquals(isInternalQuery("deploy"), false);
});

Deno.test("answerInternalQuery() sends nothing for _serf_ping", async () => {
  assertEquals(await answerInternalQuery("_serf_ping", new Uint8Array(), ctx), undefined);
});

Deno.test("answerInternalQuery() answers _serf_conflict with the member as we know it", async () => {
  const out = decodeSerfMessage(
    (await answerInternalQuery("_serf_conflict", enc.encode("a"), ctx))!,
  );
  assertEquals(out.type, "conflictResponse");
  if (out.type !== "conflictResponse" || out.member === null) throw new Error("no member");
  assertEquals([...out.member.addr], [10, 0, 0, 7]);
  assertEquals([out.member.port, out.member.status, out.member.delegateCur], [7000, 1, 5]);
  const unknown = decodeSerfMessage(
    (await answerInternalQuery("_serf_conflict", enc.encode("zz"), ctx))!,
  );
  assertEquals(unknown.type === "conflictResponse" && unknown.member, null);
});

Deno.test("answerInternalQuery() never vouches for its own name in a conflict", async () => {
  assertEquals(await answerInternalQuery("_serf_conflict", enc.encode("me"), ctx), undefined);
});

Deno.test("answerInternalQuery() lists keys with the primary first", async () => {
  const keyring = await Keyring.fromBase64([KEY]);
  const req = encodeSerfMessage({ type: "keyRequest", key: new Uint8Array() });
  const out = decodeSerfMessage(
    (await answerInternalQuery("_serf_list-keys", req, { ...ctx, keyring }))!,
  );
  assertEquals(out.type === "keyResponse" && [out.result, out.keys, out.primaryKey], [
    true,
    [KEY],
    KEY,
  ]);
});

Deno.test("answerInternalQuery() installs, uses and removes keys", async () => {
  const keyring = await Keyring.fromBase64([KEY]);
  const other = new Uint8Array(32).fill(7);
  const req = encodeSerfMessage({ type: "keyRequest", key: other });
  for (const name of ["_serf_install-key", "_serf_use-key"]) {
    const out = decodeSerfMessage((await answerInternalQuery(name, req, { ...ctx, keyring }))!);
    assertEquals(out.type === "keyResponse" && out.result, true);
  }
  assertEquals(keyring.keysBase64.length, 2);
  assertEquals(keyring.primaryKey, other);
  const primary = decodeSerfMessage(
    (await answerInternalQuery("_serf_remove-key", req, { ...ctx, keyring }))!,
  );
  assertEquals(primary.type === "keyResponse" && primary.result, false);
});

Deno.test("answerInternalQuery() reports a key query without encryption as failed", async () => {
  const req = encodeSerfMessage({ type: "keyRequest", key: new Uint8Array() });
  const out = decodeSerfMessage((await answerInternalQuery("_serf_list-keys", req, ctx))!);
  assertEquals(out.type === "keyResponse" && out.result, false);
  assertEquals(out.type === "keyResponse" && out.message.includes("encryption"), true);
});
