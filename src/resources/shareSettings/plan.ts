import type { Props } from "../../provider/handler";
import { type LinkPlan, type PlannedState, argumentChanged, planLinkUpdate, replacement } from "../common/linkPlan";
import { ownerChanges } from "../common/owner";

/** Arguments whose change means another share (or owner): the resource is replaced (`userId` by `ownerChanges`). */
const REPLACING_ARGS = ["shareId", "userId"] as const;

/**
 * Compares stored state with new checked inputs; used by both `diff` and `update`. `configuredUser` is
 * `koodrive:userId` now. A `shareId` change, or a `userId` change that moves the share to another owner (see
 * `ownerChanges`), replaces; a change of `koodrive:userId` alone never does (the resource keeps its recorded owner).
 * Everything else follows {@link planLinkUpdate}.
 */
export function planSettingsChange(olds: PlannedState, news: Props, now: Date, configuredUser: string, localClockAhead?: Date): LinkPlan {
  const replaces = REPLACING_ARGS.filter((f) => (f === "userId" ? ownerChanges(olds, news.userId, configuredUser) : argumentChanged(olds, news, f)));
  return replaces.length > 0 ? replacement(replaces) : planLinkUpdate(olds, news, now, localClockAhead);
}
