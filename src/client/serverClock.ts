import { CLOCK_TOLERANCE_MS } from "../time/koodriveTime";

/**
 * KooDrive rejects an `X-Date` later than its own clock (and older than 15 minutes), so requests are signed with
 * the server's time as learned from its `Date` headers, never with the local clock alone.
 *
 * Both `Date` and `X-Date` have one-second resolution, and a `Date` header may come from a front end whose clock is
 * not the one that checks `X-Date`. So the learned offset is a lower bound (the server stamped `Date` before the
 * answer arrived), and signatures are back-dated by a margin that starts at one second and doubles after each
 * "X-Date is in the future" rejection. Back-dating costs nothing: the window reaches 15 minutes into the past.
 */

/**
 * How far from an `X-Date` KooDrive's clock can be when it accepts the signature: its 15-minute window, either way
 * (the enterprise edition documents no "not in the future" rule), plus an hour for a gateway that tolerates skew.
 * Generous on purpose: a real clock outside it is impossible, and one inside it must never be refused.
 */
const ACCEPTED_SIGNATURE_REACH_MS = CLOCK_TOLERANCE_MS + 60 * 60_000;

/**
 * An HTTP date in any of its three forms (RFC 9110 §5.6.7): each names its month. `Date.parse` alone reads far more
 * (`-5`, `0` and `2, 3` are dates in 2000 or 2001 to V8): a garbled header read as a date would be taken for the
 * server's clock, or for "retry at once".
 */
const HTTP_DATE = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b.*\d{2}:\d{2}:\d{2}/;

/** The instant of an HTTP date (`Date`, `Retry-After`), or undefined for anything else. */
export function parseHttpDate(text: string): number | undefined {
  if (!HTTP_DATE.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** How a date-window rejection was worded. */
export type DateRejection = "future" | "past" | "unknown";

/** One second: the resolution of `Date` and `X-Date`. */
const DATE_RESOLUTION_MS = 1_000;
/** The first back-dating margin: one resolution step. */
const INITIAL_MARGIN_MS = DATE_RESOLUTION_MS;
/** Far inside the 15-minute window, so a widened margin can never push a signature out of its other end. */
const MAX_MARGIN_MS = 5 * 60_000;

/**
 * Whether an error answer is KooDrive refusing the request's `X-Date` (not its credentials): an authentication
 * failure whose message names the header.
 */
export function dateRejection(status: number | undefined, message: string | undefined): DateRejection | undefined {
  if (status === undefined || status < 400 || status >= 500 || message === undefined || !/x-date/i.test(message)) return undefined;
  if (/future|later than|ahead/i.test(message)) return "future";
  if (/old|expired|earlier than|past|minutes/i.test(message)) return "past";
  return "unknown";
}

/** A request's signing time: see {@link ServerClock.signingTime}. */
export interface Signing {
  readonly time: Date;
  readonly marginMs: number;
  readonly localMs: number;
}

/** Server time as seen from one process, for one endpoint. */
export class ServerClock {
  private offsetMs = 0;
  private marginMs = INITIAL_MARGIN_MS;
  private learned = false;

  constructor(private readonly localNow: () => number = Date.now) {}

  /**
   * The time to sign the next request with, the margin it used (pass it back to {@link rejected}) and the local time
   * it was taken at (pass both to {@link observe} with an answer that accepted the signature).
   */
  signingTime(): Signing {
    const localMs = this.localNow();
    return { time: new Date(this.serverTimeAt(localMs) - this.marginMs), marginMs: this.marginMs, localMs };
  }

  /**
   * Marks the local instant now. The returned function gives the server's time at that instant by the offset learned
   * by the time it is called, so an offset learned from the answers that follow (the first request's own, or later
   * ones) still counts. For comparing a moment of ours with times KooDrive stamped (a share's `shareTime`).
   */
  mark(): () => number {
    const local = this.localNow();
    return () => this.serverTimeAt(local);
  }

  /** The server's time now, by the offset learned so far (for times KooDrive states, such as a `Retry-After` date). */
  now(): number {
    return this.serverTimeAt(this.localNow());
  }

  /** The one rule from local to server time: the local time plus the learned offset. */
  private serverTimeAt(localMs: number): number {
    return localMs + this.offsetMs;
  }

  /**
   * Learns the offset from an answer's `Date` header, received at `receivedAt` local time. An answer that accepted a
   * request signed per `accepted` proves the server's clock was near that `X-Date` (see
   * {@link ACCEPTED_SIGNATURE_REACH_MS}): a `Date` far outside that (a garbled header, a year in 2035) is not KooDrive's
   * clock, and is not learned. Believed, one such header recorded an offset of years: every later request of the
   * process was refused for its X-Date once, and a write's expiry looked due again. (A proxy that stamps its own clock
   * minutes off cannot be told from KooDrive this way.)
   */
  observe(dateHeader: string | undefined, receivedAt: number = this.localNow(), accepted?: Signing): void {
    if (dateHeader === undefined) return;
    const serverMs = parseHttpDate(dateHeader);
    if (serverMs === undefined) return;
    if (accepted !== undefined) {
      // Date is stamped before the answer left, up to the whole exchange after the signature was checked.
      const exchangeMs = Math.max(0, receivedAt - accepted.localMs);
      const signedMs = accepted.time.getTime();
      if (serverMs < signedMs - ACCEPTED_SIGNATURE_REACH_MS || serverMs > signedMs + ACCEPTED_SIGNATURE_REACH_MS + exchangeMs) return;
    }
    this.offsetMs = serverMs - receivedAt;
    this.learned = true;
  }

  /**
   * The offset of the server's clock from the local one that is nearest to zero among those its answers allow, or
   * undefined before any `Date` header was seen. A `Date` is stamped to the second before the answer left, so the
   * server's clock is from the learned offset to about a second after it; within that range the local clock is taken
   * as right. (Comparing with times KooDrive stamps, a lower bound alone would make, e.g., a restored validity round
   * up to one day more.)
   */
  likelyOffsetMs(): number | undefined {
    if (!this.learned) return undefined;
    return Math.min(Math.max(0, this.offsetMs), this.offsetMs + DATE_RESOLUTION_MS);
  }

  /** Whether an offset was learned: until then, server time is the local time and may be off by anything. */
  known(): boolean {
    return this.learned;
  }

  /**
   * After a date-window rejection of a request signed with `marginMs`: a signature in the server's future widens the
   * margin (once per round: concurrent rejections of the same margin double it once). A signature in the past needs
   * only the offset, which the rejection's own `Date` header has already updated.
   */
  rejected(kind: DateRejection, marginMs: number): void {
    if (kind !== "past") this.marginMs = Math.max(this.marginMs, Math.min(MAX_MARGIN_MS, marginMs * 2));
  }
}
