import type { KooDriveEdition } from "../../client/connectionSettings";
import type { UpdateShareBody } from "../../client/koodriveClient";
import type { ShareLink } from "../../client/shareLink";
import { DAY_MS, expiryFitsNoValidityWrite, expiryFitsWrite, parseKooDriveTime, sameKooDriveInstant, validDaysUntil } from "../../time/koodriveTime";
import * as z from "../../zod";
import { OPTIONAL_SETTINGS, type OptionalSetting } from "./linkState";

/**
 * A share's settings from before Pulumi first changed it, for `onDelete: "restore"`: read by the `-originals`
 * companion, written back by the settings resource's delete, and checked by both (what a restore puts back, and
 * whether the share holds it).
 */

/** Settings remembered for `onDelete: "restore"`. */
export const originalsSchema = z.object({
  extractCode: z.string().optional(),
  comment: z.string().optional(),
  /** Absolute expiry as KooDrive reported it; absent when the share had no validity period. */
  expireTime: z.string().optional(),
});
export type OriginalSettings = z.infer<typeof originalsSchema>;

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
 * The PUT body that restores the original validity and the original of each of `fields` (one left out keeps what the
 * share holds). The API cannot remove an access code, so an original share without one keeps the
 * current code; an original without a comment gets an empty comment.
 */
export function restoreBody(original: OriginalSettings, now: Date, fields: readonly OptionalSetting[]): UpdateShareBody {
  return { validDays: restoreValidDays(original.expireTime, now), ...restoredOptionalSettings(original, fields) };
}

/** The access code and comment a restore of `fields` writes (see {@link restoreBody}). */
function restoredOptionalSettings(original: OriginalSettings, fields: readonly OptionalSetting[]): Pick<UpdateShareBody, OptionalSetting> {
  const written: Pick<UpdateShareBody, OptionalSetting> = {};
  if (fields.includes("comment")) written.comment = original.comment ?? "";
  if (fields.includes("extractCode") && original.extractCode) written.extractCode = original.extractCode;
  return written;
}

/**
 * The settings the live share holds as a restore of `fields` at about `now` writes them: the original access code
 * (when it had one) and comment, as far as `fields` holds them, and `expireTime` for an expiry within a day of what
 * {@link restoreBody} sets (whole days, rounded up). A setting the restore does not write is never listed.
 */
export function settingsAsRestored(
  original: OriginalSettings,
  live: ShareLink,
  now: Date,
  edition: KooDriveEdition,
  fields: readonly OptionalSetting[],
): RestoredSetting[] {
  const written = restoredOptionalSettings(original, fields);
  const held: RestoredSetting[] = OPTIONAL_SETTINGS.filter((field) => written[field] !== undefined && (live[field] ?? "") === written[field]);
  const expiry = parseKooDriveTime(live.expireTime);
  // validDays 0 on the enterprise edition keeps whatever expiry the share has. Otherwise the restore may have run up
  // to a day before `now`, and its whole days are rounded up: its write fits any time within the day before, asking
  // for up to one whole day more than a restore now would. An original expiry that has passed was restored as one
  // day at any time from the day before it on (a destroy killed after its restore and run again days later).
  // An original expiry in no documented form cannot be restored (see restoreValidDays), so no expiry is its restore.
  const originalExpiry = parseKooDriveTime(original.expireTime);
  const validDays = originalExpiry.kind === "unreadable" ? undefined : restoreValidDays(original.expireTime, now);
  const expiryAsRestored =
    validDays === 0
      ? expiryFitsNoValidityWrite(expiry, edition)
      : validDays !== undefined &&
        expiry.kind === "time" &&
        (expiryFitsWrite(expiry.ms, validDays, now.getTime() - DAY_MS, now.getTime(), DAY_MS) ||
          (originalExpiry.kind === "time" &&
            originalExpiry.ms - DAY_MS < now.getTime() &&
            expiryFitsWrite(expiry.ms, 1, originalExpiry.ms - DAY_MS, now.getTime(), DAY_MS)));
  if (expiryAsRestored) held.push("expireTime");
  return held;
}

/** A setting a restore writes. */
export type RestoredSetting = OptionalSetting | "expireTime";

/**
 * Whether the live share holds every setting a restore of `fields` at about `now` writes (see
 * {@link settingsAsRestored}). A destroy killed after its restore landed leaves the share so; the next destroy must not
 * call that a change made by someone else.
 */
export function holdsOriginals(original: OriginalSettings, live: ShareLink, now: Date, edition: KooDriveEdition, fields: readonly OptionalSetting[]): boolean {
  const written = Object.keys(restoredOptionalSettings(original, fields)).length;
  return settingsAsRestored(original, live, now, edition, fields).length === written + 1;
}

/** Whether two records of a share's originals are the same settings (expiries compared as instants). */
export function sameOriginals(a: OriginalSettings | undefined, b: OriginalSettings): boolean {
  return (
    a !== undefined &&
    (a.extractCode ?? "") === (b.extractCode ?? "") &&
    (a.comment ?? "") === (b.comment ?? "") &&
    sameKooDriveInstant(a.expireTime, b.expireTime)
  );
}

/** Where an original access code can still be read once its state is gone (it is never printed). */
export const WHERE_THE_ORIGINAL_CODE_IS =
  "`pulumi stack history` lists this stack's earlier versions, and `pulumi stack export --version N --show-secrets` shows one; " +
  'a file backend keeps them in .pulumi/history/ instead (README: "Reading an earlier state")';

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
  if (original.extractCode) parts.push(`an access code (a secret, not shown: ${WHERE_THE_ORIGINAL_CODE_IS})`);
  return parts.join(", ");
}
