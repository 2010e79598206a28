/**
 * The emulator's clock: a time source plus an offset that tests and pipelines move forward, so expiry, the X-Date
 * window, token lifetimes and throttling windows can be exercised without waiting. Every time-based rule and every
 * `Date` header reads this clock, never `Date.now` directly.
 */

/** Offsets beyond ±100 years would push dates outside what KooDrive (and `Date`) can represent sensibly. */
export const MAX_CLOCK_OFFSET_MS = 100 * 365 * 24 * 60 * 60 * 1000;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `30d`, `12h`, `15m`, `10s`, `250ms` or a plain number of milliseconds (sign allowed); undefined if malformed. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2] ?? "ms"]!;
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

/** The problem with an offset, or undefined when it is usable. */
export function clockOffsetProblem(name: string, value: unknown): string | undefined {
  if (typeof value !== "number" || !Number.isInteger(value) || Math.abs(value) > MAX_CLOCK_OFFSET_MS) {
    return `${name} must be an integer number of milliseconds from -${MAX_CLOCK_OFFSET_MS} to ${MAX_CLOCK_OFFSET_MS}`;
  }
  return undefined;
}

/** A controllable clock: `source()` plus an offset. */
export class EmulatorClock {
  private offset = 0;

  /** `onMove(offsetMs)` runs before each move (at start too) and may refuse it by throwing (a state file that cannot
   *  be written): the clock then stays where it was. */
  constructor(
    private readonly source: () => number = Date.now,
    offsetMs = 0,
    private readonly onMove: (offsetMs: number) => void = () => undefined,
  ) {
    this.setOffset(offsetMs, "clockOffsetMs");
  }

  /** Emulator time in epoch milliseconds. */
  now(): number {
    return this.source() + this.offset;
  }

  /** How far the emulator's clock is ahead of its time source (negative: behind). */
  get offsetMs(): number {
    return this.offset;
  }

  /** Moves time forward by `ms` (never backward: use `setOffset` for that). */
  advance(ms: number): void {
    if (typeof ms !== "number" || !Number.isInteger(ms) || ms < 0) throw new RangeError("advanceMs must be a non-negative integer number of milliseconds");
    const problem = clockOffsetProblem("the clock offset after advanceMs", this.offset + ms);
    if (problem) throw new RangeError(`advanceMs ${ms} is too far: ${problem}`);
    this.setOffset(this.offset + ms, "advanceMs");
  }

  /** Sets the offset from the time source; `name` is what the caller called it, for the error. */
  setOffset(ms: number, name = "offsetMs"): void {
    const problem = clockOffsetProblem(name, ms);
    if (problem) throw new RangeError(problem);
    // Shares store the emulator's time; the state file (like KooDrive's own times) holds no time before 1970.
    if (this.source() + ms < 0) throw new RangeError(`${name} would put the emulator's clock before 1970-01-01T00:00:00Z`);
    this.onMove(ms);
    this.offset = ms;
  }

  /** What `GET /__admin/clock` shows. */
  describe(): { now: string; nowMs: number; offsetMs: number } {
    const nowMs = this.now();
    return { now: new Date(nowMs).toISOString(), nowMs, offsetMs: this.offset };
  }
}
