/**
 * When and how long to wait before retrying a KooDrive request. Data, not code paths: every decision is a pure
 * function of the policy and what happened, so it can be table-tested without a server or a clock.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (so `limit + 1` attempts at most). */
  readonly limit: number;
  /** HTTP statuses that are retried for idempotent methods. */
  readonly statusCodes: readonly number[];
  /** Statuses retried even for non-idempotent methods: the gateway refused the request before it ran. */
  readonly statusCodesForAnyMethod: readonly number[];
  /** Methods whose repetition cannot change the outcome. */
  readonly idempotentMethods: readonly string[];
  /** Socket-level error codes worth another try for idempotent methods. */
  readonly networkErrorCodes: readonly string[];
  /** Socket-level error codes retried for any method: the request was never sent. */
  readonly networkErrorCodesForAnyMethod: readonly string[];
  /** First backoff step; doubles with each attempt. */
  readonly baseDelayMs: number;
  /** Ceiling for a computed backoff. */
  readonly backoffLimitMs: number;
  /** `full` jitter spreads retries of many clients; `none` is for deterministic tests. */
  readonly jitter: "full" | "none";
  /** A `Retry-After` longer than this is not waited for: the error is returned instead. */
  readonly maxRetryAfterMs: number;
}

/** Defaults: 3 retries, 500 ms doubling to 8 s with full jitter, `Retry-After` honoured up to 60 s. */
export const defaultRetryPolicy: RetryPolicy = Object.freeze({
  limit: 3,
  statusCodes: [408, 429, 500, 502, 503, 504],
  statusCodesForAnyMethod: [429],
  idempotentMethods: ["GET", "PUT", "HEAD", "DELETE", "OPTIONS"],
  networkErrorCodes: ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "ECONNABORTED", "EPIPE", "EAI_AGAIN", "ENETUNREACH"],
  networkErrorCodesForAnyMethod: ["ECONNREFUSED"],
  baseDelayMs: 500,
  backoffLimitMs: 8_000,
  jitter: "full",
  maxRetryAfterMs: 60_000,
});

/** What one attempt ended with, as far as retrying is concerned. */
export type AttemptOutcome =
  | { kind: "status"; status: number; retryAfter?: string }
  | { kind: "network"; code: string };

/** The verdict for one failed attempt. */
export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/**
 * Parses a `Retry-After` header (delta seconds or an HTTP date) into milliseconds from `nowMs`.
 * Returns `undefined` for a missing or unparsable value.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Exponential backoff for retry number `retry` (1-based), capped, optionally with full jitter. */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.backoffLimitMs, policy.baseDelayMs * 2 ** (retry - 1));
  return policy.jitter === "full" ? Math.floor(random() * ceiling) : ceiling;
}

/**
 * Decides whether attempt number `attempt` (1-based) of `method` should be retried after `outcome`.
 * Other 4xx responses are never retried: they will fail the same way again.
 */
export function decideRetry(
  policy: RetryPolicy,
  method: string,
  attempt: number,
  outcome: AttemptOutcome,
  nowMs: number,
  random: () => number = Math.random,
): RetryDecision {
  if (attempt > policy.limit) return { retry: false, reason: `gave up after ${attempt} attempts` };
  const idempotent = policy.idempotentMethods.includes(method.toUpperCase());
  if (outcome.kind === "network") {
    const retryable = (idempotent ? policy.networkErrorCodes : policy.networkErrorCodesForAnyMethod).includes(outcome.code);
    return retryable
      ? { retry: true, delayMs: backoffDelay(policy, attempt, random) }
      : { retry: false, reason: `${outcome.code} is not retried for ${method}` };
  }
  const listed = idempotent ? policy.statusCodes.includes(outcome.status) : policy.statusCodesForAnyMethod.includes(outcome.status);
  if (!listed) return { retry: false, reason: `HTTP ${outcome.status} is not retried for ${method}` };
  const retryAfterMs = parseRetryAfter(outcome.retryAfter, nowMs);
  if (retryAfterMs === undefined) return { retry: true, delayMs: backoffDelay(policy, attempt, random) };
  if (retryAfterMs > policy.maxRetryAfterMs) {
    return { retry: false, reason: `Retry-After of ${retryAfterMs} ms exceeds the ${policy.maxRetryAfterMs} ms limit` };
  }
  return { retry: true, delayMs: retryAfterMs };
}
