import type { CreateShareBody } from "../../client/koodriveClient";
import { settingsBody, writeDeclaredSettings } from "../../provider/applySettings";
import type { ProviderContext } from "../../provider/context";
import { type Props, type ResourceHandler, checkResult } from "../../provider/handler";
import { diffResultOf, planClocks, planNotices } from "../common/linkPlan";
import { reportLinkProblem, reportRenewedAgain } from "../common/linkHealth";
import { checkShareInputs } from "./checkInputs";
import { cancelShare } from "./cancelShare";
import { OwnerShares, createShareReconciled } from "./createShare";
import { planShareChange } from "./plan";
import { SHARE_STATUS, refreshedInputs, stateOnlyUpdate } from "../common/linkState";
import { ownerNotice, recordedOwner } from "../common/owner";
import { SHARE_STATE_VERSION, inputsOfState, shareStateFrom, upgradeShareState } from "./state";

/**
 * Each owner's shares in this provider process (see {@link OwnerShares}), per endpoint and owning user (the recorded
 * owner, which is the user whose listing a lost create searches). Keyed by endpoint and user rather than by client, so
 * that `diff` (preview) can record its share without loading the HTTP stack.
 */
const sharesInProcess = new Map<string, OwnerShares>();

function ownerShares(ctx: ProviderContext, owner: string): OwnerShares {
  const key = `${ctx.settings().endpoint} ${owner}`;
  let shares = sharesInProcess.get(key);
  if (shares === undefined) {
    shares = new OwnerShares();
    sharesInProcess.set(key, shares);
  }
  return shares;
}

/** The POST body for declared inputs: the files and scope, and the settings as a PUT of them would send them. */
function createBody(inputs: Props): CreateShareBody {
  return { scope: Number(inputs.scope), fileIds: (inputs.fileIds as unknown[]).map(String), containerId: String(inputs.containerId), ...settingsBody(inputs) };
}

/** Provider of `KooDriveShare`. */
export const shareHandler: ResourceHandler = {
  stateVersion: SHARE_STATE_VERSION,
  async check(ctx, _olds, news) {
    return checkResult(news, checkShareInputs(news, ctx.edition()));
  },

  async diff(ctx, id, olds, news) {
    const state = upgradeShareState(olds);
    ownerShares(ctx, recordedOwner(state, ctx.userId())).owned.add(id);
    const plan = planShareChange(state, news, ...planClocks(ctx, olds));
    if (plan.replaces.length === 0) {
      const stays = ownerNotice(state, news.userId, ctx.userId());
      if (stays) ctx.notice(id, stays);
      for (const notice of planNotices(plan)) ctx.notice(id, notice);
    }
    return diffResultOf(plan);
  },

  /**
   * `POST /share` as the declared `userId` or else the configured user, who is recorded as the owner from then on; a
   * lost answer is reconciled by listing, never by a blind second POST.
   */
  async create(ctx, inputs) {
    const owner = ctx.userId(inputs.userId);
    const client = ctx.client(owner);
    const { share, reconciledAfter, resentAfter } = await createShareReconciled(client, createBody(inputs), ownerShares(ctx, owner));
    if (reconciledAfter !== undefined) {
      ctx.notice(share.shareId, `the create's answer was lost (${reconciledAfter}); found the share it made among user ${owner}'s shares and adopted it`);
    }
    if (resentAfter !== undefined) {
      ctx.notice(
        share.shareId,
        `the create's answer was lost (${resentAfter}) and no listing of user ${owner}'s shares showed a share it made, so it was sent again and made this one. ` +
          "If the first did make one after all (a listing that lagged), that one is a live link no resource manages: listShares shows it.",
      );
    }
    // A new share is valid until its expiry: KooDrive's create answer carries no `status`.
    const created = { ...share, status: share.status ?? SHARE_STATUS.valid };
    reportRenewedAgain(ctx, share.shareId, created, inputs);
    return { id: share.shareId, outs: shareStateFrom(inputs, created, owner) };
  },

  /**
   * Refresh, as the recorded owner: the share as it is now; changes made outside Pulumi come back as inputs too (see
   * `refreshedInputs`). The user it was found as is recorded as the owner.
   */
  async read(ctx, id, props) {
    const state = upgradeShareState(props);
    const owner = recordedOwner(state, ctx.userId());
    ownerShares(ctx, owner).owned.add(id);
    // The refresh reader, as for settings: an owner's shares can come from one paged listing (koodrive:refreshStrategy).
    const live = await ctx.reader(owner).read(id);
    if (live === undefined) return {};
    const inputs = inputsOfState(state, live);
    const outs = shareStateFrom(inputs, { ...live, shareId: id }, owner);
    reportLinkProblem(ctx, id, outs, state.validDays);
    return { id, props: outs, inputs: refreshedInputs(state, live, inputs) };
  },

  /** As the recorded owner: one PUT when a setting changed or the link is due for renewal; otherwise only state changes. */
  async update(ctx, id, olds, news) {
    const state = upgradeShareState(olds);
    const owner = recordedOwner(state, ctx.userId());
    ownerShares(ctx, owner).owned.add(id);
    const plan = planShareChange(state, news, ...planClocks(ctx, olds));
    if (!plan.put) return { outs: stateOnlyUpdate(state, news) };
    const applied = await writeDeclaredSettings(
      ctx,
      id,
      news,
      owner,
      "it was cancelled or moved to another owner outside Pulumi; run `pulumi refresh` to drop it from the stack, then `up` creates a new share",
    );
    reportRenewedAgain(ctx, id, applied, news);
    return { outs: shareStateFrom(news, { ...applied, shareId: id }, owner, state) };
  },

  /** As the recorded owner: `cancel` stops sharing (already gone counts as done); `retain` leaves the link alive. */
  async delete(ctx, id, props) {
    const state = upgradeShareState(props);
    if (state.onDelete === "retain") {
      ctx.notice(id, "left alive (onDelete retain): the link keeps working until it expires");
      return;
    }
    const owner = recordedOwner(state, ctx.userId());
    const shares = ownerShares(ctx, owner);
    // A create of this run whose answer was lost took this share from a listing: this resource's identical share (after
    // a rename without aliases, say). That resource holds it now; a cancel would leave it with a dead link.
    if (shares.adoptedFromListing.has(id)) {
      ctx.notice(
        id,
        "not cancelled: another resource of this run adopted it (its create's answer was lost, and this was the identical share it found); it manages the share now",
      );
      return;
    }
    const outcome = await cancelShare(ctx.client(owner), id, (why) =>
      ctx.notice(id, `the cancel's answer ${why}; asking again (a repeated cancel cannot do harm)`),
    );
    if (outcome === "already gone") ctx.notice(id, "was already cancelled or gone; nothing to cancel");
    shares.owned.delete(id);
  },
};
