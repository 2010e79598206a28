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
  /** The next N requests fail with `failStatus`. */
  failNext?: number;
  /** Status for `failNext` (default 503). */
  failStatus?: number;
  /** `Retry-After` seconds sent with 429/503 failures. */
  retryAfterSeconds?: number;
  /** The next N requests have their connection reset without an answer. */
  resetNext?: number;
  /** The next N requests get a 200 with a truncated JSON body. */
  malformedNext?: number;
  /** Requests per second above which the gateway answers 429. */
  throttleRps?: number;
}

/** What to do with one request. */
export type FaultAction =
  | { kind: "none" }
  | { kind: "reset" }
  | { kind: "malformed" }
  | { kind: "status"; status: number; retryAfterSeconds?: number }
  | { kind: "throttle" };

const FAULT_KEYS: Array<keyof FaultConfig> = ["latencyMs", "errorRate", "errorStatus", "failNext", "failStatus", "retryAfterSeconds", "resetNext", "malformedNext", "throttleRps"];

/** Validates a fault configuration from JSON or flags; returns the problem or undefined. */
export function faultConfigProblem(config: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(config)) {
    if (!FAULT_KEYS.includes(key as keyof FaultConfig)) return `unknown fault "${key}" (known: ${FAULT_KEYS.join(", ")})`;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return `${key} must be a non-negative number`;
    if (key === "errorRate" && value > 1) return "errorRate must be between 0 and 1";
    if ((key === "errorStatus" || key === "failStatus") && (value < 400 || value > 599 || !Number.isInteger(value))) return `${key} must be an HTTP error status`;
  }
  return undefined;
}

/** Holds the active faults and decides, per request, which one fires. */
export class FaultInjector {
  private config: FaultConfig = {};
  private windowStart = 0;
  private windowCount = 0;

  constructor(initial: FaultConfig = {}, private readonly random: () => number = Math.random) {
    this.set(initial);
  }

  /** Replaces every fault. */
  set(config: FaultConfig): void {
    this.config = { ...config };
  }

  /** Changes only the given faults. */
  merge(config: FaultConfig): void {
    this.config = { ...this.config, ...config };
  }

  /** Removes every fault. */
  clear(): void {
    this.config = {};
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
      if (nowMs - this.windowStart >= 1000) {
        this.windowStart = nowMs;
        this.windowCount = 0;
      }
      this.windowCount += 1;
      if (this.windowCount > c.throttleRps) return { kind: "throttle" };
    }
    if (c.resetNext) {
      c.resetNext -= 1;
      return { kind: "reset" };
    }
    if (c.malformedNext) {
      c.malformedNext -= 1;
      return { kind: "malformed" };
    }
    if (c.failNext) {
      c.failNext -= 1;
      return { kind: "status", status: c.failStatus ?? 503, retryAfterSeconds: c.retryAfterSeconds };
    }
    if (c.errorRate && this.random() < c.errorRate) {
      return { kind: "status", status: c.errorStatus ?? 500, retryAfterSeconds: c.retryAfterSeconds };
    }
    return { kind: "none" };
  }
}
