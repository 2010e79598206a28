/**
 * Answers the emulator gives, and the one place their codes and message strings live. KooDrive documents 13000102
 * and 13000309 (HTTP 400), 13000201 (internal) and the API gateway's APIGW.* codes; it documents no code for
 * authentication failures, so the two marked "emulator" are this emulator's own choice.
 */
export const ErrorCodes = {
  PARAMETER_INVALID: 13000102,
  /** emulator: signature, app id or X-Date window rejected (HTTP 400, "authentication failed"). */
  AUTHENTICATION_FAILED: 13000103,
  /** emulator: token missing, unknown or expired (HTTP 401). */
  UNAUTHORIZED: 13000104,
  INNER_INVOKE_FAILURE: 13000201,
  RESOURCE_NOT_FOUND: 13000309,
} as const;

/** Message strings, as KooDrive's examples spell them. */
export const Messages = {
  SUCCESS: "Success.",
  ITEM_SUCCESS: "success",
  NOT_FOUND: "Resource not found.",
  INNER_FAILURE: "inner server invoke failure",
  THROTTLED: "The throttling threshold has been reached.",
  NO_SUCH_API: "The API does not exist or has not been published in the environment.",
  TOO_LARGE: "Request entity too large.",
} as const;

/** An answer: HTTP status, JSON body (undefined: none) and extra headers. */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** A write answered 200 that changed nothing (a cancel of shares that are all gone): no after-apply fault acts on it. */
  unchanged?: true;
  /** The body already as JSON text (sent instead of `body`): the request log's, which it keeps as text. */
  json?: string;
}

/** A KooDrive success answer: the payload fields plus `code` 0 and `msg`. */
export function success(fields: Record<string, unknown>): Reply {
  return { status: 200, body: { ...fields, code: 0, msg: Messages.SUCCESS } };
}

/** KooDrive's `{code, msg}` error body. */
export function apiError(status: number, code: number, msg: string): Reply {
  return { status, body: { code, msg } };
}

/** 400 / 13000102 with the rule that failed. */
export function invalidParameter(detail: string): Reply {
  return apiError(400, ErrorCodes.PARAMETER_INVALID, `Verify parameters failed: ${detail}`);
}

/** 400 / 13000309. */
export function notFound(): Reply {
  return apiError(400, ErrorCodes.RESOURCE_NOT_FOUND, Messages.NOT_FOUND);
}

/** An internal failure (500 by default; fault injection picks other 5xx statuses). */
export function innerFailure(status = 500): Reply {
  return apiError(status, ErrorCodes.INNER_INVOKE_FAILURE, Messages.INNER_FAILURE);
}

/** The API gateway's throttling answer (Huawei APIG convention). */
export function throttled(retryAfterSeconds: number): Reply {
  return { status: 429, body: { error_code: "APIGW.0308", error_msg: Messages.THROTTLED }, headers: { "Retry-After": String(retryAfterSeconds) } };
}

/** The API gateway's answer for a path no API is published at. */
export function noSuchApi(): Reply {
  return { status: 404, body: { error_code: "APIGW.0101", error_msg: Messages.NO_SUCH_API } };
}

/** The API gateway's answer for a body over its limit. */
export function entityTooLarge(): Reply {
  return gatewayRefusal(413, Messages.TOO_LARGE);
}

/** An admin-API answer: `{error}` with 400 unless said otherwise. */
export function adminError(error: string, status = 400): Reply {
  return { status, body: { error } };
}

/** The API gateway refusing a request that is not valid HTTP for it (`APIGW.0201`), with `status`. */
export function gatewayRefusal(status: number, msg: string): Reply {
  return { status, body: { error_code: "APIGW.0201", error_msg: msg } };
}
