import { assert, assertEquals, assertThrows } from "../../_helpers/assert.ts";
import { RegistryError } from "../../../lib/errors.ts";
import type { ServiceInfo, WatchEvent } from "../../../lib/types.ts";
import { RawJson } from "../../../src/rpc/envelope.ts";
import type { RpcContext } from "../../../src/rpc/rpc_server.ts";
import { createHandlers } from "../../../src/server/handlers.ts";
import { RegistryState } from "../../../src/server/registry_state.ts";
import { service } from "../../_helpers/rpc_fixture.ts";

function setup(
  ready = true,
): { state: RegistryState; handlers: ReturnType<typeof createHandlers> } {
  const state = new RegistryState({ nodeId: "reg-1", ring: "default" });
  for (const i of [1, 2, 3]) state.applyMember(service(`web-${i}`, "web", `10.0.0.${i}:80`));
  state.setReady(ready);
  return { state, handlers: createHandlers(state) };
}

function fakeContext(): RpcContext & { pushed: unknown[]; cancels: Map<unknown, () => void> } {
  const pushed: unknown[] = [];
  const cancels = new Map<unknown, () => void>();
  return {
    id: "w1",
    pushed,
    cancels,
    push: (r) => pushed.push(r),
    stream(cancel): void {
      cancels.set("w1", cancel);
    },
    cancelStream(id): boolean {
      const c = cancels.get(id);
      c?.();
      return cancels.delete(id);
    },
  };
}

function code(fn: () => unknown): string {
  return (assertThrows(fn, RegistryError) as RegistryError).code;
}

Deno.test("createHandlers() match returns the owner as cached JSON", () => {
  const { state, handlers } = setup();
  const ctx = fakeContext();
  const first = handlers.match({ group: "web", key: "user-1" }, ctx);
  assert(first instanceof RawJson);
  assertEquals(JSON.parse(first.text), state.match("web", "user-1"));
  assertEquals(handlers.match({ group: "web", key: "user-1" }, ctx), first, "JSON not cached");
});

Deno.test("createHandlers() match answers NO_SERVICE for an unknown group", () => {
  const { handlers } = setup();
  assertEquals(
    code(() => handlers.match({ group: "nope", key: "k" }, fakeContext())),
    "NO_SERVICE",
  );
});

Deno.test("createHandlers() queries answer NOT_READY until ready, but info answers", () => {
  const { state, handlers } = setup(false);
  const ctx = fakeContext();
  for (
    const [method, params] of [
      ["match", { group: "web", key: "k" }],
      ["matchN", { group: "web", key: "k", n: 2 }],
      ["members", { group: "web" }],
      ["groups", {}],
      ["watch", { group: "web" }],
    ] as const
  ) {
    assertEquals(code(() => handlers[method](params, ctx)), "NOT_READY", method);
  }
  assertEquals((handlers.info({}, ctx) as { ready: boolean }).ready, false);
  state.setReady(true);
  assert(handlers.match({ group: "web", key: "k" }, ctx) instanceof RawJson);
});

Deno.test("createHandlers() validates params strictly", () => {
  const { handlers } = setup();
  const ctx = fakeContext();
  const bad: [string, Record<string, unknown>][] = [
    ["match", { group: "", key: "k" }],
    ["match", { group: "web", key: 1 }],
    ["matchN", { group: "web", key: "k", n: 101 }],
    ["matchN", { group: "web", key: "k", n: "2" }],
    ["members", {}],
    ["watch", { group: 3 }],
    ["unwatch", {}],
  ];
  for (const [method, params] of bad) {
    assertEquals(
      code(() => handlers[method](params, ctx)),
      "INVALID_ARGUMENT",
      `${method} ${JSON.stringify(params)}`,
    );
  }
  assert(
    handlers.match({ group: "web", key: "" }, ctx) instanceof RawJson,
    "the empty key is valid",
  );
});

Deno.test("createHandlers() matchN, members and groups answer from the state", () => {
  const { handlers } = setup();
  const ctx = fakeContext();
  assertEquals((handlers.matchN({ group: "web", key: "k", n: 2 }, ctx) as ServiceInfo[]).length, 2);
  assertEquals((handlers.members({ group: "web" }, ctx) as ServiceInfo[]).map((s) => s.id), [
    "web-1",
    "web-2",
    "web-3",
  ]);
  assertEquals(handlers.members({ group: "unknown" }, ctx), []);
  assertEquals(handlers.groups({}, ctx), ["web"]);
  assertEquals(code(() => handlers.matchN({ group: "none", key: "k", n: 1 }, ctx)), "NO_SERVICE");
});

Deno.test("createHandlers() watch streams a snapshot and events until unwatch", () => {
  const { state, handlers } = setup();
  const ctx = fakeContext();
  handlers.watch({ group: "web" }, ctx);
  state.applyMember(service("web-4", "web", "10.0.0.4:80"));
  assertEquals((ctx.pushed as WatchEvent[]).map((e) => e.type), ["snapshot", "join"]);
  assertEquals(handlers.unwatch({ id: "w1" }, ctx), { stopped: true });
  assertEquals(handlers.unwatch({ id: "w1" }, ctx), { stopped: false });
  state.removeMember("web-4");
  assertEquals(ctx.pushed.length, 2);
  assertEquals(state.watcherCount, 0);
});
