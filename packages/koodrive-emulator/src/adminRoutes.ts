import { type Reply, adminError } from "./apiErrors";
import { isObject } from "./bodyRules";
import { type EmulatorState, InputError } from "./emulatorState";
import type { FaultConfig } from "./faults";

type Handler = (state: EmulatorState, body: unknown, params: string[]) => Reply;

const ok = (body: unknown): Reply => ({ status: 200, body });
const noContent: Reply = { status: 204, body: undefined };

/** Runs a state operation, turning its RangeError/InputError into a 400 that names the field and rule. */
function checked(run: () => Reply): Reply {
  try {
    return run();
  } catch (e) {
    if (e instanceof InputError || e instanceof RangeError) return adminError(e.message);
    throw e;
  }
}

const health: Handler = (state) => ok({ ok: true, shares: state.store.size, edition: state.edition, clock: state.clock.describe() });
// From the log's text: parsing every kept body to serialise it again cost up to 35 times the log's size per request.
const listRequests: Handler = (state) => ({ status: 200, body: undefined, json: `{"requests":${state.requests.json()}}` });
const clearRequests: Handler = (state) => {
  state.requests.clear();
  return noContent;
};
const getFaults: Handler = (state) => ok(state.faults.current());
const setFaults: Handler = (state, body) =>
  checked(() => {
    state.faults.set(body as FaultConfig);
    return ok(state.faults.current());
  });
const mergeFaults: Handler = (state, body) =>
  checked(() => {
    state.faults.merge(body as FaultConfig);
    return ok(state.faults.current());
  });
const clearFaults: Handler = (state) => {
  state.faults.clear();
  return noContent;
};
const getClock: Handler = (state) => ok(state.clock.describe());
/** `{"advanceMs": n}` moves time forward; `{"offsetMs": n}` sets the offset from the host's clock. */
const moveClock: Handler = (state, body) => {
  if (!isObject(body) || (body.advanceMs === undefined) === (body.offsetMs === undefined))
    return adminError('send exactly one of {"advanceMs": n} or {"offsetMs": n}');
  return checked(() => {
    if (body.advanceMs !== undefined) state.clock.advance(body.advanceMs as number);
    else state.clock.setOffset(body.offsetMs as number);
    return ok(state.clock.describe());
  });
};
const expireToken: Handler = (state, body) => {
  if (!isObject(body) || typeof body.token !== "string") return adminError("token (a string) is required");
  state.expireToken(body.token);
  return noContent;
};
const seedShare: Handler = (state, body) => checked(() => ({ status: 201, body: state.seed(body) }));
const getShare: Handler = (state, _body, [id]) => {
  const share = state.store.get(id!);
  return share ? ok(state.view(share)) : adminError("no such share", 404);
};
const changeShare: Handler = (state, body, [id]) => {
  if (!state.store.get(id!)) return adminError("no such share", 404);
  return checked(() => ok(state.change(id!, body ?? {})));
};
const removeShare: Handler = (state, _body, [id]) => {
  if (!state.store.get(id!)) return adminError("no such share", 404);
  state.store.remove(id!);
  return noContent;
};

/** The admin API (test and pipeline control; never faulted nor logged): method, path pattern, handler. */
export const ADMIN_ROUTES: ReadonlyArray<{ method: string; pattern: RegExp; handler: Handler }> = [
  { method: "GET", pattern: /^\/__admin\/health$/, handler: health },
  { method: "GET", pattern: /^\/__admin\/requests$/, handler: listRequests },
  { method: "DELETE", pattern: /^\/__admin\/requests$/, handler: clearRequests },
  { method: "GET", pattern: /^\/__admin\/faults$/, handler: getFaults },
  { method: "PUT", pattern: /^\/__admin\/faults$/, handler: setFaults },
  { method: "PATCH", pattern: /^\/__admin\/faults$/, handler: mergeFaults },
  { method: "DELETE", pattern: /^\/__admin\/faults$/, handler: clearFaults },
  { method: "GET", pattern: /^\/__admin\/clock$/, handler: getClock },
  { method: "POST", pattern: /^\/__admin\/clock$/, handler: moveClock },
  { method: "POST", pattern: /^\/__admin\/tokens\/expire$/, handler: expireToken },
  { method: "POST", pattern: /^\/__admin\/shares$/, handler: seedShare },
  { method: "GET", pattern: /^\/__admin\/shares\/([^/]+)$/, handler: getShare },
  { method: "PATCH", pattern: /^\/__admin\/shares\/([^/]+)$/, handler: changeShare },
  { method: "DELETE", pattern: /^\/__admin\/shares\/([^/]+)$/, handler: removeShare },
];

/** Routes an admin request by its (raw, percent-encoded, already validated) path. */
export function routeAdmin(state: EmulatorState, method: string, path: string, body: unknown): Reply {
  for (const route of ADMIN_ROUTES) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(path);
    if (m) return route.handler(state, body, m.slice(1).map(decodeURIComponent));
  }
  return adminError(`no admin route ${method} ${path.slice(0, 200)}`, 404);
}
