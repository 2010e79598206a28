import { ErrorCodes, type Reply, apiError, entityTooLarge, innerFailure, invalidParameter, noSuchApi, success, throttled } from "./apiErrors";

/**
 * Faults the emulator can inject into share-API requests (admin requests are never affected). Set them at start
 * (CLI flags or options), or at run time with `PUT /__admin/faults`; counts of "next N" faults go down as they fire.
 */
export interface FaultConfig {
  /** Added latency before every answer. */
  latencyMs?: number;
  /** Probability (0–1) that a request fails with `errorStatus`. */
  errorRate?: number;
  /** Status for `errorRate` failures (default 500). */
  errorStatus?: number;
  /** Seed for `errorRate`'s draws: with it, the same requests fail on every run (a small seeded PRNG, reseeded
   *  whenever a configuration carrying `errorSeed` is set or merged); without it, `Math.random` decides. */
  errorSeed?: number;
  /** The next N requests fail with `failStatus`. */
  failNext?: number;
  /** Status for `failNext` (default 503). */
  failStatus?: number;
  /** `Retry-After` seconds sent with every `failNext` and `errorRate` failure, whatever its status. */
  retryAfterSeconds?: number;
  /** The next N requests have their connection reset without an answer. */
  resetNext?: number;
  /** The next N requests get a 200 with a truncated JSON body. */
  malformedNext?: number;
  /** Requests per second above which the gateway answers 429. */
  throttleRps?: number;
  /** The next N successful writes (PUT/POST on the share API) are applied, then the socket is destroyed unanswered. */
  dropAfterApplyNext?: number;
  /** The next N successful writes are applied, then answered 200 with the real body cut short. */
  truncateAfterApplyNext?: number;
  /** The next N successful writes are applied, then answered only after `afterApplyDelayMs`. */
  delayAfterApplyNext?: number;
  /** Delay for `delayAfterApplyNext` (default 35,000 ms: past a client's usual 30 s timeout). */
  afterApplyDelayMs?: number;
  /** The next N successful writes are applied, then answered 500 (13000201) as if they had failed. */
  failAfterApplyNext?: number;
}

/** What to do with a write that has just been applied. */
export type AfterApplyAction =
  | { kind: "none" }
  | { kind: "dropAfterApply" }
  | { kind: "truncateAfterApply" }
  | { kind: "failAfterApply" }
  | { kind: "delayAfterApply"; delayMs: number };

/** Default for `afterApplyDelayMs`: longer than the 30 s per-attempt timeout clients commonly use. */
export const DEFAULT_AFTER_APPLY_DELAY_MS = 35_000;

/** What to do with one request before it reaches the API. */
export type FaultAction =
  | { kind: "none" }
  | { kind: "reset" }
  | { kind: "malformed" }
  | { kind: "status"; status: number; retryAfterSeconds?: number }
  | { kind: "throttle" };

type Rule = { test: (v: number) => boolean; rule: string };
const count: Rule = { test: (v) => Number.isInteger(v) && v >= 0 && v <= 1_000_000_000, rule: "an integer count from 0 to 1000000000" };
const milliseconds: Rule = { test: (v) => Number.isInteger(v) && v >= 0 && v <= 600_000, rule: "an integer number of milliseconds from 0 to 600000" };
/** Statuses with a body of the emulator's own to give them (see `faultReply`). */
const FAULT_STATUSES = [400, 401, 404, 413, 429];
const errorStatus: Rule = {
  test: (v) => Number.isInteger(v) && (FAULT_STATUSES.includes(v) || (v >= 500 && v <= 599)),
  rule: "an HTTP error status with a body of the emulator's own: 400, 401, 404, 413, 429 or 500-599",
};

/** Every fault key and the range of its value: the one place fault values are checked. */
const FAULT_RULES: Record<keyof FaultConfig, Rule> = {
  latencyMs: milliseconds,
  errorRate: { test: (v) => v >= 0 && v <= 1, rule: "a probability between 0 and 1" },
  errorStatus,
  errorSeed: { test: (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff, rule: "an integer from 0 to 4294967295" },
  failNext: count,
  failStatus: errorStatus,
  retryAfterSeconds: { test: (v) => Number.isInteger(v) && v >= 0 && v <= 86_400, rule: "an integer number of seconds from 0 to 86400" },
  resetNext: count,
  malformedNext: count,
  throttleRps: { test: (v) => Number.isInteger(v) && v >= 0 && v <= 1_000_000, rule: "an integer from 0 to 1000000" },
  dropAfterApplyNext: count,
  truncateAfterApplyNext: count,
  delayAfterApplyNext: count,
  afterApplyDelayMs: milliseconds,
  failAfterApplyNext: count,
};

/** The fault keys, in documentation order. */
export const FAULT_KEYS = Object.keys(FAULT_RULES) as Array<keyof FaultConfig>;

/** Validates a fault configuration from JSON or flags; returns the problem (naming the key and rule) or undefined. */
export function faultConfigProblem(config: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(config)) {
    // Own keys only: "constructor" or "__proto__" must be unknown faults, not members inherited from Object.
    const spec = Object.hasOwn(FAULT_RULES, key) ? FAULT_RULES[key as keyof FaultConfig] : undefined;
    if (!spec) return `unknown fault "${key}" (known: ${FAULT_KEYS.join(", ")})`;
    if (typeof value !== "number" || !Number.isFinite(value) || !spec.test(value)) return `${key} must be ${spec.rule}`;
  }
  return undefined;
}

function checkedFaults(config: unknown): FaultConfig {
  if (typeof config !== "object" || config === null || Array.isArray(config)) throw new RangeError("faults must be a JSON object");
  const problem = faultConfigProblem(config as Record<string, unknown>);
  if (problem) throw new RangeError(problem);
  return config as FaultConfig;
}

/** What the transport does with a request a fault hit: send a reply, send raw bytes, or drop the connection. */
export type FaultOutcome = { kind: "reply"; reply: Reply } | { kind: "raw"; status: number; body: Buffer } | { kind: "drop" } | { kind: "reset" };

/** The first half of an answer's JSON: parses as nothing, like a connection cut mid-body. */
function truncated(body: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(body));
  return payload.subarray(0, Math.floor(payload.length / 2));
}

/** What a pre-apply truncated answer cuts short: a share answer, as a client would expect one. */
const SHARE_ANSWER = success({ shareLink: { shareId: "1689743054514187776", shortUrl: "1689743054514187777" } }).body;

/** The body the emulator itself gives with this status, so an injected failure looks like a real one. */
function faultReply(status: number, retryAfterSeconds: number | undefined): Reply {
  switch (status) {
    case 400:
      return invalidParameter("injected fault (failStatus/errorStatus 400)");
    case 401:
      return apiError(401, ErrorCodes.UNAUTHORIZED, "Unauthorized: injected fault (failStatus/errorStatus 401).");
    case 404:
      return noSuchApi();
    case 413:
      return entityTooLarge();
    case 429:
      return throttled(retryAfterSeconds ?? 1);
    default:
      return innerFailure(status);
  }
}

/** The answer a pre-apply fault gives instead of the API's (pure: no I/O). */
export function preApplyOutcome(action: FaultAction): FaultOutcome | undefined {
  switch (action.kind) {
    case "none":
      return undefined;
    case "reset":
      return { kind: "reset" };
    case "malformed":
      return { kind: "raw", status: 200, body: truncated(SHARE_ANSWER) };
    case "throttle":
      return { kind: "reply", reply: throttled(1) };
    case "status": {
      const reply = faultReply(action.status, action.retryAfterSeconds);
      if (action.retryAfterSeconds !== undefined) reply.headers = { "Retry-After": String(action.retryAfterSeconds) };
      return { kind: "reply", reply };
    }
  }
}

/** The answer an after-apply fault gives for an applied write whose real answer was `reply` (pure: no I/O). */
export function afterApplyOutcome(action: AfterApplyAction, reply: Reply): FaultOutcome {
  switch (action.kind) {
    case "dropAfterApply":
      return { kind: "drop" };
    case "truncateAfterApply":
      return { kind: "raw", status: 200, body: truncated(reply.body) };
    case "failAfterApply":
      return { kind: "reply", reply: innerFailure() };
    case "delayAfterApply":
    case "none":
      return { kind: "reply", reply };
  }
}

/** The log's name for a pre-apply fault. */
export function faultLabel(action: FaultAction | AfterApplyAction): string | undefined {
  if (action.kind === "none") return undefined;
  return action.kind === "status" ? `status ${action.status}` : action.kind;
}

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same sequence of numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Holds the active faults and decides, per request, which one fires. */
export class FaultInjector {
  private config: FaultConfig = {};
  private windowStart = 0;
  private windowCount = 0;

  private random: () => number;

  /** `random`: where `errorRate` draws from when no `errorSeed` is configured (default `Math.random`). */
  constructor(
    initial: FaultConfig = {},
    private readonly unseeded: () => number = Math.random,
  ) {
    this.random = unseeded;
    this.set(initial);
  }

  /** Replaces every fault; throws a RangeError naming the key and rule for a bad value. */
  set(config: FaultConfig): void {
    this.config = { ...checkedFaults(config) };
    this.random = this.config.errorSeed === undefined ? this.unseeded : seededRandom(this.config.errorSeed);
  }

  /** Changes only the given faults (an `errorSeed` among them reseeds); throws like `set`. */
  merge(config: FaultConfig): void {
    const checked = checkedFaults(config);
    this.config = { ...this.config, ...checked };
    if (checked.errorSeed !== undefined) this.random = seededRandom(checked.errorSeed);
  }

  /** Removes every fault. */
  clear(): void {
    this.config = {};
    this.random = this.unseeded;
  }

  /** The active faults (counts reflect what is left). */
  current(): FaultConfig {
    return { ...this.config };
  }

  /** Latency to add to this request. */
  get latencyMs(): number {
    return this.config.latencyMs ?? 0;
  }

  /** Picks the fault for one request, consuming "next N" counts. Throttling is checked first, like a gateway. */
  next(nowMs: number): FaultAction {
    const c = this.config;
    if (c.throttleRps !== undefined && c.throttleRps > 0) {
      // A window also starts afresh when the clock was moved back before it: it would otherwise last until the
      // clock caught up with it again.
      if (nowMs - this.windowStart >= 1000 || nowMs < this.windowStart) {
        this.windowStart = nowMs;
        this.windowCount = 0;
      }
      this.windowCount += 1;
      if (this.windowCount > c.throttleRps) return { kind: "throttle" };
    }
    if (this.consume("resetNext")) return { kind: "reset" };
    if (this.consume("malformedNext")) return { kind: "malformed" };
    if (this.consume("failNext")) return { kind: "status", status: c.failStatus ?? 503, retryAfterSeconds: c.retryAfterSeconds };
    if (c.errorRate && this.random() < c.errorRate) {
      return { kind: "status", status: c.errorStatus ?? 500, retryAfterSeconds: c.retryAfterSeconds };
    }
    return { kind: "none" };
  }

  /** Picks the after-apply fault for a write that was just applied, consuming its "next N" count. */
  afterApply(): AfterApplyAction {
    if (this.consume("dropAfterApplyNext")) return { kind: "dropAfterApply" };
    if (this.consume("truncateAfterApplyNext")) return { kind: "truncateAfterApply" };
    if (this.consume("failAfterApplyNext")) return { kind: "failAfterApply" };
    if (this.consume("delayAfterApplyNext")) return { kind: "delayAfterApply", delayMs: this.config.afterApplyDelayMs ?? DEFAULT_AFTER_APPLY_DELAY_MS };
    return { kind: "none" };
  }

  /** Takes one from a "next N" count; false when it is zero or unset. */
  private consume(
    key: "resetNext" | "malformedNext" | "failNext" | "dropAfterApplyNext" | "truncateAfterApplyNext" | "failAfterApplyNext" | "delayAfterApplyNext",
  ): boolean {
    const left = this.config[key];
    if (!left) return false;
    this.config[key] = left - 1;
    return true;
  }
}
