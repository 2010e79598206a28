/**
 * When and how long to wait before retrying a KooDrive request. Data, not code paths: every decision is a pure
 * function of the policy, what happened so far and what happened now, so it can be table-tested without a server or
 * a clock.
 */
import { CANCEL_PATH } from "./apiPaths";
import { formatSeconds } from "./clientEvents";
import { parseHttpDate } from "./serverClock";

export interface RetryPolicy {
  /** Retries after server errors, timeouts and network errors (so `limit + 1` such attempts at most). */
  readonly limit: number;
  /** HTTP statuses that are retried for idempotent methods, counted against `limit`. */
  readonly statusCodes: readonly number[];
  /**
   * "Throttled" statuses: the gateway refused the request before it ran, so they are retried for any method, and
   * for as long as `throttleRetryTimeoutMs` allows rather than a number of times.
   */
  readonly throttleStatusCodes: readonly number[];
  /**
   * How long one operation keeps retrying throttled answers, measured from when its first attempt got its turn in the
   * shared request budget (the wait for that turn is other calls' time, not KooDrive's refusals).
   */
  readonly throttleRetryTimeoutMs: number;
  /** Methods whose repetition cannot change the outcome. */
  readonly idempotentMethods: readonly string[];
  /**
   * Requests, as `METHOD /path`, whose repetition cannot change the outcome although their method may: KooDrive's
   * cancel (a repeat answers "not found" for each share an earlier attempt cancelled).
   */
  readonly idempotentRequests: readonly string[];
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
  /**
   * A 5xx's `Retry-After` longer than this is not waited for: the error is returned instead. A throttled request's
   * wait is bounded by `throttleRetryTimeoutMs` instead: a gateway's per-minute quota answers with waits past a minute.
   */
  readonly maxRetryAfterMs: number;
  /**
   * With `full` jitter, a `Retry-After` wait is stretched by up to this fraction of itself, so requests throttled
   * together do not all come back in the same instant and get throttled together again.
   */
  readonly retryAfterJitterRatio: number;
  /**
   * The throttled retry of an operation (1-based) from which its `Retry-After` wait is jittered; earlier ones come
   * back when KooDrive said. Within a process, no more than the quota learned from the 429s come back at once anyway:
   * every retry waits in the shared request budget (`RequestBudget`). Jitter there would only add to each wait, and to
   * every page of a listing, since its pages wait on each other. A request refused again shows other clients coming
   * back at the same moment, and from then on its waits are spread. A 5xx's `Retry-After` is always jittered: the
   * budget learns no quota from those.
   */
  readonly throttleJitterFromRetry: number;
  /** Retries after KooDrive rejected the `X-Date` (clock skew), each signed again with the re-learned server time. */
  readonly dateRejectionRetries: number;
}

/**
 * A TLS handshake answered by something that does not speak TLS (an https endpoint or proxy that serves plain http):
 * OpenSSL's "wrong version number", which Node may report only as EPROTO. Never sent, and never retried.
 */
export const NO_TLS_CODE = "ERR_SSL_WRONG_VERSION_NUMBER";

/**
 * Network errors raised before a request left this machine, so KooDrive cannot have run it, and a write that failed so
 * is known not to have been applied: no connection was made (refused, or the host name did not resolve; a kept-alive
 * connection never raises them), or the connection's TLS handshake failed before anything was sent on it.
 */
const NEVER_SENT_NETWORK_CODES: readonly string[] = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", NO_TLS_CODE];

/**
 * The never-sent errors that may pass (a server restarting, a DNS server's hiccup), retried for any method. A name that
 * does not resolve (ENOTFOUND) is a wrong endpoint or proxy far more often: said at once, not retried.
 */
const RETRIED_NEVER_SENT_CODES: readonly string[] = ["ECONNREFUSED", "EAI_AGAIN"];

/**
 * TLS errors for a certificate this machine refused (OpenSSL's verification codes, and Node's for a host name the
 * certificate is not for). The handshake failed, so nothing was sent either; but it fails the same way until the trust
 * store, the clock or the endpoint changes, so it is never retried (none is in the retried lists).
 */
export const CERTIFICATE_REFUSAL_CODES: readonly string[] = [
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_REVOKED",
  "INVALID_CA",
  "INVALID_PURPOSE",
  "CERT_CHAIN_TOO_LONG",
  "PATH_LENGTH_EXCEEDED",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_TLS_CERT_ALTNAME_FORMAT",
  // OpenSSL's name for a certificate signed with a digest it refuses (SHA-1), which Node reports as UNSPECIFIED.
  "CA_MD_TOO_WEAK",
];

/** Whether a network error code means the request never left this machine (see the two lists above). */
export function neverSent(code: string | undefined): boolean {
  return code !== undefined && (NEVER_SENT_NETWORK_CODES.includes(code) || CERTIFICATE_REFUSAL_CODES.includes(code));
}

/**
 * Defaults: 3 retries of server errors, 500 ms doubling to 8 s with full jitter; throttling retried for up to
 * 5 minutes, `Retry-After` honoured up to 60 s, plus up to 50 % jitter for a 5xx and from a request's second
 * throttled retry on; one retry after a clock-skew rejection.
 */
export const defaultRetryPolicy: RetryPolicy = Object.freeze({
  limit: 3,
  statusCodes: [408, 500, 502, 503, 504],
  throttleStatusCodes: [429],
  // Five minutes: long enough to outwait a gateway's per-minute quota, short enough to notice a stuck run.
  throttleRetryTimeoutMs: 300_000,
  idempotentMethods: ["GET", "PUT", "HEAD", "DELETE", "OPTIONS"],
  idempotentRequests: [`POST ${CANCEL_PATH}`],
  networkErrorCodes: ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "ECONNABORTED", "EPIPE", "EAI_AGAIN", "ENETUNREACH"],
  networkErrorCodesForAnyMethod: RETRIED_NEVER_SENT_CODES,
  baseDelayMs: 500,
  backoffLimitMs: 8_000,
  jitter: "full",
  maxRetryAfterMs: 60_000,
  retryAfterJitterRatio: 0.5,
  throttleJitterFromRetry: 2,
  dateRejectionRetries: 1,
});

/** What one attempt ended with, as far as retrying is concerned. */
export type AttemptOutcome =
  | { kind: "status"; status: number; retryAfter?: string }
  | { kind: "network"; code: string }
  /** KooDrive refused the request's `X-Date` (outside its window): the clocks disagree. */
  | { kind: "date-rejected" }
  /** The proxy refused to forward the request, with its own answer: nothing reached KooDrive. */
  | { kind: "proxy-refused"; status: number };

/** What one operation has used of its retry budgets so far. */
export interface RetryHistory {
  /** Retries counted against `limit`. */
  readonly retries: number;
  /** Retries after throttling. */
  readonly throttleRetries: number;
  /** Retries after a date-window rejection. */
  readonly dateRetries: number;
  /** Time since the operation's first attempt got its turn (see `throttleRetryTimeoutMs`). */
  readonly elapsedMs: number;
}

/** The history of an operation that has not failed yet. */
export const NO_RETRIES_YET: RetryHistory = Object.freeze({ retries: 0, throttleRetries: 0, dateRetries: 0, elapsedMs: 0 });

/** Which budget a retry draws on. */
export type RetryBudget = "retries" | "throttleRetries" | "dateRetries";

/** The verdict for one failed attempt. */
export type RetryDecision =
  | { retry: true; delayMs: number; budget: RetryBudget }
  /**
   * `timeLimit`: a wait the server asked for would pass a time limit (a `Retry-After` too long, or throttling that
   * has lasted too long). The error then says so: its attempt count alone cannot tell why nothing was retried.
   */
  | { retry: false; reason: string; timeLimit?: true };

/**
 * Parses a `Retry-After` header (delta seconds or an HTTP date) into milliseconds from `nowMs`, which must be on
 * the server's clock: the date is one of its times.
 * Returns `undefined` for a missing or unparsable value.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = parseHttpDate(trimmed);
  return date === undefined ? undefined : Math.max(0, date - nowMs);
}

/** Exponential backoff for retry number `retry` (1-based), capped, optionally with full jitter. */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.backoffLimitMs, policy.baseDelayMs * 2 ** (retry - 1));
  return policy.jitter === "full" ? Math.floor(random() * ceiling) : ceiling;
}

/** A `Retry-After` wait, stretched by up to `retryAfterJitterRatio` of itself with `full` jitter. */
export function retryAfterDelay(policy: RetryPolicy, retryAfterMs: number, random: () => number = Math.random): number {
  return policy.jitter === "full" ? retryAfterMs + Math.floor(random() * retryAfterMs * policy.retryAfterJitterRatio) : retryAfterMs;
}

/**
 * With `full` jitter, a retry that is told when to come back starts later than that, never earlier; a throttled one
 * only from `throttleJitterFromRetry` on.
 */
function serverRequestedDelay(policy: RetryPolicy, retryAfterMs: number | undefined, retry: number, random: () => number, throttled: boolean): number {
  if (retryAfterMs === undefined) return backoffDelay(policy, retry, random);
  return throttled && retry < policy.throttleJitterFromRetry ? retryAfterMs : retryAfterDelay(policy, retryAfterMs, random);
}

/**
 * Decides whether a `request` (`METHOD /path`, or the method alone), with `history` behind it, should retry after
 * `outcome`; `nowMs` is the server's time (see {@link parseRetryAfter}). Other 4xx responses are never retried: they
 * will fail the same way again.
 */
export function decideRetry(
  policy: RetryPolicy,
  request: string,
  history: RetryHistory,
  outcome: AttemptOutcome,
  nowMs: number,
  random: () => number = Math.random,
): RetryDecision {
  if (outcome.kind === "date-rejected") {
    return history.dateRetries < policy.dateRejectionRetries
      ? { retry: true, delayMs: 0, budget: "dateRetries" }
      : { retry: false, reason: `X-Date rejected again after ${history.dateRetries} re-signed attempt(s)` };
  }
  const attempts = history.retries + 1;
  if (outcome.kind === "proxy-refused") {
    // A proxy that cannot reach KooDrive now (its 5xx) may manage later, and a request it refused was never sent, so
    // any method is retried; its other refusals (credentials, a blocked host) stay until someone changes them.
    if (!policy.statusCodes.includes(outcome.status)) return { retry: false, reason: `the proxy's HTTP ${outcome.status} is not retried` };
    if (history.retries >= policy.limit) return { retry: false, reason: `gave up after ${attempts} attempts` };
    return { retry: true, delayMs: backoffDelay(policy, attempts, random), budget: "retries" };
  }
  const method = request.split(" ", 1)[0]!.toUpperCase();
  const idempotent = policy.idempotentMethods.includes(method) || policy.idempotentRequests.includes(request);
  if (outcome.kind === "network") {
    const retryable = (idempotent ? policy.networkErrorCodes : policy.networkErrorCodesForAnyMethod).includes(outcome.code);
    if (!retryable) return { retry: false, reason: `${outcome.code} is not retried for ${method}` };
    if (history.retries >= policy.limit) return { retry: false, reason: `gave up after ${attempts} attempts` };
    return { retry: true, delayMs: backoffDelay(policy, attempts, random), budget: "retries" };
  }
  const throttled = policy.throttleStatusCodes.includes(outcome.status);
  if (!throttled && (!idempotent || !policy.statusCodes.includes(outcome.status)))
    return { retry: false, reason: `HTTP ${outcome.status} is not retried for ${method}` };
  const retryAfterMs = parseRetryAfter(outcome.retryAfter, nowMs);
  if (throttled) {
    const delayMs = serverRequestedDelay(policy, retryAfterMs, history.throttleRetries + 1, random, true);
    if (history.elapsedMs + delayMs > policy.throttleRetryTimeoutMs) {
      return {
        retry: false,
        reason: `not retried: throttled for ${formatSeconds(history.elapsedMs)}, and the next wait (${formatSeconds(delayMs)}) would pass the throttle retry timeout of ${formatSeconds(policy.throttleRetryTimeoutMs)} (koodrive:throttleRetryTimeoutMs)`,
        timeLimit: true,
      };
    }
    return { retry: true, delayMs, budget: "throttleRetries" };
  }
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) {
    return {
      retry: false,
      reason: `not retried: KooDrive asked to wait ${formatSeconds(retryAfterMs)}, longer than the ${formatSeconds(policy.maxRetryAfterMs)} an HTTP ${outcome.status}'s Retry-After is waited for`,
      timeLimit: true,
    };
  }
  if (history.retries >= policy.limit) return { retry: false, reason: `gave up after ${attempts} attempts` };
  return { retry: true, delayMs: serverRequestedDelay(policy, retryAfterMs, attempts, random, false), budget: "retries" };
}

/** The history after a retry drawn on `budget`, at `elapsedMs` since the first attempt. */
export function recordRetry(history: RetryHistory, budget: RetryBudget, elapsedMs: number): RetryHistory {
  return { ...history, [budget]: history[budget] + 1, elapsedMs };
}
