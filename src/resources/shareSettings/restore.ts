import type { UpdateShareBody } from "../../client/koodriveClient";
import type { ShareLink } from "../../client/responses";
import type { KooDriveEdition } from "../../client/connectionSettings";
import {
  DAY_MS,
  MAX_VALID_DAYS,
  expiryFitsNoValidityWrite,
  expiryFitsWrite,
  parseKooDriveTime,
  sameKooDriveInstant,
  validDaysUntil,
} from "../../time/koodriveTime";
import type { OriginalSettings } from "./args";
import type { ShareSettingsState } from "./state";

/**
 * The `validDays` that restores an original absolute expiry: whole days remaining from `now`, rounded up, between
 * 1 and 365. No original expiry gives 0 (no validity period) on the carrier edition; on the enterprise edition 0
 * would mean "keep the current expiry", which is narrower, so it is used there too. An expiry already past gives 1,
 * the shortest period the API can set. An expiry in no documented form fails: guessing could widen access.
 */
export function restoreValidDays(expireTime: string | undefined, now: Date): number {
  const expiry = parseKooDriveTime(expireTime);
  if (expiry.kind === "none") return 0;
  if (expiry.kind === "unreadable") {
    throw new Error(
      `cannot restore the original validity: its expireTime "${expiry.text}" is in no form KooDrive documents (restoring it as "never expires" could widen access); set the share's validity by hand`,
    );
  }
  return validDaysUntil(expiry.ms, now.getTime());
}

/**
 * The PUT body that restores the original settings. The API cannot remove an access code, so an original share
 * without one keeps the current code; an original without a comment gets an empty comment.
 */
export function restoreBody(original: OriginalSettings, now: Date): UpdateShareBody {
  const body: UpdateShareBody = { validDays: restoreValidDays(original.expireTime, now), comment: original.comment ?? "" };
  if (original.extractCode) body.extractCode = original.extractCode;
  return body;
}

/**
 * The warning for `onDelete` turned to `"restore"` on a share this resource already manages: the companion reads the
 * originals now, when the share holds the settings this resource applied, so those are what destroy puts back.
 */
export function lateRestoreWarning(oldOnDelete: unknown, newOnDelete: unknown): string | undefined {
  if (newOnDelete !== "restore" || oldOnDelete === "restore") return undefined;
  return (
    'warning: onDelete "restore" is set on a share this resource already changed: the settings recorded as its originals ' +
    "are the ones it holds now (this resource's), so destroy will put those back, not the settings from before Pulumi " +
    'first changed it. Declare onDelete "restore" when the resource first adopts a share to keep its true originals.'
  );
}

/** What the edition does with a restore body at `now`; for the notice when it cannot be exact. */
export function restoreCaveat(original: OriginalSettings, edition: KooDriveEdition, now: Date): string | undefined {
  const expiry = parseKooDriveTime(original.expireTime);
  if (edition === "enterprise" && expiry.kind === "none") {
    return "the original share never expired, which the enterprise API cannot set again: its current expiry is kept";
  }
  // The API's longest validity is 365 days: an original further out comes back shorter, which is no wider access but
  // is not the original either.
  if (expiry.kind === "time" && expiry.ms - now.getTime() > MAX_VALID_DAYS * DAY_MS) {
    const until = new Date(now.getTime() + MAX_VALID_DAYS * DAY_MS).toISOString();
    return `the original link was to expire at ${new Date(expiry.ms).toISOString()}, beyond the API's longest validity (${MAX_VALID_DAYS} days): it is restored to expire at about ${until}`;
  }
  // The link was dead before Pulumi adopted it; the restore makes it reachable again for a day, which its owner
  // should hear about rather than find out.
  if (expiry.kind === "time" && expiry.ms <= now.getTime()) {
    const until = new Date(now.getTime() + restoreValidDays(original.expireTime, now) * DAY_MS).toISOString();
    return (
      `warning: the original link had expired (${new Date(expiry.ms).toISOString()}), which the API cannot set again: it is restored with ` +
      `the shortest validity, 1 day, and can be opened until about ${until}. Cancel the share if it must not be reachable.`
    );
  }
  return undefined;
}

/** The managed settings (access code, comment) whose live value is not the one this resource last applied or read. */
export function settingsChangedSince(state: ShareSettingsState, live: ShareLink): string[] {
  return state.managedFields.filter((field) => (live[field] ?? "") !== (state[field] ?? ""));
}

/**
 * Whether the live share still holds what this resource last wrote. If not, someone else wrote since (another
 * resource now managing the share after a rename, or a person): restoring would clobber their settings.
 */
export function stillAsApplied(state: ShareSettingsState, live: ShareLink): { same: true } | { same: false; what: string } {
  const changed: string[] = settingsChangedSince(state, live);
  if (!sameKooDriveInstant(live.expireTime, state.expireTime)) changed.push("expireTime");
  if (state.updateTime !== undefined && live.updateTime !== undefined && live.updateTime !== state.updateTime) changed.push("updateTime");
  return changed.length === 0 ? { same: true } : { same: false, what: changed.join(", ") };
}

/**
 * Whether the live share holds its original settings as a restore at about `now` leaves them: the original access
 * code (when it had one) and comment, and an expiry within a day of what {@link restoreBody} sets (whole days, rounded
 * up). A destroy killed after its restore landed leaves the share so; the next destroy must not call that a change
 * made by someone else.
 */
export function holdsOriginals(original: OriginalSettings, live: ShareLink, now: Date, edition: KooDriveEdition): boolean {
  if (original.extractCode && live.extractCode !== original.extractCode) return false;
  if ((live.comment ?? "") !== (original.comment ?? "")) return false;
  const validDays = restoreValidDays(original.expireTime, now);
  const expiry = parseKooDriveTime(live.expireTime);
  // validDays 0 on the enterprise edition keeps whatever expiry the share has.
  if (validDays === 0) return expiryFitsNoValidityWrite(expiry, edition);
  // The restore may have run up to a day before `now` and still asked for today's whole days (they are rounded up):
  // its write fits any time within the day before.
  return expiry.kind === "time" && expiryFitsWrite(expiry.ms, validDays, now.getTime() - DAY_MS, now.getTime());
}

/**
 * What a user needs to put the originals back by hand when no restore will: the comment and the expiry, and where
 * the access code (a secret, never printed) can still be found.
 */
export function originalsForTheRecord(original: OriginalSettings): string {
  const expiry = parseKooDriveTime(original.expireTime);
  const parts = [
    `comment ${JSON.stringify(original.comment ?? "")}`,
    expiry.kind === "time" ? `expiry ${new Date(expiry.ms).toISOString()}` : expiry.kind === "none" ? "no expiry" : `expireTime "${expiry.text}"`,
  ];
  if (original.extractCode)
    parts.push(
      "an access code (a secret, not shown: `pulumi stack history` lists this stack's earlier versions, and `pulumi stack export --version N --show-secrets` shows one)",
    );
  return parts.join(", ");
}
