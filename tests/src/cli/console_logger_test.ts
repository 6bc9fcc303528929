import { assertEquals } from "../../_helpers/assert.ts";
import { consoleLogger } from "../../../src/cli/console_logger.ts";

Deno.test("consoleLogger() drops lines below its level and names children", () => {
  const lines: string[] = [];
  const log = consoleLogger({ level: "warn", write: (l) => lines.push(l), now: () => 0 });
  log.info("hidden");
  log.child("gossip").warn("peer suspect", { member: "a b", incarnation: 3 });
  assertEquals(lines, [
    '1970-01-01T00:00:00.000Z WARN  [registry.gossip] peer suspect member="a b" incarnation=3',
  ]);
});

Deno.test("consoleLogger() writes one JSON object per line in json format", () => {
  const lines: string[] = [];
  const log = consoleLogger({ format: "json", write: (l) => lines.push(l), now: () => 0 });
  log.error("bind failed", { addr: ":7370" });
  assertEquals(JSON.parse(lines[0]), {
    time: "1970-01-01T00:00:00.000Z",
    level: "error",
    logger: "registry",
    message: "bind failed",
    addr: ":7370",
  });
});
