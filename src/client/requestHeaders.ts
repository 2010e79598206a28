import { randomFillSync } from "node:crypto";

/** Length of `X-Traceid` required by KooDrive ("58 bits" in the docs means 58 characters). */
export const TRACE_ID_LENGTH = 58;

/**
 * Formats a time as KooDrive's `X-Date` (`yyyyMMdd'T'HHmmss'Z'`, UTC).
 *
 * Sub-second precision is truncated, never rounded: the server rejects an `X-Date` later than its clock,
 * and truncation keeps the header at or before the moment the request is built.
 */
export function formatXDate(time: Date): string {
  const second = Math.floor(time.getTime() / 1000);
  if (second !== lastXDate.second) {
    const iso = time.toISOString(); // 2025-05-29T02:00:39.952Z
    lastXDate = { second, text: `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z` };
  }
  return lastXDate.text;
}

/** The last second formatted: requests in the same second share it (formatting cost about 4 µs per request). */
let lastXDate = { second: Number.NaN, text: "" };

const TRACE_ID_BYTES = TRACE_ID_LENGTH / 2;
/** Random bytes for the next 128 trace ids: one call into the system's generator per 128 requests, not per request. */
const traceIdEntropy = Buffer.alloc(TRACE_ID_BYTES * 128);
let traceIdOffset = traceIdEntropy.length;

/** A fresh random trace id: 58 lower-case hex characters. */
export function newTraceId(): string {
  if (traceIdOffset === traceIdEntropy.length) {
    randomFillSync(traceIdEntropy);
    traceIdOffset = 0;
  }
  const id = traceIdEntropy.toString("hex", traceIdOffset, traceIdOffset + TRACE_ID_BYTES);
  traceIdOffset += TRACE_ID_BYTES;
  return id;
}

/** The identity headers every KooDrive request carries, apart from `Authorization`. */
export interface IdentityHeaders {
  "X-User-Id": string;
  "X-Date": string;
  /** Carrier name; absent on the enterprise edition unless one is configured. */
  "X-Hw-Agentname"?: string;
  "X-Traceid": string;
}

/** Builds the per-attempt identity headers for signing time `signedAt` (server time, see `serverClock.ts`). */
export function identityHeaders(userId: string, agentName: string | undefined, traceId: string, signedAt: Date): IdentityHeaders {
  const headers: IdentityHeaders = { "X-User-Id": userId, "X-Date": formatXDate(signedAt), "X-Traceid": traceId };
  if (agentName !== undefined) headers["X-Hw-Agentname"] = agentName;
  return headers;
}

/** The scheme before a token: the docs write `Bearer+{access_token}`; HTTP's usual form is `Bearer {token}`. */
export const BEARER_PREFIX = "Bearer[+ ]";

/** The token without its scheme, as a user may give it either way. */
export function withoutBearerPrefix(token: string): string {
  return token.replace(new RegExp(`^${BEARER_PREFIX}`, "i"), "");
}

/**
 * `Authorization` value for token auth. The docs write the format as `Bearer+{access_token}` and session APIs hand
 * out tokens that already start with `Bearer+`, so an existing prefix is kept rather than doubled.
 */
export function bearerAuthorization(token: string): string {
  const trimmed = token.trim();
  return withoutBearerPrefix(trimmed) !== trimmed ? trimmed : `Bearer ${trimmed}`;
}
