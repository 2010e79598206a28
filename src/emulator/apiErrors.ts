/**
 * Error codes and bodies the emulator answers with. KooDrive documents 13000102 and 13000309 (HTTP 400),
 * 13000201 (internal) and the API gateway's APIGW.* codes; it documents no code for authentication failures,
 * so the two marked "emulator" are this emulator's own choice.
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

/** An error answer: HTTP status, JSON body and extra headers. */
export interface ErrorReply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** KooDrive's `{code, msg}` error body. */
export function apiError(status: number, code: number, msg: string): ErrorReply {
  return { status, body: { code, msg } };
}

/** 400 / 13000102 with the rule that failed. */
export function invalidParameter(detail: string): ErrorReply {
  return apiError(400, ErrorCodes.PARAMETER_INVALID, `Verify parameters failed: ${detail}`);
}

/** 400 / 13000309. */
export function notFound(): ErrorReply {
  return apiError(400, ErrorCodes.RESOURCE_NOT_FOUND, "Resource not found.");
}

/** The API gateway's throttling answer (Huawei APIG convention). */
export function throttled(retryAfterSeconds: number): ErrorReply {
  return {
    status: 429,
    body: { error_code: "APIGW.0308", error_msg: "The throttling threshold has been reached." },
    headers: { "Retry-After": String(retryAfterSeconds) },
  };
}

/** The API gateway's answer for a path no API is published at. */
export function noSuchApi(): ErrorReply {
  return { status: 404, body: { error_code: "APIGW.0101", error_msg: "The API does not exist or has not been published in the environment." } };
}
