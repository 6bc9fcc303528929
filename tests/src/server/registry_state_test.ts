import { assert, assertEquals, assertThrows } from "../../_helpers/assert.ts";
import type { WatchEvent } from "../../../lib/types.ts";
import type { LogFields, Logger } from "../../../src/logger.ts";
import { RegistryState } from "../../../src/server/registry_state.ts";
import { member, service } from "../../_helpers/rpc_fixture.ts";

function recordingLogger(lines: string[]): Logger {
  const log = (message: string, fields?: LogFields): void => {
    lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
  };
  const logger: Logger = { debug: log, info: log, warn: log, error: log, child: () => logger };
  return logger;
}

function webState(): RegistryState {
  const state = new RegistryState({ nodeId: "reg-1", ring: "default" });
  for (const i of [1, 2, 3]) state.applyMember(service(`web-${i}`, "web", `10.0.0.${i}:80`));
  return state;
}

Deno.test("RegistryState.applyMember() admits an alive member with group and addr tags", () => {
  const state = webState();
  assertEquals(state.groups(), ["web"]);
  assertEquals(state.members("web").map((s) => s.id), ["web-1", "web-2", "web-3"]);
  assertEquals(state.members("web")[0], {
    id: "web-1",
    group: "web",
    addr: "10.0.0.1:80",
    tags: { group: "web", addr: "10.0.0.1:80" },
  });
});

Deno.test("RegistryState.applyMember() keeps out members without a group or addr tag but counts them", () => {
  const state = new RegistryState({ nodeId: "reg-1", ring: "default" });
  state.applyMember(member("a", { addr: "x:1" }));
  state.applyMember(member("b", { group: "", addr: "x:1" }));
  state.applyMember(member("c", { group: "web" }));
  assertEquals(state.groups(), []);
  assertEquals(state.clusterSize(), 3);
});

Deno.test("RegistryState.match() is stable for a key and undefined for an unknown group", () => {
  const state = webState();
  const owner = state.match("web", "user-42");
  assert(owner !== undefined);
  for (let i = 0; i < 10; i++) assertEquals(state.match("web", "user-42"), owner);
  assertEquals(state.match("nope", "user-42"), undefined);
  assert(state.match("web", "") !== undefined, "the empty key has an owner too");
});

Deno.test("RegistryState.applyMember() removes a member that is leaving, left or failed", () => {
  for (const status of ["leaving", "left", "failed"] as const) {
    const state = webState();
    state.applyMember(member("web-2", { group: "web", addr: "10.0.0.2:80" }, status));
    assertEquals(state.members("web").map((s) => s.id), ["web-1", "web-3"], status);
    assertEquals(state.clusterSize(), 2);
  }
});

Deno.test("RegistryState drops a group once its last member leaves", () => {
  const state = new RegistryState({ nodeId: "reg-1", ring: "default" });
  state.applyMember(service("a", "solo", "x:1"));
  assert(state.removeMember("a"));
  assertEquals(state.groups(), []);
  assertEquals(state.match("solo", "k"), undefined);
  assertEquals(state.removeMember("a"), false);
});

Deno.test("RegistryState.applyMember() moves a member whose group tag changed", () => {
  const state = webState();
  state.applyMember(service("web-3", "api", "10.0.0.3:80"));
  assertEquals(state.members("web").map((s) => s.id), ["web-1", "web-2"]);
  assertEquals(state.members("api").map((s) => s.id), ["web-3"]);
  assertEquals(state.match("api", "anything")?.id, "web-3");
});

Deno.test("RegistryState.matchN() returns distinct services, the owner first", () => {
  const state = webState();
  const three = state.matchN("web", "user-7", 3);
  assertEquals(new Set(three.map((s) => s.id)).size, 3);
  assertEquals(three[0], state.match("web", "user-7"));
  assertEquals(state.matchN("web", "user-7", 10).length, 3);
  assertEquals(state.matchN("none", "k", 2), []);
});

Deno.test("RegistryState uses the weight tag, and falls back to 1 with one log line when invalid", () => {
  const lines: string[] = [];
  const state = new RegistryState({ nodeId: "r", ring: "default", logger: recordingLogger(lines) });
  state.applyMember(service("heavy", "g", "h:1", { weight: "9" }));
  state.applyMember(service("light", "g", "l:1", { weight: "bogus" }));
  state.applyMember(service("light", "g", "l:1", { weight: "bogus", other: "1" }));
  let heavy = 0;
  for (let i = 0; i < 2000; i++) if (state.match("g", `user-id-${i}`)?.id === "heavy") heavy++;
  assert(heavy > 1600 && heavy < 1990, `heavy owns ${heavy} of 2000 keys at weight 9:1`);
  assertEquals(lines.filter((l) => l.includes("invalid weight")).length, 1);
});

Deno.test("RegistryState in chash mode keeps out members without an integer replicas tag, logged once", () => {
  const lines: string[] = [];
  const state = new RegistryState({ nodeId: "r", ring: "chash", logger: recordingLogger(lines) });
  state.applyMember(service("a", "g", "a:1"));
  state.applyMember(service("a", "g", "a:1", { x: "changed" }));
  state.applyMember(service("b", "g", "b:1", { replicas: "1.5" }));
  assertEquals(state.groups(), []);
  assertEquals(lines.filter((l) => l.includes("replicas")).length, 2);
  state.applyMember(service("c", "g", "c:1", { replicas: "100" }));
  assertEquals(state.match("g", "k")?.id, "c");
  assertEquals(state.info().ring, "chash");
});

Deno.test("RegistryState in chash mode builds a group's ring with its first member's replicas", () => {
  const state = new RegistryState({ nodeId: "r", ring: "chash" });
  state.applyMember(service("a", "g", "a:1", { replicas: "50" }));
  state.applyMember(service("b", "g", "b:1", { replicas: "5000" }));
  const other = new RegistryState({ nodeId: "r", ring: "chash" });
  other.applyMember(service("a", "g", "a:1", { replicas: "50" }));
  other.applyMember(service("b", "g", "b:1", { replicas: "50" }));
  const reversed = new RegistryState({ nodeId: "r", ring: "chash" });
  reversed.applyMember(service("b", "g", "b:1", { replicas: "5000" }));
  reversed.applyMember(service("a", "g", "a:1", { replicas: "50" }));
  let differs = 0;
  for (let i = 0; i < 200; i++) {
    assertEquals(state.match("g", `k${i}`)?.id, other.match("g", `k${i}`)?.id);
    if (state.match("g", `k${i}`)?.id !== reversed.match("g", `k${i}`)?.id) differs++;
  }
  assert(differs > 0, "the replicas of the first member made no difference");
});

Deno.test("RegistryState.watch() delivers a snapshot, then join, update and leave with growing versions", () => {
  const state = webState();
  const events: WatchEvent[] = [];
  const stop = state.watch("web", (e) => events.push(e));
  state.applyMember(service("web-4", "web", "10.0.0.4:80"));
  state.applyMember(service("web-4", "web", "10.0.0.44:80"));
  state.applyMember(service("web-4", "web", "10.0.0.44:80")); // no change, no event
  state.applyMember(service("other", "api", "x:1")); // another group
  state.removeMember("web-4");
  stop();
  state.applyMember(service("web-5", "web", "10.0.0.5:80"));
  assertEquals(events.map((e) => e.type), ["snapshot", "join", "update", "leave"]);
  assertEquals(events[0].services.length, 3);
  assertEquals(events[2].services[0].addr, "10.0.0.44:80");
  const versions = events.map((e) => e.version);
  assert(versions.every((v, i) => i === 0 || v > versions[i - 1]), `versions ${versions}`);
  assertEquals(state.watcherCount, 0);
});

Deno.test("RegistryState.watch() keeps delivering to others when one listener throws", () => {
  const state = new RegistryState({ nodeId: "r", ring: "default" });
  const got: string[] = [];
  state.watch("g", () => {
    throw new Error("bad listener");
  });
  state.watch("g", (e) => got.push(e.type));
  state.applyMember(service("a", "g", "a:1"));
  assertEquals(got, ["snapshot", "join"]);
});

Deno.test("RegistryState.info() reports node id, cluster size, readiness and warnings", () => {
  const state = webState();
  state.applyMember(member("reg-1", { group: "registry-group", addr: "127.0.0.1:9800" }));
  state.addWarning("Peer uses another ring");
  state.addWarning("Peer uses another ring");
  assertEquals(state.ready, false);
  state.setReady(true);
  const info = state.info();
  assertEquals([info.id, info.clusterSize, info.ring, info.ready], ["reg-1", 4, "default-1", true]);
  assertEquals(info.warnings, ["Peer uses another ring"]);
  assertEquals(state.members("registry-group")[0].addr, "127.0.0.1:9800");
});

Deno.test("RegistryState() rejects an empty node id and an unknown ring", () => {
  assertThrows(() => new RegistryState({ nodeId: "", ring: "default" }), TypeError);
  assertThrows(() => new RegistryState({ nodeId: "r", ring: "x" as "default" }), RangeError);
});
