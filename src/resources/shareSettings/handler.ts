import { definedFields } from "../../client/definedFields";
import { ResendRefused, applySettings, writeDeclaredSettings } from "../../provider/applySettings";
import type { ShareLink } from "../../client/shareLink";
import { ADOPTION_NEEDS_SHARE, findShare, orNotFound } from "../../provider/findShare";
import { type Props, type ResourceHandler, checkResult } from "../../provider/handler";
import { diffResultOf, planClocks, planNotices } from "../common/linkPlan";
import {
  type OriginalSettings,
  holdsOriginals,
  originalsForTheRecord,
  originalsSchema,
  restoreBody,
  sameOriginals,
  settingsAsRestored,
} from "../common/originals";
import { checkShareSettingsInputs } from "./checkInputs";
import { reportLinkProblem, reportRenewedAgain } from "../common/linkHealth";
import { ownerNotice, recordedOwner } from "../common/owner";
import { noteOriginalsRestored, noteSuccessor, originalsRestoredInThisRun, rememberRestored, successorInThisRun } from "../common/restoredShares";
import { planSettingsChange } from "./plan";
import {
  alreadyDeclaredNotice,
  predecessorRestoredWarning,
  appliedExpiry,
  keptNotice,
  lateRestoreWarning,
  refreshMark,
  restoreCaveat,
  restorePlan,
  unmanagedChanged,
  validityRestartedWarning,
} from "./restore";
import { refreshedInputs, stateOnlyUpdate, withLiveManagedSettings } from "../common/linkState";
import { isUnknown } from "../common/unknownValue";
import { SHARE_SETTINGS_STATE_VERSION, originalsInInputsMark, originalsUnderStoredName, shareSettingsStateFrom, upgradeShareSettingsState } from "./state";

/** Originals are kept only while the resource restores on delete. */
function originalsFor(news: Props, stored?: OriginalSettings): OriginalSettings | undefined {
  // Originals already recorded win: a companion created later (e.g. for state written by 0.1.0, which kept them in
  // the settings resource itself) read the share after Pulumi had changed it.
  return news.onDelete === "restore" ? (stored ?? (news.originals as OriginalSettings | undefined)) : undefined;
}

/**
 * The originals a write of a restoring resource records: refuses the write when they were not read. The engine passes
 * the companion's output as unknown when it did not create the companion in this run (`up --exclude <name>-originals`
 * without `--exclude-dependents`): a write then would leave nothing to restore, and the companion created by a later
 * run would read the declared settings as the "originals".
 */
function originalsToRecord(news: Props, stored: OriginalSettings | undefined): OriginalSettings | undefined {
  const originals = originalsFor(news, stored);
  if (originals !== undefined && originalsSchema.safeParse(originals).success && !Object.values(originals).some(isUnknown)) return originals;
  if (news.onDelete !== "restore") return undefined;
  throw new Error(
    `share ${String(news.shareId)}: onDelete "restore" needs the share's original settings, and its \`-originals\` companion did not read them in this run ` +
      "(was it left out with --exclude, or out of --target?); nothing was written. Run the update with the companion included, or with --exclude-dependents / --target-dependents.",
  );
}

/** Provider of `KooDriveShareSettings`. */
export const shareSettingsHandler: ResourceHandler = {
  stateVersion: SHARE_SETTINGS_STATE_VERSION,
  async check(ctx, _olds, news) {
    const { inputs, failures } = checkShareSettingsInputs(news, ctx.edition());
    // Absent, or null: what the SDK sends for the program's "not this share's" (see `originalsOf` in resource.ts).
    if (inputs.onDelete === "restore" && (news.originals === undefined || news.originals === null)) {
      failures.push({
        property: "onDelete",
        reason:
          'onDelete "restore" needs the share\'s original settings, read by its `-originals` companion resource (the KooDriveShareSettings class creates it) ' +
          "before the first write to the share: do not leave the companion out with --exclude or --target while it has not read this share (it is new, or shareId changed); nothing was written",
      });
    }
    return checkResult(news, { inputs, failures });
  },

  async diff(ctx, _id, olds, news) {
    const state = upgradeShareSettingsState(olds);
    const plan = planSettingsChange(state, news, ...planClocks(ctx, olds));
    const stays = plan.replaces.length === 0 ? ownerNotice(state, news.userId, ctx.userId()) : undefined;
    if (stays) ctx.notice(state.shareId, stays);
    for (const notice of planNotices(plan)) ctx.notice(state.shareId, notice);
    // A replacement adopts its share afresh, and its companion reads that share's true originals.
    const late = plan.replaces.length === 0 ? lateRestoreWarning(state.onDelete, news.onDelete) : undefined;
    if (late) ctx.notice(state.shareId, late);
    if (plan.replaces.length === 0) {
      noteSuccessor(ctx.shareKey(recordedOwner(state, ctx.userId()), state.shareId), news.onDelete === "restore" ? state.originals : undefined);
    }
    return diffResultOf(plan);
  },

  /**
   * Adopts an existing share: one PUT of the declared settings (the originals, if any, were read beforehand), as the
   * declared `userId` or else the configured user, who is recorded as the owner from then on.
   */
  async create(ctx, inputs) {
    const owner = ctx.userId(inputs.userId);
    // The companion's: a replacement of this resource (`up --replace`) cannot take its predecessor's, since the engine
    // gives it neither olds nor a diff; when they differ, the predecessor's delete lists them.
    const originals = originalsToRecord(inputs, undefined);
    const applied = await writeDeclaredSettings(ctx, String(inputs.shareId), inputs, owner, ADOPTION_NEEDS_SHARE);
    reportRenewedAgain(ctx, String(inputs.shareId), applied, inputs);
    const key = ctx.shareKey(owner, String(inputs.shareId));
    noteSuccessor(key, originals);
    if (originals !== undefined) {
      const restored = originalsRestoredInThisRun(key);
      const missed = restored === undefined ? undefined : predecessorRestoredWarning(originals, restored);
      if (missed) {
        ctx.notice(String(inputs.shareId), missed);
      } else {
        const already = alreadyDeclaredNotice(originals, inputs);
        if (already) ctx.notice(String(inputs.shareId), already);
      }
    }
    return { id: String(inputs.shareId), outs: shareSettingsStateFrom(inputs, applied, originals, owner, applied.expireTime ?? "") };
  },

  /**
   * Refresh, as the recorded owner: the share as it is now; changes made outside Pulumi come back as inputs too (see
   * `refreshedInputs`). The user it was found as is recorded as the owner.
   */
  async read(ctx, id, props) {
    const state = upgradeShareSettingsState(props);
    const owner = recordedOwner(state, ctx.userId());
    const live = await ctx.reader(owner).read(id);
    if (live === undefined) return {};
    const declared = { shareId: id, userId: state.userId, validDays: state.validDays, onDelete: state.onDelete, renewBeforeDays: state.renewBeforeDays };
    const inputs = withLiveManagedSettings(declared, state, live);
    // The companion's originals are an input of a restoring resource too: left out, a refresh that returns inputs would
    // show them removed ("-originals") and the next preview added back ("+originals"), a change the user never made.
    // Only when the stored inputs hold them (`originalsInInputs`): the engine keeps a refreshed input secret only when
    // the stored inputs held it as one, so state whose inputs lack them (0.1.0's; 0.2.0's after a refresh) would get
    // the original access code stored in plaintext (test/engine/upgradeSecrets.test.js); it gets the input at its next up.
    if (state.originals !== undefined && state.originalsInInputs) inputs.originals = state.originals;
    // updateTime stays the one of this resource's own last write (the list API does not report it, and delete uses it
    // to tell whether someone else wrote since).
    const outs = shareSettingsStateFrom(
      inputs,
      { ...live, updateTime: state.updateTime },
      state.originals,
      owner,
      appliedExpiry(state, live, props.stateVersion),
    );
    reportLinkProblem(ctx, id, outs, state.validDays);
    if (state.onDelete === "restore") {
      // A changed setting is marked to be written again: else a share whose settings were written meanwhile to what
      // the program declares (an update of this resource that landed but was never recorded) would never be written
      // by it again, and delete would refuse to restore it for ever. No notice for it: the refresh shows a changed
      // setting as drift, and the diff the engine runs after this read (and at the next preview) says why a share
      // that holds the declared settings is written again. A validity restarted by another writer is not rewritten
      // (another stack writing the same settings changes just the times: the stacks would take turns writing), but
      // warned about, since delete will refuse to restore over it (the applied expiry, kept in state, tells it).
      const mark = refreshMark(state, live);
      Object.assign(outs, mark);
      // A marked share is written again by the next up anyway, which records the expiry of that write.
      const restarted = mark.writtenSinceApplied ? undefined : validityRestartedWarning(state, live);
      if (restarted) ctx.notice(id, restarted);
    }
    return { id, props: originalsUnderStoredName(props, outs), inputs: refreshedInputs(state, live, definedFields(inputs)) };
  },

  /** As the recorded owner: one PUT when a setting changed or the link is due for renewal; otherwise only state changes. */
  async update(ctx, _id, olds, news) {
    const state = upgradeShareSettingsState(olds);
    const owner = recordedOwner(state, ctx.userId());
    const plan = planSettingsChange(state, news, ...planClocks(ctx, olds));
    const originals = originalsToRecord(news, state.originals);
    noteSuccessor(ctx.shareKey(owner, state.shareId), originals);
    if (!plan.put) {
      // Turned to "restore" here, the companion has just read the share, as this resource's last write left it (see
      // lateRestoreWarning): its expiry is the applied one.
      const switched = state.originals === undefined && originals !== undefined;
      const appliedExpireTime = originals === undefined ? undefined : switched ? (originals.expireTime ?? "") : state.appliedExpireTime;
      return { outs: stateOnlyUpdate(state, news, { originals, appliedExpireTime, originalsInInputs: originalsInInputsMark(news, originals) }) };
    }
    const applied = await writeDeclaredSettings(
      ctx,
      String(news.shareId),
      news,
      owner,
      "it may have been cancelled or moved to another owner outside Pulumi; remove the resource or refresh",
    );
    reportRenewedAgain(ctx, String(news.shareId), applied, news);
    return { outs: shareSettingsStateFrom(news, applied, originals, owner, applied.expireTime ?? "", state) };
  },

  /**
   * As the recorded owner: `retain` leaves the share alone; `restore` puts back the originals of what it manages, and
   * the validity, unless someone else wrote those since (see `restorePlan`).
   */
  async delete(ctx, id, props) {
    const state = upgradeShareSettingsState(props);
    if (state.onDelete !== "restore") return;
    if (state.originals === undefined) {
      ctx.notice(id, "warning: not restoring: no original settings were recorded for this share, so it keeps the settings it has");
      return;
    }
    const owner = recordedOwner(state, ctx.userId());
    const successor = successorInThisRun(ctx.shareKey(owner, id));
    if (successor !== undefined) {
      // Deleted as its successor takes over (a replacement, or a rename without `aliases`): no restore under it, also
      // when it does not restore (a link without a validity shows no other writer in its expiry). When the successor
      // recorded other originals (a rename whose new companion read Pulumi's settings), these are lost with this
      // resource: said, as the companion's delete would say it; with none, the companion's delete says it.
      const who = "another KooDriveShareSettings of this stack manages the share from this run on (a replacement, or a rename)";
      ctx.notice(
        id,
        successor.originals === undefined
          ? `not restoring: ${who}, with onDelete "retain": the \`-originals\` companion, when deleted, lists the original settings the share does not hold`
          : sameOriginals(successor.originals, state.originals)
            ? `not restoring: ${who}, and keeps its original settings`
            : `warning: not restoring: ${who}, and it recorded other settings as the originals. The share's originals were: ${originalsForTheRecord(state.originals)}. Set them by hand if they should be back.`,
      );
      return;
    }
    const client = ctx.client(owner);
    const live = await findShare(client, id);
    if (live === undefined) return; // gone: nothing to restore
    const plan = restorePlan(state, live, state.originals);
    const now = ctx.now(props);
    if (plan.kind === "refuse" && holdsOriginals(state.originals, live, now, ctx.edition(), state.managedFields)) {
      // Said as what is seen: a destroy cut short after its restore, or another writer (another stack managing the share)
      // that applied the same settings, look alike.
      ctx.notice(
        id,
        "already holds its original settings (an interrupted destroy restored them, or another writer, such as another stack managing this share, applied the same): nothing to restore",
      );
      noteOriginalsRestored(ctx.shareKey(owner, id), { originals: state.originals, share: live });
      const kept = unmanagedChanged(state, live, state.originals);
      if (kept.length > 0) ctx.notice(id, keptNotice(kept, state.originals, undefined));
      rememberRestored(client, id, live, kept);
      return;
    }
    const notRestoring = (what: string) =>
      ctx.notice(
        id,
        `warning: NOT restoring the original settings: the share changed since this resource last applied its settings (${what}). ` +
          "Another resource may manage it now (a rename without `aliases`?), or it was edited by hand; it is left as it is (when its `-originals` companion is deleted in the same run, that notice lists the originals). " +
          "If instead this resource's own last `pulumi up` was interrupted, a plain `pulumi up` before destroying writes the declared settings again (for a renewal only if no refresh has recorded it since; else change its validDays once), and destroy then restores.",
      );
    if (plan.kind === "refuse") return notRestoring(plan.changed.join(", "));
    // A restore whose answer is lost is sent again only over the share as this resource left it, as the first one
    // was, or over the originals (the restore landed, but not to the millisecond of the exact arithmetic that
    // recognises a lost write: sent again, as any landed PUT then is).
    const originals = state.originals;
    const unlessWrittenSince = (seen: ShareLink) => {
      if (holdsOriginals(originals, seen, ctx.now(props), ctx.edition(), state.managedFields)) return undefined;
      const again = restorePlan(state, seen, originals);
      if (again.kind !== "refuse") return undefined;
      // The lost restore may have landed: a setting that holds what it wrote is not the other writer's, unless no
      // other setting changed (then someone else wrote the restore's values).
      const asRestored: readonly string[] = settingsAsRestored(originals, seen, ctx.now(props), ctx.edition(), state.managedFields);
      const theirs = again.changed.filter((what) => !asRestored.includes(what));
      return (theirs.length > 0 ? theirs : again.changed).join(", ");
    };
    let restored: ShareLink | undefined;
    try {
      restored = await orNotFound(applySettings(client, id, restoreBody(state.originals, now, state.managedFields), ctx, unlessWrittenSince));
    } catch (error) {
      if (!(error instanceof ResendRefused)) throw error;
      return notRestoring(`${error.what}, seen when the restore's lost answer was checked`);
    }
    if (restored === undefined) return; // cancelled meanwhile: nothing to restore
    rememberRestored(client, id, restored, plan.kept);
    noteOriginalsRestored(ctx.shareKey(owner, id), { originals: state.originals, share: restored });
    if (plan.kept.length > 0) ctx.notice(id, keptNotice(plan.kept, state.originals, state.managedFields));
    // Told once the restore landed: what it could not put back exactly.
    const caveat = restoreCaveat(state.originals, ctx.edition(), now, restored);
    if (caveat) ctx.notice(id, caveat);
  },
};
