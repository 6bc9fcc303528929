import { assertEquals } from "../../_helpers/assert.ts";
import type { WatchEvent } from "../../../lib/types.ts";
import { noopLogger } from "../../../src/logger.ts";
import { WatchHub } from "../../../src/server/watch_hub.ts";

function event(group: string, version: number): WatchEvent {
  return { type: "join", group, version, services: [] };
}

Deno.test("WatchHub.emit() reaches only the listeners of the event's group", () => {
  const hub = new WatchHub(noopLogger);
  const got: string[] = [];
  hub.add("web", (e) => got.push(`a:${e.group}`));
  hub.add("api", (e) => got.push(`b:${e.group}`));
  hub.emit(event("web", 1));
  assertEquals(got, ["a:web"]);
});

Deno.test("WatchHub.add() returns a remover that forgets an emptied group", () => {
  const hub = new WatchHub(noopLogger);
  const stop = hub.add("web", () => {});
  assertEquals([hub.count, hub.watched("web")], [1, true]);
  stop();
  stop();
  assertEquals([hub.count, hub.watched("web")], [0, false]);
});

Deno.test("WatchHub.emit() survives a throwing listener and logs it", () => {
  const errors: string[] = [];
  const logger = { ...noopLogger, error: (m: string) => errors.push(m) };
  const hub = new WatchHub(logger);
  const got: number[] = [];
  hub.add("web", () => {
    throw new Error("boom");
  });
  hub.add("web", (e) => got.push(e.version));
  hub.emit(event("web", 7));
  assertEquals([got, errors.length], [[7], 1]);
});

Deno.test("WatchHub.emit() lets a listener remove itself while being called", () => {
  const hub = new WatchHub(noopLogger);
  let calls = 0;
  const stop = hub.add("web", () => {
    calls++;
    stop();
  });
  hub.add("web", () => calls++);
  hub.emit(event("web", 1));
  hub.emit(event("web", 2));
  assertEquals(calls, 3);
});
