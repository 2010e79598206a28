import fc from "fast-check";
import { RetryPolicy, backoffDelay, decideRetry, defaultRetryPolicy, parseRetryAfter } from "../../src/client/retryPolicy";

const policy: RetryPolicy = { ...defaultRetryPolicy, jitter: "none", baseDelayMs: 100, backoffLimitMs: 1000, limit: 3 };
const NOW = Date.parse("2025-01-01T00:00:00Z");

describe("retry policy", () => {
  it.each([
    ["GET", 1, { kind: "status", status: 503 }, { retry: true, delayMs: 100 }],
    ["PUT", 2, { kind: "status", status: 500 }, { retry: true, delayMs: 200 }],
    ["PUT", 3, { kind: "status", status: 502 }, { retry: true, delayMs: 400 }],
    ["PUT", 4, { kind: "status", status: 503 }, { retry: false }],
    ["PUT", 1, { kind: "status", status: 408 }, { retry: true, delayMs: 100 }],
    ["PUT", 1, { kind: "status", status: 504 }, { retry: true, delayMs: 100 }],
    ["PUT", 1, { kind: "status", status: 400 }, { retry: false }],
    ["PUT", 1, { kind: "status", status: 401 }, { retry: false }],
    ["PUT", 1, { kind: "status", status: 404 }, { retry: false }],
    ["PUT", 1, { kind: "status", status: 429, retryAfter: "2" }, { retry: true, delayMs: 2000 }],
    ["PUT", 1, { kind: "status", status: 503, retryAfter: "Wed, 01 Jan 2025 00:00:03 GMT" }, { retry: true, delayMs: 3000 }],
    ["PUT", 1, { kind: "status", status: 503, retryAfter: "120" }, { retry: false }],
    ["POST", 1, { kind: "status", status: 503 }, { retry: false }],
    ["POST", 1, { kind: "status", status: 429 }, { retry: true, delayMs: 100 }],
    ["PUT", 1, { kind: "network", code: "ECONNRESET" }, { retry: true, delayMs: 100 }],
    ["PUT", 1, { kind: "network", code: "ECONNABORTED" }, { retry: true, delayMs: 100 }],
    ["POST", 1, { kind: "network", code: "ECONNRESET" }, { retry: false }],
    ["POST", 1, { kind: "network", code: "ECONNREFUSED" }, { retry: true, delayMs: 100 }],
    ["GET", 1, { kind: "network", code: "ERR_INVALID_URL" }, { retry: false }],
  ] as const)("%s attempt %d after %j → %j", (method, attempt, outcome, expected) => {
    expect(decideRetry(policy, method, attempt, outcome, NOW)).toMatchObject(expected);
  });

  it.each([
    [undefined, undefined],
    ["", undefined],
    ["3", 3000],
    ["1.5", 1500],
    ["Wed, 01 Jan 2025 00:00:10 GMT", 10000],
    ["Tue, 31 Dec 2024 23:59:00 GMT", 0],
    ["soon", undefined],
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

  it("never retries beyond the limit, whatever the outcome", () => {
    fc.assert(
      fc.property(fc.constantFrom("GET", "PUT", "POST"), fc.integer({ min: 100, max: 599 }), (method, status) => {
        expect(decideRetry(policy, method, policy.limit + 1, { kind: "status", status }, NOW).retry).toBe(false);
      }),
    );
  });
});
