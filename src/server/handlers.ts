/**
 * The RPC methods of a registry node, answered from its {@link RegistryState}.
 *
 * @module
 */
import { RegistryError } from "../../lib/errors.ts";
import type { ServiceInfo } from "../../lib/types.ts";
import { isRpcId, RawJson } from "../rpc/envelope.ts";
import { MAX_MATCH_N, RPC_METHODS } from "../rpc/rpc_constants.ts";
import type { RpcContext, RpcHandlers } from "../rpc/rpc_server.ts";
import type { RegistryState } from "./registry_state.ts";

type Params = Readonly<Record<string, unknown>>;

/**
 * Builds the handlers of every registry method. Every query method but
 * `info` answers `NOT_READY` while the state is not ready.
 *
 * @param state The registry state to answer from.
 * @returns Handlers for {@link RpcServer.listen}.
 * @example
 * ```ts
 * import { createHandlers } from "./handlers.ts";
 * import { RegistryState } from "./registry_state.ts";
 * import { RpcServer } from "../rpc/rpc_server.ts";
 * const state = new RegistryState({ nodeId: "reg-1", ring: "default" });
 * await using server = RpcServer.listen(createHandlers(state), { addr: "127.0.0.1:0" });
 * ```
 */
export function createHandlers(state: RegistryState): RpcHandlers {
  // Services are immutable objects replaced on change, so their JSON can be cached by identity.
  const json = new WeakMap<ServiceInfo, RawJson>();
  function serialized(service: ServiceInfo): RawJson {
    let raw = json.get(service);
    if (raw === undefined) json.set(service, raw = new RawJson(JSON.stringify(service)));
    return raw;
  }
  function ready(method: string): void {
    if (!state.ready) {
      throw new RegistryError("NOT_READY", `Cannot answer "${method}": registry is not ready yet`);
    }
  }
  return {
    [RPC_METHODS.MATCH](params: Params): RawJson {
      const group = groupParam(RPC_METHODS.MATCH, params);
      const key = keyParam(RPC_METHODS.MATCH, params);
      ready(RPC_METHODS.MATCH);
      const service = state.match(group, key);
      if (service === undefined) throw noService(group, key);
      return serialized(service);
    },
    [RPC_METHODS.MATCH_N](params: Params): readonly ServiceInfo[] {
      const group = groupParam(RPC_METHODS.MATCH_N, params);
      const key = keyParam(RPC_METHODS.MATCH_N, params);
      const n = params.n;
      if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_MATCH_N) {
        throw invalid(RPC_METHODS.MATCH_N, `n must be an integer from 1 to ${MAX_MATCH_N}`);
      }
      ready(RPC_METHODS.MATCH_N);
      const services = state.matchN(group, key, n);
      if (services.length === 0) throw noService(group, key);
      return services;
    },
    [RPC_METHODS.MEMBERS](params: Params): readonly ServiceInfo[] {
      const group = groupParam(RPC_METHODS.MEMBERS, params);
      ready(RPC_METHODS.MEMBERS);
      return state.members(group);
    },
    [RPC_METHODS.GROUPS](): string[] {
      ready(RPC_METHODS.GROUPS);
      return state.groups();
    },
    [RPC_METHODS.WATCH](params: Params, ctx: RpcContext): undefined {
      const group = groupParam(RPC_METHODS.WATCH, params);
      ready(RPC_METHODS.WATCH);
      // Register the stream first: it may be refused, and the snapshot is pushed synchronously.
      const subscription = { stop: (): void => {} };
      ctx.stream(() => subscription.stop());
      subscription.stop = state.watch(group, (event) => ctx.push(event));
      return undefined;
    },
    [RPC_METHODS.UNWATCH](params: Params, ctx: RpcContext): { stopped: boolean } {
      if (!isRpcId(params.id)) {
        throw invalid(RPC_METHODS.UNWATCH, "id must be the string or number id of a watch request");
      }
      return { stopped: ctx.cancelStream(params.id) };
    },
    [RPC_METHODS.INFO](): ReturnType<RegistryState["info"]> {
      return state.info();
    },
  };
}

function groupParam(method: string, params: Params): string {
  const group = params.group;
  if (typeof group !== "string" || group === "") {
    throw invalid(method, "group must be a non-empty string");
  }
  return group;
}

function keyParam(method: string, params: Params): string {
  const key = params.key;
  if (typeof key !== "string") throw invalid(method, "key must be a string");
  return key;
}

function invalid(method: string, why: string): RegistryError {
  return new RegistryError("INVALID_ARGUMENT", `Cannot answer "${method}": ${why}`);
}

function noService(group: string, key: string): RegistryError {
  return new RegistryError(
    "NO_SERVICE",
    `Cannot match key ${JSON.stringify(key)}: group ${JSON.stringify(group)} has no live service`,
  );
}
