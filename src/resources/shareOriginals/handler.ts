import { definedFields } from "../../client/definedFields";
import { ADOPTION_NEEDS_SHARE, findShare, shareNotFound } from "../../provider/findShare";
import { type ResourceHandler, checkResult } from "../../provider/handler";
import { parseKooDriveTime } from "../../time/koodriveTime";
import { OPTIONAL_SETTINGS } from "../common/linkState";
import { recordedOwner } from "../common/owner";
import { successorInThisRun, takeRestored } from "../common/restoredShares";
import { checkProperties, idRule } from "../common/rules";
import { isUnknown } from "../common/unknownValue";
import { type OriginalSettings, holdsOriginals, originalsForTheRecord } from "../common/originals";
import { SHARE_ORIGINALS_STATE_VERSION, upgradeShareOriginalsState } from "./state";

const schemas = { shareId: idRule("shareId"), userId: idRule("userId").optional() };

/**
 * Provider of the companion resource that `KooDriveShareSettings` registers for `onDelete: "restore"`. Its create
 * only reads the share (one GET) and keeps the settings found; the settings resource depends on it, so the engine
 * has checkpointed the originals before the first write to the share, whatever happens afterwards (a crash, a lost
 * answer). It never writes to the share: restoring is the settings resource's delete, which runs first.
 */
export const shareOriginalsHandler: ResourceHandler = {
  stateVersion: SHARE_ORIGINALS_STATE_VERSION,
  async check(_ctx, _olds, news) {
    return checkResult(news, checkProperties(schemas, news));
  },

  /**
   * Replaced (the share read again) only for another share. A `userId` change is state only: the originals are those
   * of this share whoever reads it, and reading it again now would only find Pulumi's settings. (Whether the settings
   * resource changes owner is its own decision; its delete restores from the originals recorded here.)
   */
  async diff(_ctx, _id, olds, news) {
    const replaces = isUnknown(news.shareId) || olds.shareId !== news.shareId ? ["shareId"] : [];
    return { changes: replaces.length > 0 || olds.userId !== news.userId, replaces, deleteBeforeReplace: false };
  },

  async create(ctx, inputs) {
    const shareId = String(inputs.shareId);
    const userId = inputs.userId as string | undefined;
    const owner = ctx.userId(userId);
    const live = await findShare(ctx.client(owner), shareId);
    if (live === undefined) throw shareNotFound(shareId, owner, ADOPTION_NEEDS_SHARE);
    const expiry = parseKooDriveTime(live.expireTime);
    if (expiry.kind === "unreadable") {
      throw new Error(
        `KooDrive share ${shareId}: its expireTime "${expiry.text}" is in no form KooDrive documents, so onDelete "restore" could not put it back faithfully; use onDelete "retain" (nothing was changed)`,
      );
    }
    const originals: OriginalSettings = definedFields({
      extractCode: live.extractCode || undefined,
      comment: live.comment,
      expireTime: live.expireTime || undefined,
    });
    return { id: shareId, outs: definedFields({ stateVersion: SHARE_ORIGINALS_STATE_VERSION, shareId, userId, owner, originals }) };
  },

  /** The originals are history: a refresh keeps them (and sends nothing). */
  async read(_ctx, id, props) {
    return { id, props: definedFields(upgradeShareOriginalsState(props)) };
  },

  /**
   * State only: the declared `userId`; the owner the share was read as stays as recorded. (When it was never recorded,
   * the declared `userId` stands for it from then on; the companion never acts on its owner.)
   */
  async update(_ctx, _id, olds, news) {
    const { userId: _previous, ...state } = upgradeShareOriginalsState(olds);
    return { outs: definedFields({ ...state, userId: news.userId }) };
  },

  /**
   * Forgetting the originals changes nothing on the share, but they are the only record of them: when the share does
   * not hold them now, no restore put them back (onDelete turned to "retain", the settings resource refused to restore
   * a share changed since, or its adoption was interrupted and never recorded), and the user is told what they were.
   * One GET, unless the settings resource's restore in this process just answered with the share; it never fails the
   * delete.
   */
  async delete(ctx, id, props) {
    const state = upgradeShareOriginalsState(props);
    const originals = state.originals;
    if (originals === undefined) return;
    const owner = recordedOwner(state, ctx.userId());
    // A settings resource of this run keeps the share's originals (this companion was replaced or renamed, or the
    // settings resource was replaced or renamed too): a settings resource's record is never less true than its
    // companion's (it is the companion's at adoption, and kept from then on), so nothing is forgotten here; when a
    // successor recorded other originals, the old settings resource's delete has said what they were.
    if (successorInThisRun(ctx.shareKey(owner, id))?.originals !== undefined) return;
    const client = ctx.client(owner);
    const restore = takeRestored(client, id, originals);
    let live: Awaited<ReturnType<typeof findShare>>;
    try {
      live = restore?.share ?? (await findShare(client, id));
    } catch (error) {
      ctx.notice(
        id,
        `warning: forgetting its original settings without checking the share (${(error as Error).message}); they were: ${originalsForTheRecord(originals)}`,
      );
      return;
    }
    if (live === undefined) return;
    // What the restore kept as the share held it (settings the resource did not manage) was said by its notice.
    const restoredFields = OPTIONAL_SETTINGS.filter((field) => !restore?.kept.includes(field));
    if (holdsOriginals(originals, live, ctx.now(), ctx.edition(), restoredFields)) {
      // The one original setting no restore can put back: said here, after the settings resource's restore (or none).
      if (!originals.extractCode && live.extractCode) {
        ctx.notice(
          id,
          "the share had no access code before Pulumi, and the API cannot remove one: it keeps its current code (cancel and re-share it to open it without one)",
        );
      }
      return;
    }
    // The settings resource restored the originals it recorded, which differ from these: read later, after Pulumi's
    // first write (a companion replaced or renamed since), they would only mislead.
    if (restore !== undefined) return;
    ctx.notice(
      id,
      `warning: forgetting its original settings, which the share does not hold now: no restore put them back (onDelete "retain" now, a restore refused because the share changed, a restore that kept settings the resource did not manage, or an adoption that was interrupted before it was recorded). They were: ${originalsForTheRecord(originals)}. Set them by hand if they should be back.`,
    );
  },
};
