/**
 * KooDrive writes times in several forms across pages and editions. One parser for all of them, so that the rules
 * that depend on an expiry (renewal, expiry drift, restore) can never disagree about what a time means.
 */

import type { KooDriveEdition } from "../client/connectionSettings";

export const DAY_MS = 24 * 60 * 60 * 1000;

/** How far KooDrive's clock may be from ours when judging a time it computed (its X-Date window is 15 min). */
export const CLOCK_TOLERANCE_MS = 15 * 60 * 1000;

/** `2026-12-06T09:18:02.123Z`, `2026-12-06T09:18:02Z`, or with an explicit offset. */
const ISO_EXTENDED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;
/** `20261206T091802Z` (the X-Date form). */
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
/** `2026-12-06 09:18:02`: KooDrive's documented request form; the docs state no zone, so it is read as UTC. */
const DOCUMENTED_LOCAL = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
/** Epoch milliseconds (13 digits covers 2001–2286). */
const EPOCH_MS = /^\d{13}$/;

/** Result of reading a KooDrive time field. */
export type KooDriveTime = { kind: "none" } | { kind: "time"; ms: number } | { kind: "unreadable"; text: string };

function utc(y: string, mo: string, d: string, h: string, mi: string, s: string): number | undefined {
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-31 over into March; a calendar-invalid time is unreadable, not a different day.
  return back.getUTCMonth() === Number(mo) - 1 && back.getUTCDate() === Number(d) && Number(h) < 24 && Number(mi) < 60 && Number(s) < 60 ? ms : undefined;
}

/**
 * Parses an `expireTime`-like value. Absent, `null` and `""` mean "no time" (for `expireTime`: no validity period).
 * Anything else that is not one of the documented forms is `unreadable`: callers must treat that as an error, never
 * as "no expiry", because that would widen access.
 */
export function parseKooDriveTime(value: unknown): KooDriveTime {
  if (value === undefined || value === null || value === "") return { kind: "none" };
  if (typeof value === "number") return Number.isFinite(value) && value > 0 ? { kind: "time", ms: value } : { kind: "unreadable", text: String(value) };
  if (typeof value !== "string") return { kind: "unreadable", text: String(value) };
  const text = value.trim();
  if (ISO_EXTENDED.test(text)) {
    const ms = Date.parse(text);
    const calendarValid = utc(text.slice(0, 4), text.slice(5, 7), text.slice(8, 10), text.slice(11, 13), text.slice(14, 16), text.slice(17, 19)) !== undefined;
    return Number.isNaN(ms) || !calendarValid ? { kind: "unreadable", text } : { kind: "time", ms };
  }
  const basic = ISO_BASIC.exec(text) ?? DOCUMENTED_LOCAL.exec(text);
  if (basic) {
    const ms = utc(basic[1]!, basic[2]!, basic[3]!, basic[4]!, basic[5]!, basic[6]!);
    return ms === undefined ? { kind: "unreadable", text } : { kind: "time", ms };
  }
  if (EPOCH_MS.test(text)) return { kind: "time", ms: Number(text) };
  return { kind: "unreadable", text };
}

/** Whether a time as KooDrive wrote it carries milliseconds (a fraction of a second, epoch milliseconds) or only seconds. */
function carriesMilliseconds(value: unknown): boolean {
  if (typeof value === "number") return true;
  if (typeof value !== "string") return false;
  const text = value.trim();
  return EPOCH_MS.test(text) || ISO_EXTENDED.exec(text)?.[1] !== undefined;
}

/**
 * A KooDrive time as the outputs show it: ISO-8601 in UTC, whatever form the page wrote it in, so that a program's
 * `new Date(expireTime)` means what KooDrive meant (a zone-less `2026-12-06 09:18:02` would be read in the machine's
 * time zone). With milliseconds only when KooDrive gave them, so that {@link sameKooDriveInstant} judges the output
 * as it judges the wire form. Absent stays absent; an unreadable time stays as written (the rules refuse it anyway).
 */
export function kooDriveTimeOutput(value: string | undefined): string | undefined {
  const time = parseKooDriveTime(value);
  if (time.kind === "none") return undefined;
  if (time.kind === "unreadable") return value;
  const iso = new Date(time.ms).toISOString();
  return carriesMilliseconds(value) ? iso : iso.replace(/\.\d{3}Z$/, "Z");
}

/**
 * Whether two KooDrive times are the same instant although pages write them in different forms: to the millisecond
 * when both carry a fraction of a second, else within a second. A form without milliseconds, or with `.000` (a page
 * that stores whole seconds), cannot say more, and may have truncated or rounded: a write answered with
 * `…:01.657Z` reads back as `…:01`, `…:01.000Z` or `…:02`. Two absent times are the same; an unreadable time is the
 * same only as the identical text.
 */
export function sameKooDriveInstant(a: unknown, b: unknown): boolean {
  const x = parseKooDriveTime(a);
  const y = parseKooDriveTime(b);
  if (x.kind === "time" && y.kind === "time") {
    const exact = (value: unknown, ms: number) => carriesMilliseconds(value) && ms % 1000 !== 0;
    return exact(a, x.ms) && exact(b, y.ms) ? x.ms === y.ms : Math.abs(x.ms - y.ms) < 1000;
  }
  return x.kind === y.kind && (x.kind !== "unreadable" || a === b);
}

/** Whole days (rounded up) from `nowMs` until `ms`; negative when already past. */
export function daysUntil(ms: number, nowMs: number): number {
  return Math.ceil((ms - nowMs) / DAY_MS);
}

/** The API's longest validity period: `validDays` is 0–365 (0: none), and no write sets an expiry further out. */
export const MAX_VALID_DAYS = 365;

/**
 * The `validDays` whose write at `nowMs` brings a link's expiry back to `ms` (or just past it): whole days left,
 * rounded up, 1 at least (an expiry already past gets the shortest period) and {@link MAX_VALID_DAYS} at most.
 */
export function validDaysUntil(ms: number, nowMs: number): number {
  return Math.min(MAX_VALID_DAYS, Math.max(1, daysUntil(ms, nowMs)));
}

/**
 * How much later than "write time + `validDays` days" an expiry may be and still come from that write, if KooDrive
 * rounds. The API documents exact arithmetic (its examples keep the write's milliseconds) but does not promise it.
 * Each rule says whether it allows the slack, by what a wrong answer costs. The drift check does: without it, every
 * renewal by a rounding KooDrive would read as a validity extended outside Pulumi, and be renewed again on every run.
 * Recognising a lost write does not: a slack would count a lost PUT that shortens the validity by a day as applied,
 * and take a share of validDays + 1 for a lost create's.
 */
export const EXPIRY_ROUNDING_MS = DAY_MS;

/**
 * The latest expiry a write of `validDays` (1–365) sent at or before `writtenByMs` can give (KooDrive's clock), with
 * `roundingMs` of slack for a KooDrive that rounds up.
 */
export function latestExpiryOfWrite(validDays: number, writtenByMs: number, roundingMs = EXPIRY_ROUNDING_MS): number {
  return writtenByMs + validDays * DAY_MS + roundingMs + CLOCK_TOLERANCE_MS;
}

/**
 * Whether `expiryMs` can be the expiry a write of `validDays` (1–365) sent between `fromMs` and `toMs` gives, all on
 * KooDrive's clock within the clock tolerance, and with `roundingMs` of slack above: the one rule for recognising a
 * write by its effect (0 for the exact arithmetic the API documents).
 */
export function expiryFitsWrite(expiryMs: number, validDays: number, fromMs: number, toMs: number, roundingMs: number): boolean {
  return expiryMs >= fromMs + validDays * DAY_MS - CLOCK_TOLERANCE_MS && expiryMs <= latestExpiryOfWrite(validDays, toMs, roundingMs);
}

/**
 * Whether a share's expiry can follow a write of `validDays` 0: none on the carrier edition (0 sets no validity
 * period); the enterprise edition's 0 keeps whatever expiry the share had.
 */
export function expiryFitsNoValidityWrite(expiry: KooDriveTime, edition: KooDriveEdition): boolean {
  return edition === "enterprise" || expiry.kind === "none";
}
