/**
 * One process-wide request budget per KooDrive endpoint: how many requests may be in flight and how fast new ones
 * may start. It adapts like TCP congestion control (AIMD): every throttled answer halves concurrency and the pace,
 * every success adds a little back, and a `Retry-After` pauses all new requests to the endpoint. Without a configured
 * rate the pace is a learned quota: the first 429 shows how many requests KooDrive accepted in the second before it.
 * The decisions are pure functions of {@link BudgetState}; {@link RequestBudget} only queues and times.
 */

/** Limits the user set (or the defaults); the adaptive state never exceeds them. */
export interface BudgetLimits {
  /** Most requests in flight at once. */
  readonly maxConcurrency: number;
  /** Most requests started per second; undefined = no fixed rate until the server throttles. */
  readonly requestsPerSecond?: number;
}

/** How the budget adapts. */
export interface BudgetPolicy {
  /** Multiplier applied to concurrency and rate on a throttled answer. */
  readonly decreaseFactor: number;
  /** The rate never drops below this many requests per second. */
  readonly minRequestsPerSecond: number;
  /** Requests per second added back per second of successful traffic at the current rate. */
  readonly rateIncreasePerSecond: number;
  /** A request queued for longer than this is reported (see `onLongWait`). */
  readonly longWaitMs: number;
  /**
   * Whether a `Retry-After` pauses every request to the endpoint (once per round, with the decrease), not only the
   * retry of the throttled one: against a per-minute quota, requests sent during the pause would all be refused and
   * count against the quota too.
   */
  readonly retryAfterPausesEndpoint: boolean;
  /**
   * The window of a learned quota: at most `learnedQuota` requests start in any window this long. A gateway counts
   * per second from the first request it sees, so a second plus a margin for that request's travel keeps the next
   * burst out of the window that refused one.
   */
  readonly quotaWindowMs: number;
}

/** Halve on throttling and pause for its Retry-After, +1 request/s per second of success, report waits over 2 s. */
export const defaultBudgetPolicy: BudgetPolicy = Object.freeze({
  decreaseFactor: 0.5,
  minRequestsPerSecond: 0.5,
  rateIncreasePerSecond: 1,
  longWaitMs: 2_000,
  retryAfterPausesEndpoint: true,
  quotaWindowMs: 1_100,
});

/** The adaptive part of a budget. */
export interface BudgetState {
  /** Current concurrency limit (fractional while it grows; at least 1 request is always allowed). */
  readonly concurrency: number;
  /** Current rate in requests per second, paced one token at a time; set only when the user configured a rate. */
  readonly requestsPerSecond: number | undefined;
  /**
   * Without a configured rate, learned from throttling: at most this many requests (rounded down, at least 1) start
   * in any `quotaWindowMs`. Bursts up to it are allowed, so after a `Retry-After` a full quota goes out at once.
   */
  readonly learnedQuota: number | undefined;
  /**
   * What KooDrive accepted in the second before the 429 that taught the quota: after a later halving the quota grows
   * back to it, not past it.
   */
  readonly quotaCeiling: number | undefined;
  /** When the quota was learned (the `lastDecreaseAt` of that round): refusals of that round may still correct it. */
  readonly quotaLearnedAt: number | undefined;
  /** No request starts before this time (epoch ms): the server's `Retry-After`. */
  readonly pausedUntil: number;
  /**
   * Time of the last decrease. A throttled answer to a request started before it does not decrease again: those
   * requests were sent under the old limits, and counting each would collapse the budget after one burst.
   */
  readonly lastDecreaseAt: number;
}

/** The budget before anything happened. */
export function initialBudgetState(limits: BudgetLimits): BudgetState {
  return {
    concurrency: limits.maxConcurrency,
    requestsPerSecond: limits.requestsPerSecond,
    learnedQuota: undefined,
    quotaCeiling: undefined,
    quotaLearnedAt: undefined,
    pausedUntil: 0,
    lastDecreaseAt: -Infinity,
  };
}

/** What is known about one throttled answer. */
export interface ThrottleEvent {
  readonly now: number;
  /** When the throttled request started. */
  readonly requestStartedAt: number;
  /** The server's `Retry-After`, if it sent one. */
  readonly retryAfterMs?: number;
  /** Requests this budget started in the second before the refused one: what KooDrive accepted before refusing it. */
  readonly acceptedBefore: number;
}

/**
 * Multiplicative decrease and the pause the server asked for, once per round of requests. A configured rate halves.
 * Without one, the first 429 sets the learned quota to what KooDrive accepted in the second before it, and later
 * rounds halve that quota.
 */
export function afterThrottle(state: BudgetState, policy: BudgetPolicy, event: ThrottleEvent): BudgetState {
  const accepted = Math.max(1, event.acceptedBefore);
  if (event.requestStartedAt < state.lastDecreaseAt) {
    // A refusal of a round already counted. In the round that taught the quota, answers may come out of order: the
    // request refused after the fewest starts shows what KooDrive really accepted.
    const learningRound = state.quotaLearnedAt !== undefined && state.quotaLearnedAt === state.lastDecreaseAt;
    return learningRound && accepted < state.quotaCeiling! ? { ...state, learnedQuota: accepted, quotaCeiling: accepted } : state;
  }
  const pausedUntil = policy.retryAfterPausesEndpoint ? Math.max(state.pausedUntil, event.now + (event.retryAfterMs ?? 0)) : state.pausedUntil;
  const concurrency = Math.max(1, Math.floor(state.concurrency * policy.decreaseFactor));
  if (state.requestsPerSecond !== undefined) {
    const requestsPerSecond = Math.max(policy.minRequestsPerSecond, state.requestsPerSecond * policy.decreaseFactor);
    return { ...state, concurrency, requestsPerSecond, pausedUntil, lastDecreaseAt: event.now };
  }
  const decreased = { ...state, concurrency, pausedUntil, lastDecreaseAt: event.now };
  if (state.learnedQuota === undefined) return { ...decreased, learnedQuota: accepted, quotaCeiling: accepted, quotaLearnedAt: event.now };
  return { ...decreased, learnedQuota: Math.max(1, Math.floor(state.learnedQuota * policy.decreaseFactor)) };
}

/**
 * Additive increase: about +1 concurrency per round trip of a full window, `rateIncreasePerSecond` per second of a
 * configured rate, and +1 learned quota per quota of successes, up to the most KooDrive was seen to accept.
 */
export function afterSuccess(state: BudgetState, limits: BudgetLimits, policy: BudgetPolicy): BudgetState {
  const concurrency = Math.min(limits.maxConcurrency, state.concurrency + 1 / state.concurrency);
  const rate = state.requestsPerSecond;
  const requestsPerSecond = rate === undefined ? undefined : Math.min(limits.requestsPerSecond ?? Infinity, rate + policy.rateIncreasePerSecond / rate);
  const quota = state.learnedQuota;
  const learnedQuota = quota === undefined ? undefined : Math.min(state.quotaCeiling ?? quota, quota + 1 / quota);
  return { ...state, concurrency, requestsPerSecond, learnedQuota };
}

/**
 * Milliseconds until the next request may start (0 = now): after the server's pause, the paced start of a configured
 * rate, and a place in the learned quota's window (`recentStarts`: start times, oldest first).
 */
export function startDelay(state: BudgetState, policy: BudgetPolicy, now: number, nextPacedStart: number, recentStarts: readonly number[]): number {
  return Math.max(0, state.pausedUntil - now, nextPacedStart - now, quotaDelay(state, policy, now, recentStarts));
}

/** Milliseconds until fewer than the learned quota of requests started within the last `quotaWindowMs`. */
function quotaDelay(state: BudgetState, policy: BudgetPolicy, now: number, recentStarts: readonly number[]): number {
  if (state.learnedQuota === undefined) return 0;
  const quota = Math.max(1, Math.floor(state.learnedQuota));
  const inWindow = recentStarts.filter((t) => t > now - policy.quotaWindowMs);
  return inWindow.length < quota ? 0 : inWindow[inWindow.length - quota]! + policy.quotaWindowMs - now;
}

/** When the request after one started at `startedAt` may start: a token bucket holding one token. */
export function nextPacedStart(state: BudgetState, startedAt: number, previousNext: number): number {
  const rate = state.requestsPerSecond;
  return rate === undefined ? startedAt : Math.max(startedAt, previousNext) + 1000 / rate;
}

/** How an admitted request ended, for the budget. */
export type BudgetOutcome = { kind: "success" } | { kind: "throttled"; retryAfterMs?: number } | { kind: "other" };

/** A place in the budget: call `release` exactly once when the request has its answer (or failed). */
export interface BudgetPermit {
  /** When the request was admitted (epoch ms). */
  readonly startedAt: number;
  release(outcome: BudgetOutcome): void;
}

interface Waiter {
  grant: (permit: BudgetPermit) => void;
}

/** Counts, for messages. */
export interface BudgetSnapshot {
  readonly inFlight: number;
  readonly queued: number;
  readonly concurrency: number;
  readonly requestsPerSecond: number | undefined;
  /** The learned quota: at most this many starts per `quotaWindowMs`. */
  readonly learnedQuota: number | undefined;
  readonly quotaWindowMs: number;
  readonly pausedForMs: number;
}

/** The queue and timers around a {@link BudgetState}; shared by every client of one endpoint in a process. */
export class RequestBudget {
  private state: BudgetState;
  private limits: BudgetLimits;
  private inFlight = 0;
  private nextStart = 0;
  private readonly queue: Waiter[] = [];
  private readonly recentStarts: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    limits: BudgetLimits,
    private readonly policy: BudgetPolicy = defaultBudgetPolicy,
    private readonly clock: () => number = Date.now,
  ) {
    this.limits = limits;
    this.state = initialBudgetState(limits);
  }

  /** Applies another client's limits too: the most restrictive of all wins, since they share one quota. */
  tighten(limits: BudgetLimits): void {
    const rates = [this.limits.requestsPerSecond, limits.requestsPerSecond].filter((r): r is number => r !== undefined);
    this.limits = {
      maxConcurrency: Math.min(this.limits.maxConcurrency, limits.maxConcurrency),
      requestsPerSecond: rates.length > 0 ? Math.min(...rates) : undefined,
    };
    const rate = this.state.requestsPerSecond ?? this.limits.requestsPerSecond;
    this.state = {
      ...this.state,
      concurrency: Math.min(this.state.concurrency, this.limits.maxConcurrency),
      requestsPerSecond: rate === undefined ? undefined : Math.min(rate, this.limits.requestsPerSecond ?? Infinity),
    };
  }

  /** Current counts and limits. */
  snapshot(): BudgetSnapshot {
    return {
      inFlight: this.inFlight,
      queued: this.queue.length,
      concurrency: Math.max(1, Math.floor(this.state.concurrency)),
      requestsPerSecond: this.state.requestsPerSecond,
      learnedQuota: this.state.learnedQuota === undefined ? undefined : Math.max(1, Math.floor(this.state.learnedQuota)),
      quotaWindowMs: this.policy.quotaWindowMs,
      pausedForMs: Math.max(0, this.state.pausedUntil - this.clock()),
    };
  }

  /**
   * Waits for a place; `onLongWait` is called once if the wait passes `longWaitMs`, with how long it has been, so a
   * caller can say why an operation is slow while it still is.
   */
  acquire(onLongWait?: (waitedMs: number, snapshot: BudgetSnapshot) => void): Promise<BudgetPermit> {
    return new Promise((resolve) => {
      const queuedAt = this.clock();
      const longWait = onLongWait === undefined ? undefined : setTimeout(() => onLongWait(this.clock() - queuedAt, this.snapshot()), this.policy.longWaitMs);
      this.queue.push({
        grant: (permit) => {
          if (longWait !== undefined) clearTimeout(longWait);
          resolve(permit);
        },
      });
      this.pump();
    });
  }

  private pump(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.queue.length > 0 && this.inFlight < Math.max(1, Math.floor(this.state.concurrency))) {
      const now = this.clock();
      const delay = startDelay(this.state, this.policy, now, this.nextStart, this.recentStarts);
      if (delay > 0) {
        this.timer = setTimeout(() => this.pump(), delay);
        return;
      }
      this.queue.shift()!.grant(this.start(now));
    }
  }

  private start(now: number): BudgetPermit {
    this.inFlight += 1;
    this.nextStart = nextPacedStart(this.state, now, this.nextStart);
    const keepFrom = now - Math.max(1000, this.policy.quotaWindowMs);
    while (this.recentStarts.length > 0 && this.recentStarts[0]! <= keepFrom) this.recentStarts.shift();
    const acceptedBefore = this.recentStarts.filter((t) => t > now - 1000).length;
    this.recentStarts.push(now);
    let released = false;
    return {
      startedAt: now,
      release: (outcome) => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
        this.settle(now, acceptedBefore, outcome);
        this.pump();
      },
    };
  }

  private settle(startedAt: number, acceptedBefore: number, outcome: BudgetOutcome): void {
    if (outcome.kind === "success") this.state = afterSuccess(this.state, this.limits, this.policy);
    if (outcome.kind === "throttled") {
      const now = this.clock();
      this.state = afterThrottle(this.state, this.policy, { now, requestStartedAt: startedAt, retryAfterMs: outcome.retryAfterMs, acceptedBefore });
      // A newly set rate paces from now on, not from a start scheduled under the old one.
      this.nextStart = Math.min(this.nextStart, now + (this.state.requestsPerSecond === undefined ? 0 : 1000 / this.state.requestsPerSecond));
    }
  }
}
