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
      "no rate configured: the quota is what KooDrive accepted around the refusal, counted from the answers",
      state({}),
      { now: 5000, request: { at: 4900, seq: 40 }, newestSeq: 45, acceptedAround: 5 },
      {
        concurrency: 8,
        requestsPerSecond: undefined,
        learnedQuota: 5,
        quotaPacing: "window",
        quotaSample: { from: 3900, beforeSeq: 40 },
        pausedUntil: 5000,
        lastDecreaseSeq: 45,
      },
    ],
    [
      "a later round counts again, lower (another process shares the quota) or higher, and spaces starts evenly",
      state({ learnedQuota: 5.4, quotaSample: { from: 0, beforeSeq: 10 }, lastDecreaseSeq: 12 }),
      { now: 9000, request: { at: 8900, seq: 90 }, newestSeq: 95, acceptedAround: 3 },
      { learnedQuota: 3, quotaPacing: "even", quotaSample: { from: 7900, beforeSeq: 90 }, lastDecreaseSeq: 95 },
    ],
    [
      "a refusal of a round already counted changes nothing",
      state({ learnedQuota: 5, quotaSample: { from: 3900, beforeSeq: 40 }, concurrency: 8, lastDecreaseSeq: 45 }),
      { now: 5010, request: { at: 4900, seq: 43 }, newestSeq: 50, acceptedAround: 1 },
      { learnedQuota: 5, concurrency: 8, lastDecreaseSeq: 45 },
    ],
    [
      "started in the millisecond of the decrease, before it: the same round (start order, not time, decides)",
      state({ learnedQuota: 5, quotaPacing: "window", concurrency: 4, lastDecreaseSeq: 45 }),
      { now: 5000, request: { at: 5000, seq: 45 }, newestSeq: 46, acceptedAround: 5 },
      { learnedQuota: 5, quotaPacing: "window", concurrency: 4, lastDecreaseSeq: 45 },
    ],
    [
      "refused first of all: a count of 0 (still one start per window)",
      state({}),
      { now: 5000, request: { at: 4900, seq: 1 }, newestSeq: 1, acceptedAround: 0 },
      { learnedQuota: 0 },
    ],
    [
      "a Retry-After pauses every new request",
      state({ requestsPerSecond: 4 }),
      { now: 5000, request: { at: 4900, seq: 20 }, newestSeq: 20, retryAfterMs: 1000, acceptedAround: 4 },
      { concurrency: 8, requestsPerSecond: 2, learnedQuota: undefined, pausedUntil: 6000 },
    ],
    [
      "sent before the last decrease: nothing changes",
      state({ concurrency: 8, requestsPerSecond: 6, pausedUntil: 6000, lastDecreaseSeq: 45 }),
      { now: 5100, request: { at: 4950, seq: 44 }, newestSeq: 50, retryAfterMs: 1000, acceptedAround: 9 },
      { concurrency: 8, requestsPerSecond: 6, pausedUntil: 6000, lastDecreaseSeq: 45 },
    ],
    [
      "floors: one request in flight, the minimum rate",
      state({ concurrency: 1, requestsPerSecond: 0.6 }),
      { now: 1, request: { at: 1, seq: 1 }, newestSeq: 1, acceptedAround: 1 },
      { concurrency: 1, requestsPerSecond: 0.5 },
    ],
    [
      "a rate configured below the floor (a per-minute quota) stays: a throttle never raises it",
      state({ requestsPerSecond: 0.2 }),
      { now: 5000, request: { at: 4900, seq: 20 }, newestSeq: 20, acceptedAround: 1 },
      { requestsPerSecond: 0.2 },
    ],
  ] as const)("throttled, %s", (_name, before, event, expected) => {
    expect(afterThrottle(before, policy, event)).toMatchObject(expected);
  });

  it("with retryAfterPausesEndpoint off, only the throttled request waits its Retry-After", () => {
    const after = afterThrottle(
      state({ requestsPerSecond: 4 }),
      { ...policy, retryAfterPausesEndpoint: false },
      { now: 5000, request: { at: 4900, seq: 20 }, newestSeq: 20, retryAfterMs: 1000, acceptedAround: 4 },
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
    [
      "a late success of the counted round adds one to the quota",
      { maxConcurrency: 16 },
      state({ learnedQuota: 4, quotaSample: { from: 3900, beforeSeq: 40 } }),
      { learnedQuota: 5 },
    ],
    [
      "a success started after the refused one is not of the count: the quota probes upwards slowly instead",
      { maxConcurrency: 16 },
      state({ learnedQuota: 5, quotaSample: { from: 3900, beforeSeq: 30 } }),
      { learnedQuota: 5 + 1 / (5 * policy.quotaProbeWindows) },
    ],
    [
      "a success started before the counted second: the same slow probe, +1 per quotaProbeWindows windows of successes",
      { maxConcurrency: 16 },
      state({ learnedQuota: 5, quotaSample: { from: 4950, beforeSeq: 40 } }),
      { learnedQuota: 5 + 1 / (5 * policy.quotaProbeWindows) },
    ],
  ] as const)("success %s", (_name, limits, before, expected) => {
    expect(afterSuccess(before, limits, policy, { at: 4950, seq: 30 })).toMatchObject(expected);
  });

  const even = (learnedQuota: number) => state({ learnedQuota, quotaPacing: "even" });
  const windowed = (learnedQuota: number) => state({ learnedQuota, quotaPacing: "window" });
  it.each([
    ["unpaced and not paused: now", state({}), 1000, 0, [990], 0],
    ["paused by Retry-After", state({ pausedUntil: 1800 }), 1000, 0, [990], 800],
    ["paced: the next token", state({ requestsPerSecond: 5 }), 1000, 1150, [990], 150],
    ["even: spaced a window ÷ quota after the last start", even(5.7), 1000, 0, [100, 900], 120],
    ["even: now, once the spacing has passed", even(2), 2000, 0, [1000], 0],
    ["even: and no more than the quota in any window (a burst sent before the switch)", even(2), 1000, 0, [500, 510], 600],
    ["even, a count of 0: still one start per window", even(0), 1000, 0, [500], 600],
    ["even, nothing started yet: now", even(3), 1000, 0, [], 0],
    ["window: now, while the last window holds fewer than the quota", windowed(3.5), 1000, 0, [800, 900], 0],
    ["window: once full, when its first start leaves it", windowed(3.5), 1000, 0, [100, 800, 850, 900], 900],
    ["window: starts older than the window do not count", windowed(3), 2000, 0, [100, 200, 300, 1500], 0],
    ["window: the moment the first start leaves it", windowed(2), 1600, 0, [500, 510], 0],
    ["window, a count of 0: still one start per window", windowed(0), 1000, 0, [500], 600],
  ] as const)("start delay, %s", (_name, s, now, nextStart, starts, expected) => {
    const recentStarts = starts.map((at, i) => ({ at, seq: i + 1 }));
    expect(startDelay(s, policy, now, nextStart, recentStarts)).toBe(expected);
  });

  it("paces starts 1/rate apart, with a bucket of one token (no burst after idling)", () => {
    const s = state({ requestsPerSecond: 4 });
    expect(nextPacedStart(s, 1000, 0)).toBe(1250);
    expect(nextPacedStart(s, 1100, 1250)).toBe(1500);
    expect(nextPacedStart(state({}), 1000, 0)).toBe(1000);
  });

  it("under any sequence of outcomes, concurrency stays within [1, max], the rate within [min(floor, configured), configured], and a throttle never raises it", () => {
    // The configured rates the README allows: 0.1 to 10,000 per second, fractions too.
    const configuredRate = fc.double({ min: 0.1, max: 10_000, noNaN: true });
    fc.assert(
      fc.property(configuredRate, fc.array(fc.boolean(), { maxLength: 200 }), (requestsPerSecond, outcomes) => {
        const limits = { maxConcurrency: 10, requestsPerSecond };
        let s = initialBudgetState(limits);
        outcomes.forEach((throttled, i) => {
          const request = { at: i * 10, seq: i + 1 };
          const before = s.requestsPerSecond!;
          s = throttled ? afterThrottle(s, policy, { now: i * 10, request, newestSeq: i + 1, acceptedAround: 5 }) : afterSuccess(s, limits, policy, request);
          expect(s.concurrency).toBeGreaterThanOrEqual(1);
          expect(s.concurrency).toBeLessThanOrEqual(limits.maxConcurrency);
          expect(s.requestsPerSecond!).toBeGreaterThanOrEqual(Math.min(policy.minRequestsPerSecond, requestsPerSecond));
          expect(s.requestsPerSecond!).toBeLessThanOrEqual(requestsPerSecond);
          if (throttled) expect(s.requestsPerSecond!).toBeLessThanOrEqual(before);
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

  it("queues a retry ahead of first attempts, after earlier retries", async () => {
    const budget = new RequestBudget({ maxConcurrency: 1 });
    const held = await budget.acquire();
    const granted: string[] = [];
    const wait = (name: string, retry: boolean) =>
      budget.acquire(undefined, { retry }).then((permit) => {
        granted.push(name);
        permit.release({ kind: "success" });
      });
    const all = [wait("first a", false), wait("first b", false), wait("retry c", true), wait("first d", false), wait("retry e", true)];
    held.release({ kind: "success" });
    await Promise.all(all);
    expect(granted).toEqual(["retry c", "retry e", "first a", "first b", "first d"]);
  });

  it("reports a request still waiting after longWaitMs, once, and its end once it has its place", async () => {
    const budget = new RequestBudget({ maxConcurrency: 1 }, { ...defaultBudgetPolicy, longWaitMs: 20 });
    const first = await budget.acquire();
    const waits: number[] = [];
    const overs: number[] = [];
    const second = budget.acquire((waitedMs) => waits.push(waitedMs), { onLongWaitOver: (waitedMs) => overs.push(waitedMs) });
    // Queued behind the second: it waits long too, and reports both.
    const third = budget.acquire((waitedMs) => waits.push(waitedMs), { onLongWaitOver: (waitedMs) => overs.push(waitedMs) });
    await new Promise((r) => setTimeout(r, 60));
    expect(overs).toEqual([]);
    first.release({ kind: "success" });
    (await second).release({ kind: "success" });
    (await third).release({ kind: "success" });
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(20);
    expect(overs).toHaveLength(2);
    // The whole wait, well past longWaitMs: the event loop's 60 ms timer may fire a fraction of a millisecond before
    // the budget's monotonic clock reads 60 (a CI run saw 59.97).
    expect(overs[0]).toBeGreaterThanOrEqual(55);
    // A request granted at once reports neither.
    const fourth = budget.acquire((waitedMs) => waits.push(waitedMs), { onLongWaitOver: (waitedMs) => overs.push(waitedMs) });
    (await fourth).release({ kind: "success" });
    expect([waits.length, overs.length]).toEqual([2, 2]);
    expect(budget.snapshot()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it("reports at least longWaitMs when its clock is a little behind the timers (it said 'waited over 1 s' for a 2 s threshold)", async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const budget = new RequestBudget({ maxConcurrency: 1 }, defaultBudgetPolicy, () => Date.now() * 0.9999);
      const waits: number[] = [];
      const first = await budget.acquire();
      const second = budget.acquire((waitedMs) => waits.push(waitedMs));
      await jest.advanceTimersByTimeAsync(defaultBudgetPolicy.longWaitMs);
      first.release({ kind: "success" });
      (await second).release({ kind: "success" });
      expect(waits).toEqual([defaultBudgetPolicy.longWaitMs]);
    } finally {
      jest.useRealTimers();
    }
  });

  it("arms the long-wait timer only for a request that has to wait", async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const budget = new RequestBudget({ maxConcurrency: 1 }, { ...defaultBudgetPolicy, longWaitMs: 20 });
      const timersArmed = jest.spyOn(global, "setTimeout");
      const waits: number[] = [];
      const first = await budget.acquire((waitedMs) => waits.push(waitedMs));
      expect(timersArmed).not.toHaveBeenCalled();
      const second = budget.acquire((waitedMs) => waits.push(waitedMs));
      expect(timersArmed).toHaveBeenCalledTimes(1);
      expect(jest.getTimerCount()).toBe(1);
      await jest.advanceTimersByTimeAsync(25);
      first.release({ kind: "success" });
      (await second).release({ kind: "success" });
      expect(waits).toEqual([20]);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.restoreAllMocks();
      jest.useRealTimers();
    }
  });

  /** `test` with Jest's fake timers, the clock starting at 0. */
  const onFakeClock = (test: () => Promise<void>) => async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      await test();
    } finally {
      jest.useRealTimers();
    }
  };

  /** Starts `count` requests through `budget` as fast as it lets them, each answered at once with `outcome`. */
  async function startTimes(budget: RequestBudget, count: number, outcome: "success" | "throttled" = "success"): Promise<number[]> {
    const starts: number[] = [];
    const pending = Array.from({ length: count }, async () => {
      const permit = await budget.acquire();
      starts.push(Date.now());
      permit.release(outcome === "success" ? { kind: "success" } : { kind: "throttled", retryAfterMs: 1000 });
    });
    await jest.advanceTimersByTimeAsync(10_000);
    await Promise.all(pending);
    return starts;
  }

  /** A budget whose first six requests went out at 0: five accepted, the sixth refused with Retry-After: 1. */
  async function throttledOnce(): Promise<RequestBudget> {
    const budget = new RequestBudget({ maxConcurrency: 8 });
    const first = await Promise.all(Array.from({ length: 6 }, () => budget.acquire()));
    for (const permit of first.slice(0, 5)) permit.release({ kind: "success" });
    first[5]!.release({ kind: "throttled", retryAfterMs: 1000 });
    expect(budget.snapshot()).toMatchObject({ learnedQuota: 5, quotaPacing: "window", pausedForMs: 1000 });
    return budget;
  }

  const mostInAnySecond = (starts: number[]) => Math.max(...starts.map((s) => starts.filter((t) => t >= s && t < s + 1000).length));

  it(
    "after a first 429 with no rate configured, starts the learned quota together, per window",
    onFakeClock(async () => {
      const budget = await throttledOnce();
      const starts = await startTimes(budget, 12);
      // The pause ends at 1000, but the window that holds the six starts at 0 ends at 1100 (quotaWindowMs).
      const { quotaWindowMs } = defaultBudgetPolicy;
      expect(starts).toEqual([...Array(5).fill(quotaWindowMs), ...Array(5).fill(2 * quotaWindowMs), ...Array(2).fill(3 * quotaWindowMs)]);
      expect(mostInAnySecond([0, 0, 0, 0, 0, 0, ...starts])).toBeLessThanOrEqual(6);
      expect(mostInAnySecond(starts)).toBeLessThanOrEqual(5);
    }),
  );

  it(
    "refused again under a learned quota, spaces its starts evenly",
    onFakeClock(async () => {
      const budget = await throttledOnce();
      await jest.advanceTimersByTimeAsync(defaultBudgetPolicy.quotaWindowMs);
      // Another process now takes two of the five a second: of the next window's four starts (the round halved
      // concurrency to four), the fourth is refused.
      const secondRound = await Promise.all(Array.from({ length: 4 }, () => budget.acquire()));
      for (const permit of secondRound.slice(0, 3)) permit.release({ kind: "success" });
      secondRound[3]!.release({ kind: "throttled", retryAfterMs: 1000 });
      expect(budget.snapshot()).toMatchObject({ learnedQuota: 3, quotaPacing: "even", pausedForMs: 1000 });
      const starts = await startTimes(budget, 6);
      // The pause ends at 2100; the window that holds the second round's four starts at 1100 ends at 2200.
      expect(starts[0]).toBe(2 * defaultBudgetPolicy.quotaWindowMs);
      // A window ÷ 3 apart (timers fire on whole milliseconds).
      for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeCloseTo(defaultBudgetPolicy.quotaWindowMs / 3, -0.5);
      expect(mostInAnySecond(starts)).toBeLessThanOrEqual(3);
    }),
  );

  it(
    "a rate lowered by a 429 paces the next start from then on, not from a start scheduled at the old rate",
    onFakeClock(async () => {
      const budget = new RequestBudget({ maxConcurrency: 4, requestsPerSecond: 4 }, { ...defaultBudgetPolicy, retryAfterPausesEndpoint: false });
      const first = await budget.acquire(); // at 0; the next start is due at 250 under 4 requests/s
      await jest.advanceTimersByTimeAsync(100);
      first.release({ kind: "throttled", retryAfterMs: 1000 }); // at 100: the rate halves to 2/s
      expect(budget.snapshot()).toMatchObject({ requestsPerSecond: 2 });
      const [next] = await startTimes(budget, 1);
      expect(next).toBeGreaterThanOrEqual(100 + 500);
    }),
  );

  it(
    "counts what KooDrive accepted from the answers, whatever order they come in",
    onFakeClock(async () => {
      const budget = new RequestBudget({ maxConcurrency: 8 });
      const burst = await Promise.all(Array.from({ length: 8 }, () => budget.acquire()));
      // The last one to start is refused first; then one accepted, one refused, then four more accepted.
      burst[7]!.release({ kind: "throttled", retryAfterMs: 1000 });
      burst[0]!.release({ kind: "success" });
      burst[6]!.release({ kind: "throttled", retryAfterMs: 1000 });
      for (const permit of burst.slice(1, 5)) permit.release({ kind: "success" });
      burst[5]!.release({ kind: "throttled", retryAfterMs: 1000 });
      // One round, whose count of 0 gained the five late answers: window pacing, and concurrency halved once (to 4),
      // then grown by about one with the five successes.
      expect(budget.snapshot()).toMatchObject({ learnedQuota: 5, quotaPacing: "window", concurrency: 5 });
    }),
  );

  it(
    "counts error answers as let through, on time or late, and network failures not at all",
    onFakeClock(async () => {
      const budget = new RequestBudget({ maxConcurrency: 8 });
      const burst = await Promise.all(Array.from({ length: 8 }, () => budget.acquire()));
      burst[0]!.release({ kind: "success" });
      burst[1]!.release({ kind: "error" }); // a 400 "not found": the gateway counted it
      burst[2]!.release({ kind: "unanswered" }); // a reset: it may never have reached the gateway
      burst[6]!.release({ kind: "throttled", retryAfterMs: 1000 });
      expect(budget.snapshot()).toMatchObject({ learnedQuota: 2 });
      burst[3]!.release({ kind: "error" }); // late, in the count's second and before the refused request
      expect(budget.snapshot()).toMatchObject({ learnedQuota: 3 });
      burst[7]!.release({ kind: "error" }); // started after the refused one: not the count's
      expect(budget.snapshot()).toMatchObject({ learnedQuota: 3 });
    }),
  );

  it(
    "waits on a monotonic clock: the wall clock stepped back a minute during a pause does not hold requests a minute",
    onFakeClock(async () => {
      const budget = await throttledOnce(); // paused for 1 s, and the next window opens at 1.1 s
      jest.setSystemTime(Date.now() - 60_000);
      let granted = false;
      const next = budget.acquire().then((permit) => {
        granted = true;
        permit.release({ kind: "success" });
      });
      await jest.advanceTimersByTimeAsync(defaultBudgetPolicy.quotaWindowMs);
      expect(granted).toBe(true);
      await next;
    }),
  );

  it(
    "a request granted in the millisecond a 429 is read, before it is read, belongs to that 429's round",
    onFakeClock(async () => {
      const budget = new RequestBudget({ maxConcurrency: 2 });
      const [a, b] = await Promise.all([budget.acquire(), budget.acquire()]);
      const queued = budget.acquire();
      await jest.advanceTimersByTimeAsync(50);
      a!.release({ kind: "success" }); // hands the queued request its place, at 50
      const c = await queued;
      b!.release({ kind: "throttled", retryAfterMs: 1000 }); // read at 50 too
      expect(budget.snapshot()).toMatchObject({ learnedQuota: 1, quotaPacing: "window", concurrency: 1 });
      c.release({ kind: "throttled", retryAfterMs: 1000 });
      expect(budget.snapshot()).toMatchObject({ learnedQuota: 1, quotaPacing: "window", concurrency: 1 });
    }),
  );

  it(
    "requests that wait on each other (a listing's pages) go back to back after the first round's pause",
    onFakeClock(async () => {
      // A gateway counting 5 per one-second window from the first request it sees; 10 ms per answer; the client's
      // first retry of a 429 waits its Retry-After exactly.
      const budget = new RequestBudget({ maxConcurrency: 8 });
      let windowStart = -Infinity;
      let inWindow = 0;
      const gateway = (at: number): "success" | "throttled" => {
        if (at - windowStart >= 1000) [windowStart, inWindow] = [at, 0];
        inWindow += 1;
        return inWindow <= 5 ? "success" : "throttled";
      };
      const pages: number[] = [];
      const listing = (async () => {
        for (let page = 0; page < 10; page++) {
          for (let retry = false; ; retry = true) {
            const permit = await budget.acquire(undefined, { retry });
            const sentAt = Date.now();
            await new Promise((resolve) => setTimeout(resolve, 10));
            const outcome = gateway(sentAt);
            permit.release(outcome === "success" ? { kind: "success" } : { kind: "throttled", retryAfterMs: 1000 });
            if (outcome === "success") {
              pages.push(sentAt);
              break;
            }
            await new Promise((resolve) => setTimeout(resolve, 1000));
          }
        }
      })();
      await jest.advanceTimersByTimeAsync(10_000);
      await listing;
      // Five pages 10 ms apart; the sixth, refused at 50, is sent again once no 1.1 s window would hold six starts
      // (at 1110, the second page's start + 1100; the pause ends at 1060); then the last four 10 ms apart, not a
      // window ÷ 5 (220 ms) apart.
      expect(pages).toEqual([0, 10, 20, 30, 40, 1110, 1120, 1130, 1140, 1150]);
    }),
  );

  // Starts are kept 10 s and dropped in batches once the oldest is 20 s old: at 20 s the refused request's own start
  // drops the first batch; by 25 s it is long gone.
  it.each([20_000, 25_000])("after a run of %i ms (old starts dropped in batches), a 429 still counts exactly the second before it", async (runMs) => {
    let now = 0;
    const budget = new RequestBudget({ maxConcurrency: 8 }, defaultBudgetPolicy, () => now);
    for (; now < runMs; now += 10) (await budget.acquire()).release({ kind: "success" });
    (await budget.acquire()).release({ kind: "throttled" });
    // The second before the refused request's start holds 99 accepted starts, 10 ms apart.
    expect(budget.snapshot()).toMatchObject({ learnedQuota: 99 });
  });

  it("a quota counted low (another process used most of it) recovers by probing", () => {
    let now = 0;
    const budget = new RequestBudget({ maxConcurrency: 8 }, defaultBudgetPolicy, () => now);
    const settle = async (kind: "success" | "throttled") => (await budget.acquire()).release({ kind });
    return (async () => {
      await settle("success");
      await settle("throttled");
      expect(budget.snapshot()).toMatchObject({ learnedQuota: 1 });
      // Successes at full quota, one window apart: +1 per quotaProbeWindows windows.
      for (let i = 0; i < 3 * defaultBudgetPolicy.quotaProbeWindows * 2; i++) {
        now += defaultBudgetPolicy.quotaWindowMs;
        await settle("success");
      }
      expect(budget.snapshot().learnedQuota).toBeGreaterThanOrEqual(3);
    })();
  });

  it("takes the most restrictive limits of the clients sharing it", () => {
    const budget = new RequestBudget({ maxConcurrency: 16 });
    budget.tighten({ maxConcurrency: 4, requestsPerSecond: 3 });
    budget.tighten({ maxConcurrency: 8 });
    expect(budget.snapshot()).toMatchObject({ concurrency: 4, requestsPerSecond: 3 });
  });
});
