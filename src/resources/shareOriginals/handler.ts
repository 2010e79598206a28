import { findShare, shareNotFound } from "../../provider/findShare";
import { type ResourceHandler, plain } from "../../provider/handler";
import { parseKooDriveTime } from "../../time/koodriveTime";
import { ownerChanges, storedOwner } from "../common/owner";
import { checkProperties, idRule } from "../common/rules";
import { isUnknown } from "../common/unknownValue";
import type { OriginalSettings } from "../shareSettings/args";

const schemas = { shareId: idRule("shareId"), userId: idRule("userId").optional() };

/** Version of this resource's state layout (2 records the `owner` it read the share as). */
const SHARE_ORIGINALS_STATE_VERSION = 2;

/**
 * Provider of the companion resource that `KooDriveShareSettings` registers for `onDelete: "restore"`. Its create
 * only reads the share (one GET) and keeps the settings found; the settings resource depends on it, so the engine
 * has checkpointed the originals before the first write to the share, whatever happens afterwards (a crash, a lost
 * answer). It never writes to the share: restoring is the settings resource's delete, which runs first.
 */
export const shareOriginalsHandler: ResourceHandler = {
  async check(_ctx, _olds, news) {
    const { inputs, failures } = checkProperties(schemas, news);
    return failures.length > 0 ? { inputs: news, failures } : { inputs };
  },

  /**
   * Replaced (the share read again) only for another share or another owner: declaring the `userId` the share was
   * read as, or a change of `koodrive:userId` alone, keeps the originals (by then the share holds Pulumi's settings).
   */
  async diff(ctx, _id, olds, news) {
    const replaces: string[] = [];
    if (isUnknown(news.shareId) || olds.shareId !== news.shareId) replaces.push("shareId");
    if (ownerChanges({ userId: olds.userId as string | undefined, owner: storedOwner(olds) }, news.userId, ctx.userId())) replaces.push("userId");
    const changes = replaces.length > 0 || olds.userId !== news.userId;
    return { changes, replaces, deleteBeforeReplace: false };
  },

  async create(ctx, inputs) {
    const shareId = String(inputs.shareId);
    const userId = inputs.userId as string | undefined;
    const owner = ctx.userId(userId);
    const live = await findShare(ctx.client(owner), shareId);
    if (live === undefined) throw shareNotFound(shareId, owner, "a share must exist before its settings can be managed (nothing was changed)");
    const expiry = parseKooDriveTime(live.expireTime);
    if (expiry.kind === "unreadable") {
      throw new Error(
        `KooDrive share ${shareId}: its expireTime "${expiry.text}" is in no form KooDrive documents, so onDelete "restore" could not put it back faithfully; use onDelete "retain" (nothing was changed)`,
      );
    }
    const originals: OriginalSettings = plain({ extractCode: live.extractCode || undefined, comment: live.comment, expireTime: live.expireTime || undefined });
    return { id: shareId, outs: plain({ stateVersion: SHARE_ORIGINALS_STATE_VERSION, shareId, userId, owner, originals }) };
  },

  /** The originals are history: a refresh keeps them (and sends nothing). */
  async read(_ctx, id, props) {
    const { __provider: _, ...outs } = props;
    return { id, props: outs };
  },

  /** State only: the declared `userId` (the share's owner is unchanged, or diff would have replaced it). */
  async update(ctx, _id, olds, news) {
    const { __provider: _, ...outs } = olds;
    return { outs: plain({ ...outs, stateVersion: SHARE_ORIGINALS_STATE_VERSION, userId: news.userId, owner: storedOwner(olds) ?? ctx.userId() }) };
  },

  /** Forgetting the originals changes nothing on the share. */
  async delete() {},
};
