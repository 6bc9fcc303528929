import { assertEquals } from "../../_helpers/assert.ts";
import {
  DEFAULT_VSN,
  ENCRYPTION_OVERHEAD_V0,
  ENCRYPTION_OVERHEAD_V1,
  MAX_STREAM_ENCRYPTED,
  MessageType,
  SerfMessageType,
} from "../../../src/gossip/wire_constants.ts";

Deno.test("MessageType numbers memberlist messages 0 to 13 plus the label byte", () => {
  const values = Object.values(MessageType);
  assertEquals(values.slice(0, 14), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  assertEquals(MessageType.HAS_LABEL, 0xf4);
  assertEquals(new Set(values).size, values.length);
});

Deno.test("SerfMessageType numbers serf messages 0 to 9", () => {
  assertEquals(Object.values(SerfMessageType), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assertEquals([SerfMessageType.LEAVE, SerfMessageType.JOIN, SerfMessageType.RELAY], [0, 1, 9]);
});

Deno.test("wire constants match the documented sizes and defaults", () => {
  assertEquals(DEFAULT_VSN, [1, 5, 2, 2, 5, 4]);
  assertEquals([ENCRYPTION_OVERHEAD_V1, ENCRYPTION_OVERHEAD_V0], [29, 45]);
  assertEquals(MAX_STREAM_ENCRYPTED, 20 * 1024 * 1024);
});
