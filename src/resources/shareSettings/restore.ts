import type { KooDriveEdition } from "../../client/connectionSettings";
import type { ShareLink } from "../../client/responses";
import { DAY_MS, MAX_VALID_DAYS, parseKooDriveTime, sameKooDriveInstant } from "../../time/koodriveTime";
import { type OriginalSettings, restoreValidDays } from "../common/originals";
import type { ShareSettingsState } from "./state";

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
