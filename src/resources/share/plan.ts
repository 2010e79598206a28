import type { Props } from "../../provider/handler";
import { ownerChanges } from "../common/owner";
import { isUnknown } from "../common/unknownValue";
import { type LinkPlan, argumentChanged, planLinkUpdate, replacement } from "../common/linkPlan";
import { sameFileSet } from "../../client/shareLink";
import type { ShareState } from "./state";

/** Arguments whose change means another share (other files, space, audience or owner): the share is replaced. */
const SHARE_REPLACING_ARGS = ["fileIds", "containerId", "scope", "userId"] as const;

/** The same files in any order; unknown (preview) counts as changed. */
function sameFiles(olds: unknown, news: unknown): boolean {
  return Array.isArray(olds) && Array.isArray(news) && !news.some(isUnknown) && sameFileSet(olds, news);
}

function replacing(state: ShareState, news: Props, field: (typeof SHARE_REPLACING_ARGS)[number], configuredUser: string): boolean {
  if (field === "fileIds") return !sameFiles(state.fileIds, news.fileIds);
  if (field === "userId") return ownerChanges(state, news.userId, configuredUser);
  return argumentChanged(state, news, field);
}

/**
 * What going from the stored state to the new inputs takes; used by both `diff` and `update`. Replacing arguments
 * are this resource's own; everything else (settings PUT, expiry and renewal, state-only arguments) follows
 * {@link planLinkUpdate}, as for the settings resource, so both keep links alive by the same rules. `configuredUser` is
 * `koodrive:userId` now: a change of it alone never replaces (the share keeps its recorded owner).
 */
export function planShareChange(state: ShareState, news: Props, now: Date, configuredUser: string, localClockAhead?: Date): LinkPlan {
  const replaces = SHARE_REPLACING_ARGS.filter((field) => replacing(state, news, field, configuredUser));
  return replaces.length > 0 ? replacement(replaces) : planLinkUpdate(state, news, now, localClockAhead);
}
