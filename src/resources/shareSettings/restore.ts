import type { KooDriveEdition } from "../../client/connectionSettings";
import type { ShareLink } from "../../client/responses";
import { DAY_MS, MAX_VALID_DAYS, parseKooDriveTime, sameKooDriveInstant } from "../../time/koodriveTime";
import { type OriginalSettings, restoreValidDays } from "../common/originals";
import { OPTIONAL_SETTINGS, type OptionalSetting } from "../common/linkState";
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
 * What a refresh of a restoring resource marks in its state, sticky until this resource writes again: a managed
 * setting changed since its last write (`writtenSinceApplied`), and an expiry changed since (`validityRestartedSince`).
 */
export function refreshMarks(state: ShareSettingsState, live: ShareLink): Pick<ShareSettingsState, "writtenSinceApplied" | "validityRestartedSince"> {
  const marks: Pick<ShareSettingsState, "writtenSinceApplied" | "validityRestartedSince"> = {};
  if (state.writtenSinceApplied || settingsChangedSince(state, live).length > 0) marks.writtenSinceApplied = true;
  if (state.validityRestartedSince || !sameKooDriveInstant(live.expireTime, state.expireTime)) marks.validityRestartedSince = true;
  return marks;
}

/**
 * What a restoring delete does with the live share. `refuse`: a setting this resource manages, or the expiry, is not
 * what it last wrote or read (a person edited it, or another resource or stack wrote it: every PUT restarts the
 * validity), and restoring would clobber that. Otherwise `restore` the original of each of `fields` and the
 * validity. When the share was written since this resource's last write (`updateTime`) in settings it does not
 * manage, say the owner's own message, what was written is the writer's: only the managed settings are put back, and
 * `kept` names the others, which now differ from their originals. When nothing was written since, every original
 * goes back (also a setting the program once managed and then dropped, which still holds what Pulumi wrote).
 */
export type RestorePlan =
  | { readonly kind: "refuse"; readonly what: string }
  | { readonly kind: "restore"; readonly fields: readonly OptionalSetting[]; readonly kept: readonly OptionalSetting[] };

export function restorePlan(state: ShareSettingsState, live: ShareLink, originals: OriginalSettings): RestorePlan {
  const changed: string[] = settingsChangedSince(state, live);
  if (state.validityRestartedSince || !sameKooDriveInstant(live.expireTime, state.expireTime)) changed.push("expireTime");
  if (changed.length > 0) return { kind: "refuse", what: changed.join(", ") };
  if (!writtenSince(state, live)) return { kind: "restore", fields: OPTIONAL_SETTINGS, kept: [] };
  const kept = unmanagedChanged(state, live, originals);
  // A write seen only in `updateTime` may be another stack's of the same settings, whose new expiry a refresh by an
  // earlier version (which did not remember it) copied into state: not this resource's to undo.
  if (kept.length === 0) return { kind: "refuse", what: "updateTime" };
  return { kind: "restore", fields: state.managedFields, kept };
}

/** The settings this resource does not manage that the live share holds otherwise than their originals. */
export function unmanagedChanged(state: ShareSettingsState, live: ShareLink, originals: OriginalSettings): OptionalSetting[] {
  return OPTIONAL_SETTINGS.filter((field) => !state.managedFields.includes(field) && restoreWouldChange(originals, live, field));
}

/** Whether KooDrive's `updateTime` says someone wrote the share since this resource's last write (unknown = no). */
function writtenSince(state: ShareSettingsState, live: ShareLink): boolean {
  return state.updateTime !== undefined && live.updateTime !== undefined && live.updateTime !== state.updateTime;
}

/** Whether restoring `field` would change the live share (an original share without an access code keeps the current one). */
function restoreWouldChange(originals: OriginalSettings, live: ShareLink, field: OptionalSetting): boolean {
  if (field === "extractCode" && !originals.extractCode) return false;
  return (live[field] ?? "") !== (originals[field] ?? "");
}

/** The notice for a restore that left `kept` as the share holds them (see {@link RestorePlan}); never an access code. */
export function keptNotice(kept: readonly OptionalSetting[], originals: OriginalSettings): string {
  const what = kept
    .map((field) => (field === "comment" ? `the comment (its original was ${JSON.stringify(originals.comment ?? "")})` : "the access code"))
    .join(" and ");
  const [them, those] = kept.length > 1 ? ["them", "those settings"] : ["it", "that setting"];
  return (
    `restored the original settings this resource manages, and the validity; kept ${what} as the share holds ${them}: ` +
    `someone wrote the share since this resource's last write, and this resource does not manage ${those}`
  );
}
