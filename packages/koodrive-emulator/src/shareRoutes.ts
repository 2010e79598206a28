import { type Reply, Messages, ErrorCodes, invalidParameter, noSuchApi, notFound, success } from "./apiErrors";
import {
  MAX_BATCH,
  cancelSharesRule,
  createShareRule,
  decodeCursor,
  encodeCursor,
  expiryFromValidDays,
  isObject,
  isPermission,
  listQueryRule,
  partialPageSize,
  parseExpireTime,
  scopeOf,
  updateShareRule,
  withoutNulls,
} from "./bodyRules";
import type { EmulatorState } from "./emulatorState";
import { compareListKeys } from "./shareStore";
import { DEFAULT_PERMISSION, answerView, modifiedShareView, shareListItem } from "./shareView";

/** An authenticated share-API call, as the handlers see it. */
export interface ApiCall {
  method: string;
  /** Percent-decoded path parameters (the share ID). */
  params: string[];
  query: URLSearchParams;
  /** Parsed JSON body; undefined when empty. */
  body: unknown;
  /** The acting user (`X-User-Id`). */
  userId: string;
}

type Handler = (state: EmulatorState, call: ApiCall) => Reply;

const SHARE = "/koodrive/ose/v1/share";

/** `POST /share`. */
const createShare: Handler = (state, { body: sent, userId }) => {
  const body = withoutNulls(sent);
  const problem = createShareRule(body, state.edition);
  if (problem) return invalidParameter(problem);
  const b = body as Record<string, unknown>;
  const share = state.create({
    ownerId: userId,
    containerId: b.containerId as string,
    fileIds: b.fileIds as string[],
    scope: scopeOf(b.scope, state.edition)!,
    extractCode: b.extractCode as string | undefined,
    comment: b.comment as string | undefined,
    permission: state.edition === "enterprise" ? { ...DEFAULT_PERMISSION, ...(isPermission(b.permission) ? b.permission : {}) } : undefined,
    validDays: b.validDays as number,
    expireTime: typeof b.expireTime === "string" ? parseExpireTime(b.expireTime) : undefined,
  });
  const v = state.view(share);
  const created = {
    shareId: v.shareId,
    shortUrl: v.shortUrl,
    linkUrl: v.linkUrl,
    extractCode: v.extractCode,
    comment: v.comment,
    expireTime: v.expireTime,
    createTime: v.shareTime,
  };
  return success({ shareLink: answerView(created, state.answers, "create") });
};

/** `GET /share`: the caller's shares by share time, `displayName` filter (case-insensitive substring), cursor pages. */
const listShares: Handler = (state, { query, userId }) => {
  const problem = listQueryRule(query);
  if (problem) return invalidParameter(problem);
  const pageSize = Number(query.get("pageSize") ?? MAX_BATCH);
  const position = decodeCursor(query.get("pageCursor") ?? "0")!;
  const name = query.get("displayName")?.toLowerCase();
  const ascending = query.get("sortDirection") === "1";
  const after = position.after;
  // Keyset paging: the shares after the last one served, in this list's order.
  const rest = state.store
    .listOwned(userId, ascending)
    .filter((s) => name === undefined || s.displayName.toLowerCase().includes(name))
    .filter((s) => after === undefined || compareListKeys(s, after) * (ascending ? 1 : -1) > 0);
  const take = state.partialPages ? partialPageSize(pageSize, position.page) : pageSize;
  const page = rest.slice(0, take);
  // List items (ShareByMeLink, koodrive-api.md §6.3) carry the share's files, and neither ownerId nor updateTime.
  const ctx = state.viewContext();
  const shareLinks = page.map((s) => shareListItem(s, ctx));
  const last = page.at(-1);
  const next = { page: position.page + 1, after: last ? { shareTime: last.shareTime, shareId: last.shareId } : after };
  return success({ shareLinks, ...(rest.length > take ? { nextCursor: encodeCursor(next) } : {}) });
};

/** `POST /share/cancel`: 200 with one sub-response per ID; unknown, foreign and already cancelled IDs are 13000309. */
const cancelShares: Handler = (state, { body: sent, userId }) => {
  const body = withoutNulls(sent);
  const problem = cancelSharesRule(body, state.edition);
  if (problem) return invalidParameter(problem);
  const ids = (body as { shareIds?: string[] }).shareIds ?? [];
  const cancelled = new Set<string>();
  // Lean answers name no share in their results, as the enterprise table's ShareSubResponse has no shareId.
  const named = (shareId: string) => (state.answers === "lean" ? {} : { shareId });
  const subResponseList = ids.map((shareId) => {
    if (cancelled.has(shareId) || !state.store.owned(shareId, userId))
      return { ...named(shareId), code: ErrorCodes.RESOURCE_NOT_FOUND, msg: Messages.NOT_FOUND };
    cancelled.add(shareId);
    return { ...named(shareId), code: 0, msg: Messages.ITEM_SUCCESS };
  });
  state.store.removeAll([...cancelled]); // one change: saved whole, or (state file unwritable) not at all
  const reply = success({ subResponseList });
  if (cancelled.size === 0) reply.unchanged = true;
  return reply;
};

/** `GET /share/{id}`. */
const getShare: Handler = (state, { params, userId }) => {
  const share = state.store.owned(params[0]!, userId);
  if (!share) return notFound();
  return success({ shareLink: answerView(state.view(share), state.answers, "detail") });
};

/** `PUT /share/{id}`: validDays restarts the validity period; 0 removes it (carrier) or keeps it (enterprise). */
const updateShare: Handler = (state, { params, body: sent, userId }) => {
  const body = withoutNulls(sent);
  const problem = updateShareRule(body, state.edition);
  if (problem) return invalidParameter(problem);
  const share = state.store.owned(params[0]!, userId);
  if (!share) return notFound();
  const b = body as { validDays: number; extractCode?: string; comment?: string };
  const now = state.clock.now();
  state.store.change(
    share,
    (s) => {
      if (b.extractCode !== undefined) s.extractCode = b.extractCode;
      if (b.comment !== undefined) s.comment = b.comment;
      if (b.validDays > 0) s.expireTime = expiryFromValidDays(b.validDays, now);
      else if (state.edition === "carrier") delete s.expireTime;
    },
    now,
  );
  return success({ shareLink: answerView(modifiedShareView(share, state.viewContext()), state.answers, "modify") });
};

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

/** The share API: method, path pattern (groups are path parameters), handler. First match wins. */
export const SHARE_ROUTES: readonly Route[] = [
  { method: "POST", pattern: new RegExp(`^${SHARE}$`), handler: createShare },
  { method: "GET", pattern: new RegExp(`^${SHARE}$`), handler: listShares },
  { method: "POST", pattern: new RegExp(`^${SHARE}/cancel$`), handler: cancelShares },
  { method: "GET", pattern: new RegExp(`^${SHARE}/([^/]+)$`), handler: getShare },
  { method: "PUT", pattern: new RegExp(`^${SHARE}/([^/]+)$`), handler: updateShare },
];

/** Methods whose successful answer means the state changed (after-apply faults act on these). */
export function isWrite(method: string): boolean {
  return method === "PUT" || method === "POST";
}

/** The route for a method and (raw, percent-encoded) path, with its path parameters; undefined when no API is published there. */
function findRoute(method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of SHARE_ROUTES) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(path);
    if (m) return { route, params: m.slice(1) };
  }
  return undefined;
}

/** Whether an API is published at this method and path: the gateway answers 404 before it authenticates anything. */
export function isPublishedApi(method: string, path: string): boolean {
  return findRoute(method, path) !== undefined;
}

/** Routes an authenticated call by its (raw, percent-encoded) path; unknown paths get the gateway's 404. */
export function routeShareApi(state: EmulatorState, method: string, path: string, call: Omit<ApiCall, "params" | "method">): Reply {
  const found = findRoute(method, path);
  if (!found) return noSuchApi();
  const reply = found.route.handler(state, { ...call, method, params: found.params.map(decodeURIComponent) });
  return state.alternateForms ? inAlternateForms(reply) : reply;
}

const COUNTERS = ["viewCnt", "downloadCnt", "saveCnt"] as const;

/** `2026-12-06 09:18:02` (UTC, as koodrive-api.md says to read the zone-less form) from an ISO-8601 time. */
const documentedRequestForm = (iso: string) => iso.replace("T", " ").replace(/\.\d{3}Z$/, "");

/** One share in the other documented forms: counters as the other type, the expiry zone-less, or "" for none. */
function linkInAlternateForms(link: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...link };
  for (const counter of COUNTERS) {
    const value = out[counter];
    if (typeof value === "number") out[counter] = String(value);
    else if (typeof value === "string") out[counter] = Number(value);
  }
  out.expireTime = typeof out.expireTime === "string" ? documentedRequestForm(out.expireTime) : "";
  return out;
}

/**
 * A successful answer in the forms koodrive-api.md lists besides the ones this emulator sends by default (option
 * `alternateForms`): `code` as the string "0", counters as strings where they are numbers and numbers where they are
 * strings, `expireTime` as `yyyy-MM-dd HH:mm:ss`, and "" for a link without one. A client must accept both.
 */
function inAlternateForms(reply: Reply): Reply {
  if (reply.status !== 200 || !isObject(reply.body) || reply.body.code !== 0) return reply;
  const body: Record<string, unknown> = { ...reply.body, code: "0" };
  if (isObject(body.shareLink)) body.shareLink = linkInAlternateForms(body.shareLink);
  if (Array.isArray(body.shareLinks)) body.shareLinks = body.shareLinks.map((link) => (isObject(link) ? linkInAlternateForms(link) : link));
  return { ...reply, body };
}
