/**
 * The rules of KooDrive's share APIs as the API reference states them, each written once: identifiers, the access
 * code, lengths, validity, request bodies per edition. Every function returns the first broken rule as text (never
 * echoing the value) or undefined.
 */

/** `carrier` (the seed document's edition) or `enterprise`; see koodrive-api.md §9. */
export const EDITIONS = ["carrier", "enterprise"] as const;
export type Edition = (typeof EDITIONS)[number];

export const DAY_MS = 24 * 60 * 60 * 1000;
/** KooDrive's longest validity period. */
export const MAX_VALID_DAYS = 365;
/** Batch limit of create (`fileIds`) and cancel (`shareIds`), and the largest list page. */
export const MAX_BATCH = 100;
/** The longest display name (a file's name) the list API filters by, and a seed may carry. */
export const MAX_DISPLAY_NAME = 250;
/** The flags of a `SharePermission` (enterprise edition). */
export const PERMISSION_KEYS = ["preview", "edit", "download"] as const;
export const FILE_IDS_RULE = `fileIds must list 1 to ${MAX_BATCH} file IDs, each a non-empty string`;
/** A comment must be shorter than this (koodrive-api.md: "fewer than 512 characters"). */
const COMMENT_LENGTH_LIMIT = 512;

const ACCESS_CODE = /^[0-9a-zA-Z]{8}$/;
const NUMERIC_ID = /^\d{1,32}$/;

export const ACCESS_CODE_RULE = "extractCode must be 8 characters from [0-9a-zA-Z]";
export const COMMENT_RULE = `comment must be a string of fewer than ${COMMENT_LENGTH_LIMIT} characters`;

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The body with its top-level `null` fields removed: a Java back end like KooDrive's reads `"comment": null` as "not
 * sent". A mandatory field sent as null is therefore missing. Anything else is returned as is.
 */
export function withoutNulls(body: unknown): unknown {
  return isObject(body) ? Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null)) : body;
}

/** The files of a share: 1 to {@link MAX_BATCH} IDs, each a non-empty string. */
export function isFileIdList(v: unknown): v is string[] {
  return Array.isArray(v) && v.length >= 1 && v.length <= MAX_BATCH && v.every((id) => typeof id === "string" && id !== "");
}

export function integerIn(v: unknown, min: number, max: number): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
}

/** KooDrive's share and user IDs are numeric strings (19-digit snowflakes in practice). */
export function isNumericId(v: unknown): v is string {
  return typeof v === "string" && NUMERIC_ID.test(v);
}

export function isAccessCode(v: unknown): v is string {
  return typeof v === "string" && ACCESS_CODE.test(v);
}

/** Lengths count UTF-16 code units, as KooDrive's Java servers do. */
export function isComment(v: unknown): v is string {
  return typeof v === "string" && v.length < COMMENT_LENGTH_LIMIT;
}

/** The latest instant any stored time may hold (9999-12-31T23:59:59.999Z), so every time prints as ISO-8601. */
export const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Epoch milliseconds from 1970 to year 9999: what a stored time may be. */
export function isTime(v: unknown): v is number {
  return integerIn(v, 0, MAX_TIME_MS);
}

/** Validity in days → epoch ms of expiry; 0 → no validity period. */
export function expiryFromValidDays(validDays: number, nowMs: number): number | undefined {
  return validDays > 0 ? nowMs + validDays * DAY_MS : undefined;
}

/**
 * `yyyy-MM-dd HH:mm:ss` (documented for create) or ISO-8601 `yyyy-MM-ddTHH:mm:ss[.SSS][Z|±HH:mm]` (the examples);
 * without a zone both are UTC, whatever the host's time zone. Epoch ms, or undefined for another form or a date
 * that does not exist (February 30).
 */
export function parseExpireTime(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: |T)(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|[+-]\d{2}:\d{2})?$/.exec(value);
  if (!m) return undefined;
  const isoOnly = m[7] !== undefined || m[8] !== undefined;
  if (isoOnly && value[10] !== "T") return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const wallClock = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(wallClock).toISOString().slice(0, 19) !== `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`) return undefined;
  const zone = m[8] === undefined || m[8] === "Z" ? 0 : (m[8][0] === "-" ? -1 : 1) * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(4, 6)));
  if (Math.abs(zone) > 14 * 60) return undefined;
  return wallClock + Number((m[7] ?? "0").padEnd(3, "0")) - zone * 60_000;
}

const EXPIRE_TIME_RULE = "expireTime must be yyyy-MM-dd HH:mm:ss (UTC) or ISO-8601, a real date between 1970 and 9999";

function optionalFieldsRule(body: Record<string, unknown>): string | undefined {
  if (body.extractCode !== undefined && !isAccessCode(body.extractCode)) return ACCESS_CODE_RULE;
  if (body.comment !== undefined && !isComment(body.comment)) return COMMENT_RULE;
  return undefined;
}

/**
 * `PUT /share/{id}`: validDays mandatory 0–365; extractCode, comment optional; expireTime tolerated. Enterprise also
 * has permission (an object of booleans) and deptIds/groupIds/userIds (arrays of strings): checked when present, then
 * not applied (the emulator keeps no departments, groups or users; permission is documented "supported in the future").
 */
export function updateShareRule(sent: unknown, edition: Edition = "carrier"): string | undefined {
  const body = withoutNulls(sent);
  if (!isObject(body)) return "the body must be a JSON object";
  if (body.validDays === undefined) return "validDays is mandatory";
  if (!integerIn(body.validDays, 0, MAX_VALID_DAYS)) return `validDays must be an integer from 0 to ${MAX_VALID_DAYS}`;
  if (body.expireTime !== undefined && (typeof body.expireTime !== "string" || !isTime(parseExpireTime(body.expireTime)))) return EXPIRE_TIME_RULE;
  if (edition === "enterprise") {
    if (body.permission !== undefined && !isPermission(body.permission)) return "permission must be an object of booleans preview, edit, download";
    for (const k of ["deptIds", "groupIds", "userIds"]) {
      const v = body[k];
      if (v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === "string"))) return `${k} must be an array of strings`;
    }
  }
  return optionalFieldsRule(body);
}

/** Scopes each edition's create API accepts. */
export const SCOPES: Record<Edition, readonly number[]> = { carrier: [1, 3], enterprise: [1, 2, 3] };
const SCOPE_RULE: Record<Edition, string> = {
  carrier: "scope must be 1 (external link) or 3 (specified enterprise users)",
  enterprise: "scope must be 1 (anyone with the link), 2 (enterprise users) or 3 (specified enterprise users)",
};

/** The scope as a number (the docs' own example sends "1"), or undefined when it is not one this edition has. */
export function scopeOf(value: unknown, edition: Edition): number | undefined {
  const scope = typeof value === "string" && /^\d$/.test(value) ? Number(value) : value;
  return typeof scope === "number" && SCOPES[edition].includes(scope) ? scope : undefined;
}

/** `SharePermission`: any of preview, edit, download, each a boolean. */
export function isPermission(v: unknown): v is { preview?: boolean; edit?: boolean; download?: boolean } {
  return isObject(v) && Object.entries(v).every(([k, x]) => (PERMISSION_KEYS as readonly string[]).includes(k) && typeof x === "boolean");
}

/** `POST /share`: scope per edition, fileIds 1–100, containerId, validDays 1–365, optional expireTime. */
export function createShareRule(sent: unknown, edition: Edition): string | undefined {
  const body = withoutNulls(sent);
  if (!isObject(body)) return "the body must be a JSON object";
  if (scopeOf(body.scope, edition) === undefined) return SCOPE_RULE[edition];
  if (!isFileIdList(body.fileIds)) return FILE_IDS_RULE;
  if (typeof body.containerId !== "string" || body.containerId === "") return "containerId is mandatory";
  if (body.validDays === undefined) return "validDays is mandatory";
  if (!integerIn(body.validDays, 1, MAX_VALID_DAYS)) return `validDays must be an integer from 1 to ${MAX_VALID_DAYS}`;
  if (body.expireTime !== undefined && (typeof body.expireTime !== "string" || !isTime(parseExpireTime(body.expireTime)))) {
    return EXPIRE_TIME_RULE;
  }
  if (edition === "enterprise" && body.permission !== undefined && !isPermission(body.permission))
    return "permission must be an object of booleans preview, edit, download";
  return optionalFieldsRule(body);
}

/** `POST /share/cancel`: carrier 1–100 ids (mandatory); enterprise optional, at most 100. */
export function cancelSharesRule(sent: unknown, edition: Edition): string | undefined {
  const body = withoutNulls(sent);
  if (!isObject(body)) return "the body must be a JSON object";
  if (body.shareIds === undefined && edition === "enterprise") return undefined;
  const min = edition === "carrier" ? 1 : 0;
  if (!Array.isArray(body.shareIds) || body.shareIds.length < min || body.shareIds.length > MAX_BATCH) {
    return edition === "carrier" ? `shareIds must list 1 to ${MAX_BATCH} share IDs` : `shareIds must list at most ${MAX_BATCH} share IDs`;
  }
  if (body.shareIds.some((id) => typeof id !== "string")) return "shareIds must be strings";
  return undefined;
}

const CURSOR_PREFIX = "kdc2:";

/** A list share's sort key: share time, then share ID. */
export interface ListKey {
  shareTime: number;
  shareId: string;
}

/** Where a list walk stands: how many pages were served, and the key of the last share served (none yet: the start). */
export interface ListPosition {
  page: number;
  after?: ListKey;
}

/** An opaque list cursor: the position after the last share returned, in the list's sort order (a keyset cursor, so
 *  shares created or cancelled between pages neither skip nor repeat a share that existed throughout). */
export function encodeCursor(position: ListPosition): string {
  const key = position.after ? `:${position.after.shareTime}:${position.after.shareId}` : "";
  return Buffer.from(`${CURSOR_PREFIX}${position.page}${key}`, "utf8").toString("base64url");
}

/** The position a cursor this emulator issued stands for ("0", the documented default, is the start), or undefined. */
export function decodeCursor(cursor: string): ListPosition | undefined {
  if (cursor === "0") return { page: 0 };
  const m = /^kdc2:(\d{1,9})(?::(\d{1,16}):(\d{1,32}))?$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m) return undefined;
  const position: ListPosition = { page: Number(m[1]), ...(m[2] !== undefined ? { after: { shareTime: Number(m[2]), shareId: m[3]! } } : {}) };
  return Number.isSafeInteger(position.after?.shareTime ?? 0) && encodeCursor(position) === cursor ? position : undefined;
}

/** Items on page `page` (0-based) when partial pages are on: half a page (at least one) and an empty page, alternately. */
export function partialPageSize(pageSize: number, page: number): number {
  return page % 2 === 1 ? 0 : Math.max(1, Math.ceil(pageSize / 2));
}

/** `GET /share` query: pageSize 1–100, sortType 4, sortDirection 1|2, pageCursor one we issued, displayName. */
export function listQueryRule(query: URLSearchParams): string | undefined {
  const pageSize = query.get("pageSize");
  const pageSizeRule = `pageSize must be an integer from 1 to ${MAX_BATCH}`;
  if (pageSize !== null && (!/^\d{1,3}$/.test(pageSize) || Number(pageSize) < 1 || Number(pageSize) > MAX_BATCH)) return pageSizeRule;
  const cursor = query.get("pageCursor");
  if (cursor !== null && decodeCursor(cursor) === undefined) return "pageCursor must be a cursor returned as nextCursor";
  const sortType = query.get("sortType");
  if (sortType !== null && sortType !== "4") return "sortType must be 4 (share time)";
  const direction = query.get("sortDirection");
  if (direction !== null && direction !== "1" && direction !== "2") return "sortDirection must be 1 (ascending) or 2 (descending)";
  const displayName = query.get("displayName");
  if (displayName !== null && displayName.length > MAX_DISPLAY_NAME) return `displayName must be at most ${MAX_DISPLAY_NAME} characters`;
  return undefined;
}
