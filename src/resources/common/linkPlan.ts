import type { ProviderContext } from "../../provider/context";
import type * as pulumi from "@pulumi/pulumi";
import type { Props } from "../../provider/handler";
import { type LinkState, linkHealth } from "./linkHealth";
import { OPTIONAL_SETTINGS, type OptionalSetting } from "./linkState";
import type { OwnedState } from "./owner";
import { isUnknown } from "./unknownValue";

/** Settings a PUT changes on the share. */
const APPLIED_SETTINGS = ["extractCode", "comment", "validDays"] as const;
/**
 * Arguments that only change what Pulumi does, not the share. `userId` is one when it does not replace: declaring the
 * owner the share already has, or removing a declared `userId` that `koodrive:userId` equals.
 */
const STATE_ONLY_ARGS = ["onDelete", "renewBeforeDays", "userId"] as const;

/** What going from the stored state to the new inputs takes; used by both `diff` and `update`. */
export interface LinkPlan {
  /** Properties whose change replaces the resource. */
  replaces: string[];
  /** Properties that changed (for messages and tests). */
  changed: string[];
  /** Why the link must be renewed although no setting changed (expired, or due under `renewBeforeDays`). */
  renewal?: string;
  /** Why the link cannot be kept alive (files deleted, invalidated): shown to the user, never "fixed" by a PUT. */
  problem?: string;
  /** Why the declared settings must be written again although none changed (see `writtenSinceApplied`). */
  rewrite?: string;
  /** That the access code is written: Pulumi's display shows no change of a secret, so the update names no property. */
  secretChange?: string;
  /** True when the plan needs a PUT; false when only state changes. */
  put: boolean;
}

/** Whether an argument changed from the stored state; unknown (a preview of a computed input) counts as changed. */
export function argumentChanged(olds: object, news: Props, field: string): boolean {
  return isUnknown(news[field]) || (olds as Props)[field] !== news[field];
}

/** What the plan reads from stored state: the link's health, the declared values and which optional ones are managed. */
export type PlannedState = LinkState & OwnedState & { managedFields: readonly OptionalSetting[]; writtenSinceApplied?: true };

/**
 * The notice for a declared access code that differs from the one in state (changed in the program or by hand): Pulumi's
 * display shows no change of a secret value, so without it an update of the code alone names no property.
 */
// A refresh shows it too, where the engine's diff does not apply the resource's `ignoreChanges` (an up's does).
const ACCESS_CODE_CHANGE =
  "the access code differs from the declared one: `pulumi up` sets it, unless the resource's ignoreChanges lists extractCode (Pulumi's display does not show a change of a secret value)";

/** The notice for a restoring resource whose share was written since its last write, and holds the declared settings. */
const REWRITE_BEFORE_RESTORE =
  'the share\'s settings were changed since this resource last applied them (by hand, by another stack, or by a write of its own that was never recorded); `pulumi up` writes the declared settings again, so that onDelete "restore" can restore the originals';

/**
 * The plan for new inputs that replace nothing, the same for every link resource, so that all of them keep links alive
 * by the same rules:
 * - `validDays`, or a managed `extractCode`/`comment` that differs from the share → update with one PUT.
 * - an expired link, or one due under `renewBeforeDays` → update with one PUT (renewal).
 * - a restoring resource whose settings a refresh found changed since its last write (`writtenSinceApplied`) → one PUT.
 * - `onDelete`/`renewBeforeDays` change, a `userId` change that keeps the owner, or an optional field starting or
 *   stopping being managed → update, no PUT.
 */
export function planLinkUpdate(olds: PlannedState, news: Props, now: Date, localClockAhead?: Date): LinkPlan {
  // Declared settings whose value differs from the share: these need the PUT.
  const applied = APPLIED_SETTINGS.filter((f) => news[f] !== undefined && argumentChanged(olds, news, f));
  const changed: string[] = [...applied];
  for (const field of STATE_ONLY_ARGS) if (argumentChanged(olds, news, field)) changed.push(field);
  for (const field of OPTIONAL_SETTINGS) {
    if (olds.managedFields.includes(field) !== (news[field] !== undefined) && !changed.includes(field)) changed.push(field);
  }
  const put = applied.length > 0;
  const { renewal, problem } = linkHealth(olds, news.validDays, news.renewBeforeDays, now, localClockAhead);
  const rewriteNeeded = olds.writtenSinceApplied === true && news.onDelete === "restore";
  // Said only when nothing else explains the PUT: a changed setting shows in the diff, a renewal has its own notice.
  const rewrite = rewriteNeeded && !put && renewal === undefined ? REWRITE_BEFORE_RESTORE : undefined;
  // Not for a code unknown until the update (a preview of a computed input): it may well be the same.
  const secretChange = applied.includes("extractCode") && !isUnknown(news.extractCode) ? ACCESS_CODE_CHANGE : undefined;
  return { replaces: [], changed, renewal, problem, rewrite, secretChange, put: put || renewal !== undefined || rewriteNeeded };
}

/** What a plan tells the user when it is made (preview, up, and the diff after a refresh's read), in this order. */
export function planNotices(plan: LinkPlan): string[] {
  const notices = [plan.problem === undefined ? undefined : `warning: ${plan.problem}`, plan.renewal, plan.rewrite, plan.secretChange];
  return notices.filter((n): n is string => n !== undefined);
}

/** A replacement: the properties that force it; nothing is written to the share being left. */
export function replacement(replaces: readonly string[]): LinkPlan {
  return { replaces: [...replaces], changed: [...replaces], put: false };
}

/** A plan as the engine's diff answer: any replacing, changed or renewed property is a change; never delete first. */
export function diffResultOf(plan: LinkPlan): pulumi.dynamic.DiffResult {
  return { changes: plan.replaces.length > 0 || plan.changed.length > 0 || plan.put, replaces: plan.replaces, deleteBeforeReplace: false };
}

/**
 * The clocks a plan of a stored resource reads (see `ProviderContext.now` and `localClockAhead`), and the configured
 * user: one function, so that preview's diff and up's update plan alike.
 */
export function planClocks(ctx: ProviderContext, olds: Props): [now: Date, configuredUser: string, localClockAhead: Date | undefined] {
  return [ctx.now(olds), ctx.userId(), ctx.localClockAhead(olds)];
}
