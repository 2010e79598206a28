/**
 * Request-body rules of the carrier-edition share APIs, written from the API reference. Each function returns the
 * first broken rule as text (never echoing the value) or undefined.
 */

const ACCESS_CODE = /^[0-9a-zA-Z]{8}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function integerIn(v: unknown, min: number, max: number): boolean {
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
}

function accessCodeRule(body: Record<string, unknown>): string | undefined {
  if (body.extractCode !== undefined && (typeof body.extractCode !== "string" || !ACCESS_CODE.test(body.extractCode))) {
    return "extractCode must be 8 characters from [0-9a-zA-Z]";
  }
  return undefined;
}

function commentRule(body: Record<string, unknown>): string | undefined {
  if (body.comment !== undefined && (typeof body.comment !== "string" || body.comment.length >= 512)) {
    return "comment must be a string of fewer than 512 characters";
  }
  return undefined;
}

/** `PUT /share/{id}`: validDays mandatory 0–365; extractCode, comment optional; expireTime tolerated. */
export function updateShareRule(body: unknown): string | undefined {
  if (!isObject(body)) return "the body must be a JSON object";
  if (body.validDays === undefined) return "validDays is mandatory";
  if (!integerIn(body.validDays, 0, 365)) return "validDays must be an integer from 0 to 365";
  if (body.expireTime !== undefined && typeof body.expireTime !== "string") return "expireTime must be a string";
  return accessCodeRule(body) ?? commentRule(body);
}

/** `yyyy-MM-dd HH:mm:ss` (documented for create) or ISO-8601; returns epoch ms or undefined. */
export function parseExpireTime(value: string): number | undefined {
  const plain = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (plain) {
    const [y, mo, d, h, mi, s] = plain.slice(1).map(Number) as [number, number, number, number, number, number];
    return Date.UTC(y, mo - 1, d, h, mi, s);
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** `POST /share`: scope 1|3 (the docs' own example sends "1"), fileIds 1–100, containerId, validDays 1–365. */
export function createShareRule(body: unknown): string | undefined {
  if (!isObject(body)) return "the body must be a JSON object";
  const scope = typeof body.scope === "string" ? Number(body.scope) : body.scope;
  if (scope !== 1 && scope !== 3) return "scope must be 1 (external link) or 3 (specified enterprise users)";
  if (!Array.isArray(body.fileIds) || body.fileIds.length < 1 || body.fileIds.length > 100) return "fileIds must list 1 to 100 file IDs";
  if (body.fileIds.some((id) => typeof id !== "string" || id === "")) return "fileIds must be non-empty strings";
  if (typeof body.containerId !== "string" || body.containerId === "") return "containerId is mandatory";
  if (body.validDays === undefined) return "validDays is mandatory";
  if (!integerIn(body.validDays, 1, 365)) return "validDays must be an integer from 1 to 365";
  if (body.expireTime !== undefined && (typeof body.expireTime !== "string" || parseExpireTime(body.expireTime) === undefined)) {
    return "expireTime must be yyyy-MM-dd HH:mm:ss";
  }
  return accessCodeRule(body) ?? commentRule(body);
}

/** `POST /share/cancel`: shareIds mandatory, 1–100 strings. */
export function cancelSharesRule(body: unknown): string | undefined {
  if (!isObject(body)) return "the body must be a JSON object";
  if (!Array.isArray(body.shareIds) || body.shareIds.length < 1 || body.shareIds.length > 100) return "shareIds must list 1 to 100 share IDs";
  if (body.shareIds.some((id) => typeof id !== "string")) return "shareIds must be strings";
  return undefined;
}

/** `GET /share` query: pageSize 1–100, sortType 4, sortDirection 1|2, pageCursor an offset we issued. */
export function listQueryRule(query: URLSearchParams): string | undefined {
  const pageSize = query.get("pageSize");
  if (pageSize !== null && !/^\d+$/.test(pageSize)) return "pageSize must be an integer";
  if (pageSize !== null && (Number(pageSize) < 1 || Number(pageSize) > 100)) return "pageSize must be from 1 to 100";
  const cursor = query.get("pageCursor");
  if (cursor !== null && !/^\d+$/.test(cursor)) return "pageCursor must be a cursor returned as nextCursor";
  const sortType = query.get("sortType");
  if (sortType !== null && sortType !== "4") return "sortType must be 4 (share time)";
  const direction = query.get("sortDirection");
  if (direction !== null && direction !== "1" && direction !== "2") return "sortDirection must be 1 (ascending) or 2 (descending)";
  return undefined;
}
