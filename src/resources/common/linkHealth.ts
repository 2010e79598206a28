import { CLOCK_TOLERANCE_MS, DAY_MS, daysUntil, latestExpiryOfWrite, parseKooDriveTime } from "../../time/koodriveTime";
import type { ProviderContext } from "../../provider/context";
import type { Props } from "../../provider/handler";
import { SHARE_STATUS } from "./linkState";
import { isUnknown } from "./unknownValue";

/** What the health rules read from a stored share: its expiry and status as KooDrive last reported them. */
export interface LinkState {
  expireTime?: string;
  status?: number;
}

/**
 * Whether the link needs a renewal, and why, from the stored state alone (no request: preview stays offline).
 * A link whose files were deleted, or that KooDrive invalidated before its expiry, is a problem to report, not
 * something a renewal fixes.
 */
export function linkHealth(
  state: LinkState,
  declaredValidDays: unknown,
  renewBeforeDays: unknown,
  now: Date,
  localClockAhead?: Date,
): { renewal?: string; problem?: string } {
  const expiry = parseKooDriveTime(state.expireTime);
  // `now` is on KooDrive's clock; `localClockAhead` is this machine's time when `now` rests on a recorded offset that
  // may have measured another machine's wrong clock (see `ProviderContext.localClockAhead`): expired by either counts.
  const expiredByLocalClockOnly =
    expiry.kind === "time" && expiry.ms > now.getTime() && localClockAhead !== undefined && expiry.ms <= localClockAhead.getTime();
  // KooDrive judges expiry by its own clock: a link it calls invalid (2) within the clock tolerance of its expiry has
  // expired, it was not invalidated.
  const expiredByTime = (expiry.kind === "time" && expiry.ms <= now.getTime()) || expiredByLocalClockOnly;
  const expiredByServerClock = expiry.kind === "time" && expiry.ms <= now.getTime() + CLOCK_TOLERANCE_MS;
  if (state.status === SHARE_STATUS.filesDeleted)
    return { problem: "its files were deleted (status 1): the link cannot be renewed; re-share the files or remove this resource" };
  if (state.status === SHARE_STATUS.invalidOrExpired && !expiredByServerClock && expiry.kind !== "unreadable") {
    return {
      problem:
        "KooDrive invalidated the link before its expiry (status 2: the sharer lost permission, or the space or user was disabled); a renewal cannot fix that",
    };
  }
  if (typeof declaredValidDays !== "number" || isUnknown(declaredValidDays)) return {};
  if (declaredValidDays === 0) {
    return expiry.kind === "none" ? {} : { renewal: `it has an expiry (${state.expireTime}) although validDays 0 declares none` };
  }
  if (expiredByTime || state.status === SHARE_STATUS.expired || state.status === SHARE_STATUS.invalidOrExpired) {
    const byLocalClock =
      expiredByLocalClockOnly && localClockAhead !== undefined
        ? ` by this machine's clock (KooDrive's was ${Math.round((localClockAhead.getTime() - now.getTime()) / 60_000)} minutes behind it when last recorded: if this machine's clock is fast, correct it, or every run renews)`
        : "";
    return {
      renewal: `the link expired${expiry.kind === "time" ? ` at ${new Date(expiry.ms).toISOString()}` : ""}${byLocalClock}; due for a renewal of ${dayCount(declaredValidDays)}`,
    };
  }
  if (expiry.kind === "unreadable") return { problem: `its expireTime "${expiry.text}" is in no form KooDrive documents; not renewing on a guess` };
  if (expiry.kind === "none") return { renewal: `it has no expiry although validDays ${declaredValidDays} is declared` };
  // A validity extended outside Pulumi (or a validDays lowered in the program) leaves the link open longer than the
  // program allows: an expiry later than any write of the declared validity until now can give. validDays itself is
  // never derived back. "Now" is the later of the two clocks: a recorded offset that put KooDrive behind a machine
  // whose clock was fast would otherwise make every recent write look too long, and renew it.
  if (expiry.ms > latestExpiryOfWrite(declaredValidDays, Math.max(now.getTime(), localClockAhead?.getTime() ?? 0))) {
    return {
      renewal: `it expires at ${new Date(expiry.ms).toISOString()}, more than validDays ${declaredValidDays} from now: validDays ${declaredValidDays} is due again, which shortens the link's validity`,
    };
  }
  if (typeof renewBeforeDays === "number" && !isUnknown(renewBeforeDays)) {
    if (expiry.ms - now.getTime() < renewBeforeDays * DAY_MS) {
      // "Within": the days left are rounded up, so 6.5 days left under renewBeforeDays 7 reads "within 7 days".
      return { renewal: `expires within ${dayCount(daysUntil(expiry.ms, now.getTime()))} (renewBeforeDays ${renewBeforeDays}): due for renewal` };
    }
  }
  return {};
}

function dayCount(days: number): string {
  return `${days} day${days === 1 ? "" : "s"}`;
}

/**
 * The health rules applied to KooDrive's answer to a write of the declared `validDays`. The rules assume KooDrive
 * counts a validity from the write ("now + validDays"), as the API document says, though it leaves "from the share
 * time" open. An answer the rules would renew again means KooDrive counts another way, and every run would write the
 * share again: the warning says so once per write instead of renewing in a silent loop.
 */
export function renewedAgainWarning(written: LinkState, validDays: unknown, renewBeforeDays: unknown, now: Date): string | undefined {
  // An answer without the expiry (the API allows one) says nothing about how KooDrive counts: the next refresh reads it.
  if (typeof validDays === "number" && validDays > 0 && parseKooDriveTime(written.expireTime).kind === "none") return undefined;
  const { renewal } = linkHealth(written, validDays, renewBeforeDays, now);
  if (renewal === undefined) return undefined;
  return (
    `warning: KooDrive answered this write of validDays ${String(validDays)} with expireTime ${written.expireTime || "(none)"} and status ` +
    `${written.status ?? "(none)"}, which the next run would renew again (${renewal}). KooDrive seems to count the validity from ` +
    "another time than the write, so every run will write this share: check the link in KooDrive, and report it with the shareId"
  );
}

/** Warns about a link a refresh found that a renewal cannot fix (files deleted, invalidated, an unreadable expiry). */
export function reportLinkProblem(ctx: ProviderContext, shareId: string, read: LinkState, declaredValidDays: unknown): void {
  const { problem } = linkHealth(read, declaredValidDays, undefined, ctx.now());
  if (problem) ctx.notice(shareId, `warning: ${problem}`);
}

/** Tells the user when KooDrive's answer to a write of `inputs` would be renewed again (see {@link renewedAgainWarning}). */
export function reportRenewedAgain(ctx: ProviderContext, shareId: string, written: LinkState, inputs: Props): void {
  const warning = renewedAgainWarning(written, inputs.validDays, inputs.renewBeforeDays, ctx.now());
  if (warning) ctx.notice(shareId, warning);
}
