import fc from "fast-check";
import {
  type BudgetState,
  RequestBudget,
  afterSuccess,
  afterThrottle,
  defaultBudgetPolicy,
  initialBudgetState,
  nextPacedStart,
  startDelay,
} from "../../src/client/requestBudget";

const policy = defaultBudgetPolicy;
const state = (s: Partial<BudgetState>): BudgetState => ({ ...initialBudgetState({ maxConcurrency: 16 }), ...s });

describe("request budget decisions (AIMD)", () => {
  it.each([
    // [before, throttle event, after]
    [
      "no rate configured: learns the quota from the requests accepted in the second before the refused one",
      state({}),
      { now: 5000, requestStartedAt: 4900, acceptedBefore: 5 },
      { concurrency: 8, requestsPerSecond: undefined, learnedQuota: 5, quotaCeiling: 5, quotaLearnedAt: 5000, pausedUntil: 5000, lastDecreaseAt: 5000 },
    ],
    [
      "a later round under the learned quota halves it, keeping the ceiling",
      state({ learnedQuota: 5, quotaCeiling: 5, quotaLearnedAt: 1000, lastDecreaseAt: 1000 }),
      { now: 5000, requestStartedAt: 4900, acceptedBefore: 3 },
      { learnedQuota: 2, quotaCeiling: 5, quotaLearnedAt: 1000, lastDecreaseAt: 5000 },
    ],
    [
      "the learning round answered out of order: a refusal after fewer starts lowers quota and ceiling, without halving",
      state({ learnedQuota: 7, quotaCeiling: 7, quotaLearnedAt: 5000, concurrency: 8, lastDecreaseAt: 5000 }),
      { now: 5010, requestStartedAt: 4900, acceptedBefore: 5 },
      { learnedQuota: 5, quotaCeiling: 5, concurrency: 8, lastDecreaseAt: 5000 },
    ],
    [
      "a straggler of a later round changes nothing",
      state({ learnedQuota: 2, quotaCeiling: 5, quotaLearnedAt: 1000, lastDecreaseAt: 5000 }),
      { now: 5010, requestStartedAt: 4900, acceptedBefore: 1 },
      { learnedQuota: 2, quotaCeiling: 5, lastDecreaseAt: 5000 },
    ],
    ["refused first of all: a quota of one", state({}), { now: 5000, requestStartedAt: 4900, acceptedBefore: 0 }, { learnedQuota: 1, quotaCeiling: 1 }],
    [
      "a Retry-After pauses every new request",
      state({ requestsPerSecond: 4 }),
      { now: 5000, requestStartedAt: 4900, retryAfterMs: 1000, acceptedBefore: 4 },
      { concurrency: 8, requestsPerSecond: 2, learnedQuota: undefined, pausedUntil: 6000 },
    ],
    [
      "sent before the last decrease: nothing changes",
      state({ concurrency: 8, requestsPerSecond: 6, pausedUntil: 6000, lastDecreaseAt: 5000 }),
      { now: 5100, requestStartedAt: 4950, retryAfterMs: 1000, acceptedBefore: 9 },
      { concurrency: 8, requestsPerSecond: 6, pausedUntil: 6000, lastDecreaseAt: 5000 },
    ],
    [
      "floors: one request in flight, the minimum rate",
      state({ concurrency: 1, requestsPerSecond: 0.6 }),
      { now: 1, requestStartedAt: 1, acceptedBefore: 1 },
      { concurrency: 1, requestsPerSecond: 0.5 },
    ],
  ] as const)("throttled, %s", (_name, before, event, expected) => {
    expect(afterThrottle(before, policy, event)).toMatchObject(expected);
  });

  it("with retryAfterPausesEndpoint off, only the throttled request waits its Retry-After", () => {
    const after = afterThrottle(
      state({ requestsPerSecond: 4 }),
      { ...policy, retryAfterPausesEndpoint: false },
      { now: 5000, requestStartedAt: 4900, retryAfterMs: 1000, acceptedBefore: 4 },
    );
    expect(after).toMatchObject({ requestsPerSecond: 2, pausedUntil: 0 });
  });

  it.each([
    [
      "grows concurrency by 1/concurrency and the rate by 1/rate",
      { maxConcurrency: 16 },
      state({ concurrency: 4, requestsPerSecond: 2 }),
      { concurrency: 4.25, requestsPerSecond: 2.5 },
    ],
    [
      "never above the configured limits",
      { maxConcurrency: 4, requestsPerSecond: 5 },
      state({ concurrency: 4, requestsPerSecond: 4.9 }),
      { concurrency: 4, requestsPerSecond: 5 },
    ],
    [
      "leaves an unpaced budget unpaced",
      { maxConcurrency: 16 },
      state({ concurrency: 16 }),
      { concurrency: 16, requestsPerSecond: undefined, learnedQuota: undefined },
    ],
    ["grows a halved learned quota by 1/quota", { maxConcurrency: 16 }, state({ learnedQuota: 2, quotaCeiling: 5 }), { learnedQuota: 2.5 }],
    [
      "never grows a learned quota past what KooDrive was seen to accept",
      { maxConcurrency: 16 },
      state({ learnedQuota: 4.9, quotaCeiling: 5 }),
      { learnedQuota: 5 },
    ],
  ] as const)("success %s", (_name, limits, before, expected) => {
    expect(afterSuccess(before, limits, policy)).toMatchObject(expected);
  });

  it.each([
    ["unpaced and not paused: now", state({}), 1000, 0, [], 0],
    ["paused by Retry-After", state({ pausedUntil: 1800 }), 1000, 0, [], 800],
    ["paced: the next token", state({ requestsPerSecond: 5 }), 1000, 1150, [], 150],
    ["learned quota with room in the window: now (a burst)", state({ learnedQuota: 3 }), 1000, 0, [200, 900], 0],
    ["learned quota full: when the oldest of the last quota starts leaves the window", state({ learnedQuota: 3.7 }), 1000, 0, [100, 200, 900, 950], 300],
    ["learned quota: starts older than the window do not count", state({ learnedQuota: 2 }), 2000, 0, [100, 200, 850], 0],
  ] as const)("start delay, %s", (_name, s, now, nextStart, starts, expected) => {
    expect(startDelay(s, policy, now, nextStart, starts)).toBe(expected);
  });

  it("paces starts 1/rate apart, with a bucket of one token (no burst after idling)", () => {
    const s = state({ requestsPerSecond: 4 });
    expect(nextPacedStart(s, 1000, 0)).toBe(1250);
    expect(nextPacedStart(s, 1100, 1250)).toBe(1500);
    expect(nextPacedStart(state({}), 1000, 0)).toBe(1000);
  });

  it("under any sequence of outcomes, concurrency stays within [1, max] and the rate within [min, configured]", () => {
    const limits = { maxConcurrency: 10, requestsPerSecond: 20 };
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 200 }), (outcomes) => {
        let s = initialBudgetState(limits);
        outcomes.forEach((throttled, i) => {
          s = throttled ? afterThrottle(s, policy, { now: i * 10, requestStartedAt: i * 10, acceptedBefore: 5 }) : afterSuccess(s, limits, policy);
          expect(s.concurrency).toBeGreaterThanOrEqual(1);
          expect(s.concurrency).toBeLessThanOrEqual(limits.maxConcurrency);
          expect(s.requestsPerSecond!).toBeGreaterThanOrEqual(policy.minRequestsPerSecond);
          expect(s.requestsPerSecond!).toBeLessThanOrEqual(limits.requestsPerSecond);
        });
      }),
    );
  });
});

describe("RequestBudget", () => {
  it("never lets more than maxConcurrency requests in flight", async () => {
    const budget = new RequestBudget({ maxConcurrency: 3 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const permit = await budget.acquire();
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        permit.release({ kind: "success" });
      }),
    );
    expect(peak).toBe(3);
  });

  it("paces starts to the configured rate", async () => {
    const budget = new RequestBudget({ maxConcurrency: 10, requestsPerSecond: 20 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, async () => (await budget.acquire()).release({ kind: "success" })).map((p) => p.then(() => starts.push(Date.now()))),
    );
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThanOrEqual(4 * 50 - 10);
  });

  it("reports a request still waiting after longWaitMs, once", async () => {
    const budget = new RequestBudget({ maxConcurrency: 1 }, { ...defaultBudgetPolicy, longWaitMs: 20 });
    const first = await budget.acquire();
    const waits: number[] = [];
    const second = budget.acquire((waitedMs) => waits.push(waitedMs));
    await new Promise((r) => setTimeout(r, 60));
    first.release({ kind: "success" });
    (await second).release({ kind: "success" });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(15);
    expect(budget.snapshot()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it("after a 429 with no rate configured, starts at most the learned quota per window, in bursts", async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const budget = new RequestBudget({ maxConcurrency: 8 });
      // Six requests go out at once; the sixth is refused (5 were accepted before it) with Retry-After: 1.
      const first = await Promise.all(Array.from({ length: 6 }, () => budget.acquire()));
      for (const permit of first.slice(0, 5)) permit.release({ kind: "success" });
      first[5]!.release({ kind: "throttled", retryAfterMs: 1000 });
      expect(budget.snapshot()).toMatchObject({ learnedQuota: 5, pausedForMs: 1000 });
      const starts: number[] = [];
      const pending = Array.from({ length: 12 }, async () => {
        const permit = await budget.acquire();
        starts.push(Date.now());
        permit.release({ kind: "success" });
      });
      await jest.advanceTimersByTimeAsync(5_000);
      await Promise.all(pending);
      const window = defaultBudgetPolicy.quotaWindowMs;
      for (const s of starts) expect(starts.filter((t) => t >= s && t < s + window).length).toBeLessThanOrEqual(5);
      // Bursts, not one start per 200 ms: five once the window of the refused burst (sent at 0) has passed, which is
      // after the pause; five a window later; two after that.
      expect(starts).toEqual([...Array(5).fill(window), ...Array(5).fill(2 * window), 3 * window, 3 * window]);
    } finally {
      jest.useRealTimers();
    }
  });

  it("takes the most restrictive limits of the clients sharing it", () => {
    const budget = new RequestBudget({ maxConcurrency: 16 });
    budget.tighten({ maxConcurrency: 4, requestsPerSecond: 3 });
    budget.tighten({ maxConcurrency: 8 });
    expect(budget.snapshot()).toMatchObject({ concurrency: 4, requestsPerSecond: 3 });
  });
});
