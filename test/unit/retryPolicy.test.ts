import fc from "fast-check";
import {
  NO_RETRIES_YET,
  type RetryHistory,
  type RetryPolicy,
  backoffDelay,
  decideRetry,
  defaultRetryPolicy,
  parseRetryAfter,
  recordRetry,
  retryAfterDelay,
} from "../../src/client/retryPolicy";

const policy: RetryPolicy = { ...defaultRetryPolicy, jitter: "none", baseDelayMs: 100, backoffLimitMs: 1000, limit: 3, throttleRetryTimeoutMs: 60_000 };
const NOW = Date.parse("2025-01-01T00:00:00Z");
const retried = (retries: number, extra: Partial<RetryHistory> = {}): RetryHistory => ({ ...NO_RETRIES_YET, retries, ...extra });

describe("retry policy", () => {
  it.each([
    ["GET", retried(0), { kind: "status", status: 503 }, { retry: true, delayMs: 100, budget: "retries" }],
    ["PUT", retried(1), { kind: "status", status: 500 }, { retry: true, delayMs: 200, budget: "retries" }],
    ["PUT", retried(2), { kind: "status", status: 502 }, { retry: true, delayMs: 400, budget: "retries" }],
    ["PUT", retried(3), { kind: "status", status: 503 }, { retry: false }],
    ["PUT", retried(0), { kind: "status", status: 408 }, { retry: true, delayMs: 100 }],
    ["PUT", retried(0), { kind: "status", status: 504 }, { retry: true, delayMs: 100 }],
    ["PUT", retried(0), { kind: "status", status: 400 }, { retry: false }],
    ["PUT", retried(0), { kind: "status", status: 401 }, { retry: false }],
    ["PUT", retried(0), { kind: "status", status: 404 }, { retry: false }],
    ["PUT", retried(0), { kind: "status", status: 503, retryAfter: "Wed, 01 Jan 2025 00:00:03 GMT" }, { retry: true, delayMs: 3000 }],
    ["PUT", retried(0), { kind: "status", status: 503, retryAfter: "120" }, { retry: false }],
    ["POST", retried(0), { kind: "status", status: 503 }, { retry: false }],
    // A request the policy names as idempotent although its method is not: KooDrive's cancel, retried like a PUT.
    ["POST /koodrive/ose/v1/share/cancel", retried(0), { kind: "status", status: 503 }, { retry: true, delayMs: 100, budget: "retries" }],
    ["POST /koodrive/ose/v1/share/cancel", retried(0), { kind: "network", code: "ECONNRESET" }, { retry: true, delayMs: 100 }],
    ["POST /koodrive/ose/v1/share/cancel", retried(3), { kind: "status", status: 500 }, { retry: false }],
    ["POST /koodrive/ose/v1/share", retried(0), { kind: "status", status: 503 }, { retry: false, reason: "HTTP 503 is not retried for POST" }],
    ["PUT /koodrive/ose/v1/share/1", retried(0), { kind: "status", status: 502 }, { retry: true, delayMs: 100 }],
    // Throttling: any method, honouring Retry-After, not counted against `limit`, bounded by time.
    ["PUT", retried(0), { kind: "status", status: 429, retryAfter: "2" }, { retry: true, delayMs: 2000, budget: "throttleRetries" }],
    ["POST", retried(0), { kind: "status", status: 429 }, { retry: true, delayMs: 100, budget: "throttleRetries" }],
    ["GET", retried(3, { throttleRetries: 40, elapsedMs: 50_000 }), { kind: "status", status: 429, retryAfter: "1" }, { retry: true, delayMs: 1000 }],
    ["GET", retried(0, { throttleRetries: 3 }), { kind: "status", status: 429 }, { retry: true, delayMs: 800 }],
    ["GET", retried(0, { elapsedMs: 59_500 }), { kind: "status", status: 429, retryAfter: "1" }, { retry: false }],
    ["GET", retried(0), { kind: "status", status: 429, retryAfter: "120" }, { retry: false }],
    // Clock skew: one immediate re-signed retry, on its own budget.
    ["PUT", retried(3), { kind: "date-rejected" }, { retry: true, delayMs: 0, budget: "dateRetries" }],
    ["POST", retried(0), { kind: "date-rejected" }, { retry: true, delayMs: 0 }],
    ["PUT", retried(0, { dateRetries: 1 }), { kind: "date-rejected" }, { retry: false }],
    ["PUT", retried(0), { kind: "network", code: "ECONNRESET" }, { retry: true, delayMs: 100 }],
    ["PUT", retried(0), { kind: "network", code: "ECONNABORTED" }, { retry: true, delayMs: 100 }],
    ["PUT", retried(3), { kind: "network", code: "ECONNRESET" }, { retry: false }],
    ["POST", retried(0), { kind: "network", code: "ECONNRESET" }, { retry: false }],
    ["POST", retried(0), { kind: "network", code: "ECONNREFUSED" }, { retry: true, delayMs: 100 }],
    ["GET", retried(0), { kind: "network", code: "ERR_INVALID_URL" }, { retry: false }],
    // A name that does not resolve: never sent; a wrong endpoint more often than not, so said at once. A DNS hiccup passes.
    ["GET", retried(0), { kind: "network", code: "ENOTFOUND" }, { retry: false }],
    ["POST", retried(0), { kind: "network", code: "ENOTFOUND" }, { retry: false }],
    ["POST", retried(0), { kind: "network", code: "EAI_AGAIN" }, { retry: true, delayMs: 100 }],
    ["PUT", retried(0), { kind: "network", code: "ERR_SSL_WRONG_VERSION_NUMBER" }, { retry: false }],
    // A certificate refused: never sent, but it fails the same way again.
    ["GET", retried(0), { kind: "network", code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" }, { retry: false }],
    ["POST", retried(0), { kind: "network", code: "SELF_SIGNED_CERT_IN_CHAIN" }, { retry: false }],
    // A proxy that refused to forward: never sent, so any method; retried only when the proxy could not reach KooDrive.
    ["POST", retried(0), { kind: "proxy-refused", status: 502 }, { retry: true, delayMs: 100, budget: "retries" }],
    ["PUT", retried(2), { kind: "proxy-refused", status: 503 }, { retry: true, delayMs: 400 }],
    ["PUT", retried(3), { kind: "proxy-refused", status: 502 }, { retry: false, reason: "gave up after 4 attempts" }],
    ["GET", retried(0), { kind: "proxy-refused", status: 407 }, { retry: false, reason: "the proxy's HTTP 407 is not retried" }],
    ["GET", retried(0), { kind: "proxy-refused", status: 403 }, { retry: false }],
  ] as const)("%s after %j, %j → %j", (method, history, outcome, expected) => {
    expect(decideRetry(policy, method, history, outcome, NOW)).toMatchObject(expected);
  });

  it.each([
    // Not retried whatever the wait: the error must not blame the Retry-After.
    ["POST", { kind: "status", status: 503, retryAfter: "120" }, { retry: false, reason: "HTTP 503 is not retried for POST" }],
    ["PUT", { kind: "status", status: 400, retryAfter: "120" }, { retry: false, reason: "HTTP 400 is not retried for PUT" }],
    // Retried but for the wait: the error says so.
    ["PUT", { kind: "status", status: 503, retryAfter: "120" }, { retry: false, timeLimit: true }],
    ["POST", { kind: "status", status: 429, retryAfter: "120" }, { retry: false, timeLimit: true }],
  ] as const)("%s after %j: the time limit is named only when it stopped a retry", (method, outcome, expected) => {
    const decision = decideRetry(policy, method, retried(0), outcome, NOW);
    expect(decision).toEqual(expected.retry === false && !("timeLimit" in expected) ? expected : expect.objectContaining(expected));
  });

  it("a throttled wait longer than a minute is waited for within koodrive:throttleRetryTimeoutMs; a 5xx's is not", () => {
    const patient = { ...policy, throttleRetryTimeoutMs: 30 * 60_000 };
    expect(decideRetry(patient, "PUT", retried(0), { kind: "status", status: 429, retryAfter: "120" }, NOW)).toEqual({
      retry: true,
      delayMs: 120_000,
      budget: "throttleRetries",
    });
    expect(decideRetry(policy, "PUT", retried(0), { kind: "status", status: 429, retryAfter: "120" }, NOW)).toMatchObject({
      retry: false,
      reason: expect.stringMatching(/next wait \(120 s\) would pass the throttle retry timeout of 60 s \(koodrive:throttleRetryTimeoutMs\)/),
    });
    expect(decideRetry(patient, "PUT", retried(0), { kind: "status", status: 503, retryAfter: "120" }, NOW)).toMatchObject({
      retry: false,
      reason: "not retried: KooDrive asked to wait 120 s, longer than the 60 s an HTTP 503's Retry-After is waited for",
    });
  });

  it.each([
    [undefined, undefined],
    ["", undefined],
    ["3", 3000],
    ["1.5", 1500],
    ["Wed, 01 Jan 2025 00:00:10 GMT", 10000],
    ["Tue, 31 Dec 2024 23:59:00 GMT", 0],
    ["soon", undefined],
    // Not HTTP dates, though V8's lenient Date.parse reads each as one (in 2001): a garbled header is no header.
    ["-5", undefined],
    ["-1.5", undefined],
    ["2, 3", undefined],
    ["Sunday, 06-Nov-94 08:49:37 GMT", 0],
    ["Sun Nov  6 08:49:37 1994", 0],
  ])("Retry-After %j → %j ms", (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it("full-jitter backoff stays within [0, min(limit, base·2^(n-1)))", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (retry, r) => {
        const jittered = { ...policy, jitter: "full" as const };
        const delay = backoffDelay(jittered, retry, () => r);
        const ceiling = Math.min(policy.backoffLimitMs, policy.baseDelayMs * 2 ** (retry - 1));
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }),
    );
  });

  it("a jittered Retry-After is never shorter than asked, and at most half as long again", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60_000 }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (retryAfterMs, r) => {
        const delay = retryAfterDelay({ ...policy, jitter: "full" }, retryAfterMs, () => r);
        expect(delay).toBeGreaterThanOrEqual(retryAfterMs);
        expect(delay).toBeLessThanOrEqual(retryAfterMs * 1.5);
      }),
    );
    expect(retryAfterDelay(policy, 2000, () => 0.9)).toBe(2000);
  });

  it("a throttled request's first Retry-After is waited exactly, later ones and a 5xx's with jitter", () => {
    const jittered: RetryPolicy = { ...policy, jitter: "full" };
    const throttled = { kind: "status", status: 429, retryAfter: "2" } as const;
    const atMost = () => 0.9999;
    expect(decideRetry(jittered, "PUT", retried(0), throttled, NOW, atMost)).toMatchObject({ retry: true, delayMs: 2000 });
    expect(decideRetry(jittered, "PUT", retried(0, { throttleRetries: 1 }), throttled, NOW, atMost)).toMatchObject({ retry: true, delayMs: 2999 });
    expect(decideRetry(jittered, "PUT", retried(0), { kind: "status", status: 503, retryAfter: "2" }, NOW, atMost)).toMatchObject({ delayMs: 2999 });
    // Without a Retry-After, throttling backs off with jitter from the first retry.
    expect(decideRetry(jittered, "PUT", retried(0), { kind: "status", status: 429 }, NOW, () => 0.5)).toMatchObject({ delayMs: 50 });
    // Set to 1, every throttled wait is jittered.
    expect(decideRetry({ ...jittered, throttleJitterFromRetry: 1 }, "PUT", retried(0), throttled, NOW, atMost)).toMatchObject({ delayMs: 2999 });
  });

  it("never retries a server error beyond the limit, whatever the method and status", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("GET", "PUT", "POST"),
        fc.integer({ min: 100, max: 599 }).filter((s) => s !== 429),
        (method, status) => {
          expect(decideRetry(policy, method, retried(policy.limit), { kind: "status", status }, NOW).retry).toBe(false);
        },
      ),
    );
  });

  it("never lets throttling retries run past the time budget", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 120_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom(undefined, "0", "1", "5"),
        (elapsedMs, throttleRetries, retryAfter) => {
          const decision = decideRetry(
            { ...policy, jitter: "full" },
            "PUT",
            retried(0, { elapsedMs, throttleRetries }),
            { kind: "status", status: 429, retryAfter },
            NOW,
          );
          if (decision.retry) expect(elapsedMs + decision.delayMs).toBeLessThanOrEqual(policy.throttleRetryTimeoutMs);
        },
      ),
    );
  });

  it("records each retry on the budget it drew on", () => {
    const history = recordRetry(recordRetry(NO_RETRIES_YET, "throttleRetries", 1000), "retries", 2500);
    expect(history).toEqual({ retries: 1, throttleRetries: 1, dateRetries: 0, elapsedMs: 2500 });
  });
});
