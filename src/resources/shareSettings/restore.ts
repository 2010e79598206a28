import type { KooDriveEdition } from "../../client/connectionSettings";
import type { ShareLink } from "../../client/shareLink";
import { DAY_MS, MAX_VALID_DAYS, kooDriveTimeOutput, parseKooDriveTime, sameKooDriveInstant } from "../../time/koodriveTime";
import { type OriginalSettings, WHERE_THE_ORIGINAL_CODE_IS, originalsForTheRecord, restoreValidDays, sameOriginals } from "../common/originals";
import type { RestoredHere } from "../common/restoredShares";
import { OPTIONAL_SETTINGS, type OptionalSetting, settingsChangedSince } from "../common/linkState";
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

/**
 * The notice for an adoption whose originals already hold every declared setting the resource manages (comment,
 * access code): destroy will leave those. Either the share held them before (nothing to undo), or Pulumi had written
 * them before its `-originals` companion read the share: the companion was replaced (`up --replace`) or renamed
 * (`pulumi state rename`), an older state was imported, or an `up` with PULUMI_SKIP_CHECKPOINTS was killed after
 * writing (it saved nothing). Then the true originals are in the stack's history only, if a version there has them.
 */
export function alreadyDeclaredNotice(originals: OriginalSettings, inputs: Record<string, unknown>): string | undefined {
  const declared = OPTIONAL_SETTINGS.filter((field) => inputs[field] !== undefined);
  if (declared.length === 0 || declared.some((field) => (originals[field] ?? "") !== inputs[field])) return undefined;
  return (
    "the share already holds the declared settings, so they are recorded as its originals too: destroy leaves them (nothing to undo if the share had them before Pulumi). " +
    "Only if Pulumi wrote them before the `-originals` companion read the share (a companion created again, an imported older state, an `up` killed while running with PULUMI_SKIP_CHECKPOINTS) " +
    `are the true originals elsewhere: in an earlier version of this stack's state, if one was saved after the companion first read the share (${WHERE_THE_ORIGINAL_CODE_IS}); a run with PULUMI_SKIP_CHECKPOINTS saves none until it ends, so after such a run was killed they may be lost.`
  );
}

/**
 * A resource adopting a share that another, deleted earlier in this run, restored (a replacement with
 * `deleteBeforeReplace`): when its companion read the share before that restore, it recorded Pulumi's settings, and
 * the true ones are listed. Read after the restore, the companion recorded the expiry of that very write, to the
 * second, which no earlier write has. A restore that left no expiry (an original that never expired) is told by the
 * comment and access code as the restore left them (its answer, else the originals it wrote).
 */
export function predecessorRestoredWarning(recorded: OriginalSettings, restored: RestoredHere): string | undefined {
  const { originals, share } = restored;
  const readAfterRestore =
    parseKooDriveTime(share.expireTime).kind === "time"
      ? sameKooDriveInstant(recorded.expireTime, share.expireTime)
      : sameOriginals(recorded, {
          comment: share.comment ?? originals.comment,
          extractCode: share.extractCode ?? originals.extractCode,
          expireTime: share.expireTime,
        });
  if (readAfterRestore) return undefined;
  return (
    "warning: a resource deleted earlier in this run (a replacement with deleteBeforeReplace) restored this share's original settings " +
    "after this resource's `-originals` companion had read the share with Pulumi's settings: those are recorded as the originals, so destroy will leave them. " +
    `The share's originals were: ${originalsForTheRecord(originals)}. Set them by hand after a destroy if they should be back.`
  );
}

/**
 * What the edition does with a restore body at `now`; for the notice when it cannot be exact. `restored` is the share
 * as the restore left it.
 */
export function restoreCaveat(original: OriginalSettings, edition: KooDriveEdition, now: Date, restored: ShareLink): string | undefined {
  const expiry = parseKooDriveTime(original.expireTime);
  if (edition === "enterprise" && expiry.kind === "none") {
    const kept = "the original share never expired, which the enterprise API cannot set again: its current expiry is kept";
    // Kept, an expiry already past leaves a link that was never to expire dead: its owner must hear it as a warning.
    const left = parseKooDriveTime(restored.expireTime);
    return left.kind === "time" && left.ms <= now.getTime()
      ? `warning: ${kept}, and it passed at ${new Date(left.ms).toISOString()}: the link stays expired. Set its validity by hand if it should be reachable again`
      : kept;
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

/**
 * What a refresh of a restoring resource marks in its state, sticky until this resource writes again: a managed
 * setting changed since its last write (`writtenSinceApplied`; see `read`).
 */
export function refreshMark(state: ShareSettingsState, live: ShareLink): Pick<ShareSettingsState, "writtenSinceApplied"> {
  return state.writtenSinceApplied || settingsChangedSince(state, live).length > 0 ? { writtenSinceApplied: true } : {};
}

/**
 * The expiry this resource's last write left (`""`: none), when state proves it: kept in `appliedExpireTime` from the
 * write on; for state from before that was kept, the live expiry when KooDrive's `updateTime` is still that write's
 * (state written by 0.1.0, `storedVersion` 1, refreshed `updateTime` too, so it proves nothing there; list pages carry
 * no `updateTime`); else unknown.
 */
export function appliedExpiry(state: ShareSettingsState, live: ShareLink, storedVersion: unknown): string | undefined {
  if (state.appliedExpireTime !== undefined) return state.appliedExpireTime;
  const ownUpdateTime = typeof storedVersion === "number" && storedVersion >= 2;
  return ownUpdateTime && state.updateTime !== undefined && live.updateTime !== undefined && sameKooDriveInstant(live.updateTime, state.updateTime)
    ? (live.expireTime ?? "")
    : undefined;
}

/**
 * The warning a refresh gives when a write that is not this resource's restarted the share's validity (another stack
 * applying the same settings, a person, or an update of its own that landed in a run that was killed or failed):
 * destroy will not restore the originals, and only a write of this resource's own changes that. Undefined otherwise.
 */
export function validityRestartedWarning(state: ShareSettingsState, live: ShareLink): string | undefined {
  if (state.appliedExpireTime === undefined || sameKooDriveInstant(live.expireTime, state.appliedExpireTime)) return undefined;
  const expiry = (time: string | undefined) => (time ? `at ${kooDriveTimeOutput(time)}` : "never");
  return (
    `warning: the share's validity was restarted by a write that is not this resource's (it expires ${expiry(live.expireTime)}, ` +
    `not ${expiry(state.appliedExpireTime)}): destroy will not restore its original settings over it. If that write was this ` +
    "resource's own (an update that landed in a run that was killed or failed), change its validDays once so that `pulumi up` writes the share again."
  );
}

/**
 * What a restoring delete does with the live share. It puts back only what this resource manages (the access code
 * and comment it declares) and the validity: a setting it does not manage, never declared or dropped from the
 * program, is left as the share holds it (`kept` names those that differ from their originals), since whoever last
 * wrote it, the owner or a run of this program before it stopped managing it, is not this resource now.
 * It refuses when a managed setting or the expiry is not what this resource last wrote (a person edited it, or
 * another resource or stack wrote it: every PUT restarts the validity), seen now or by a refresh since; restoring
 * would clobber that. For state from before the applied expiry was kept, a refresh may have copied another writer's
 * expiry into state: there a write seen only in `updateTime` refuses too, as it always did; so does it for a link that
 * this resource left without an expiry, where every writer's "no expiry" looks the same.
 */
export type RestorePlan =
  | { readonly kind: "refuse"; readonly changed: readonly string[] }
  | { readonly kind: "restore"; readonly kept: readonly OptionalSetting[] };

export function restorePlan(state: ShareSettingsState, live: ShareLink, originals: OriginalSettings): RestorePlan {
  const changed: string[] = settingsChangedSince(state, live);
  if (state.writtenSinceApplied && changed.length === 0) changed.push("a managed setting found changed by a refresh");
  if (!sameKooDriveInstant(live.expireTime, state.appliedExpireTime ?? state.expireTime)) changed.push("expireTime");
  // The expiry cannot tell another writer when this resource's own write left the link without one (validDays 0), nor
  // in state from before the applied expiry was kept: `updateTime` tells it then, where both sides carry it.
  const timeless = !(state.appliedExpireTime ?? state.expireTime);
  const unproven = (state.appliedExpireTime === undefined || timeless) && state.updateTime !== undefined && live.updateTime !== undefined;
  if (unproven && !sameKooDriveInstant(live.updateTime, state.updateTime)) changed.push("updateTime");
  if (changed.length > 0) return { kind: "refuse", changed };
  return { kind: "restore", kept: unmanagedChanged(state, live, originals) };
}

/** The settings this resource does not manage that the live share holds otherwise than their originals. */
export function unmanagedChanged(state: ShareSettingsState, live: ShareLink, originals: OriginalSettings): OptionalSetting[] {
  return OPTIONAL_SETTINGS.filter((field) => !state.managedFields.includes(field) && restoreWouldChange(originals, live, field));
}

/** Whether restoring `field` would change the live share (an original share without an access code keeps the current one). */
function restoreWouldChange(originals: OriginalSettings, live: ShareLink, field: OptionalSetting): boolean {
  if (field === "extractCode" && !originals.extractCode) return false;
  return (live[field] ?? "") !== (originals[field] ?? "");
}

/**
 * The notice for a restore of the `restoredNow` settings (and the validity), or for a share found restored
 * (`restoredNow` undefined), that left `kept` as the share holds them (see
 * {@link RestorePlan}): the original comment, and for an access code that is not the original, a warning with where
 * the original can be read (never the code itself).
 */
export function keptNotice(kept: readonly OptionalSetting[], originals: OriginalSettings, restoredNow: readonly OptionalSetting[] | undefined): string {
  const parts = kept.map((field) =>
    field === "comment"
      ? `the comment (its original was ${JSON.stringify(originals.comment ?? "")})`
      : `the access code, which is not its original (a secret, not shown: ${WHERE_THE_ORIGINAL_CODE_IS})`,
  );
  const [it, that] = kept.length > 1 ? ["them", "those settings"] : ["it", "that setting"];
  const names = (restoredNow ?? []).map((field) => (field === "comment" ? "comment" : "access code"));
  const restored = restoredNow === undefined ? "" : `restored ${names.length > 0 ? `the original ${names.join(" and ")} and ` : ""}the validity, and `;
  return `${kept.includes("extractCode") ? "warning: " : ""}${restored}kept ${parts.join(" and ")} as the share holds ${it}: this resource does not manage ${that}`;
}
