import type { Props } from "../../provider/handler";
import { daysUntil, parseKooDriveTime } from "../../time/koodriveTime";
import { isUnknown } from "../common/unknownValue";
import { OPTIONAL_SETTINGS, ShareSettingsState } from "./state";

/** Settings a PUT changes on the share. */
const APPLIED_SETTINGS = ["extractCode", "comment", "validDays"] as const;
/** Arguments whose change means another share (or owner): the resource is replaced. */
const REPLACING_ARGS = ["shareId", "userId"] as const;
/** Arguments that only change what Pulumi does, not the share. */
const STATE_ONLY_ARGS = ["onDelete", "renewBeforeDays"] as const;

/** What going from the stored state to the new inputs takes; used by both `diff` and `update`. */
export interface SettingsPlan {
  /** Properties whose change replaces the resource. */
  replaces: string[];
  /** Properties that changed (for messages and tests). */
  changed: string[];
  /** Why the link must be renewed although no setting changed (expired, or due under `renewBeforeDays`). */
  renewal?: string;
  /** Why the link cannot be kept alive (files deleted, invalidated): shown to the user, never "fixed" by a PUT. */
  problem?: string;
  /** True when the plan needs a PUT; false when only state changes. */
  put: boolean;
}

function differs(olds: Props, news: Props, field: string): boolean {
  return isUnknown(news[field]) || olds[field] !== news[field];
}

/** Link status from KooDrive: 0 valid until expireTime, 1 files deleted, 2 invalid or expired, 3 expired. */
const STATUS_FILES_DELETED = 1;
const STATUS_INVALID = 2;
const STATUS_EXPIRED = 3;

/**
 * Whether the link needs a renewal, and why, from the stored state alone (no request: preview stays offline).
 * A link whose files were deleted, or that KooDrive invalidated before its expiry, is a problem to report, not
 * something a renewal fixes.
 */
export function linkHealth(state: ShareSettingsState, declaredValidDays: unknown, renewBeforeDays: unknown, now: Date): { renewal?: string; problem?: string } {
  const expiry = parseKooDriveTime(state.expireTime);
  const expiredByTime = expiry.kind === "time" && expiry.ms <= now.getTime();
  if (state.status === STATUS_FILES_DELETED) return { problem: "its files were deleted (status 1): the link cannot be renewed; re-share the files or remove this resource" };
  if (state.status === STATUS_INVALID && !expiredByTime && expiry.kind !== "unreadable") {
    return { problem: "KooDrive invalidated the link before its expiry (status 2: the sharer lost permission, or the space or user was disabled); a renewal cannot fix that" };
  }
  if (typeof declaredValidDays !== "number" || isUnknown(declaredValidDays)) return {};
  if (declaredValidDays === 0) {
    return expiry.kind === "none" ? {} : { renewal: `it has an expiry (${state.expireTime}) although validDays 0 declares none` };
  }
  if (expiredByTime || state.status === STATUS_EXPIRED || state.status === STATUS_INVALID) {
    return { renewal: `the link expired${expiry.kind === "time" ? ` at ${new Date(expiry.ms).toISOString()}` : ""}; renewing for ${declaredValidDays} days` };
  }
  if (expiry.kind === "unreadable") return { problem: `its expireTime "${expiry.text}" is in no form KooDrive documents; not renewing on a guess` };
  if (expiry.kind === "none") return { renewal: `it has no expiry although validDays ${declaredValidDays} is declared` };
  if (typeof renewBeforeDays === "number" && !isUnknown(renewBeforeDays)) {
    const left = daysUntil(expiry.ms, now.getTime());
    if (expiry.ms - now.getTime() < renewBeforeDays * 24 * 60 * 60 * 1000) {
      return { renewal: `expires in ${left} day${left === 1 ? "" : "s"} (renewBeforeDays ${renewBeforeDays}), renewing` };
    }
  }
  return {};
}

/**
 * Compares stored state with new checked inputs.
 * - `shareId` or `userId` change → replace.
 * - `validDays`, or a managed `extractCode`/`comment` that differs from the share → update with one PUT.
 * - an expired link, or one due under `renewBeforeDays` → update with one PUT (renewal).
 * - `onDelete`/`renewBeforeDays` change, or an optional field starting or stopping being managed → update, no PUT.
 */
export function planSettingsChange(olds: ShareSettingsState, news: Props, now: Date): SettingsPlan {
  const state = olds as unknown as Props;
  const replaces = REPLACING_ARGS.filter((f) => differs(state, news, f));
  if (replaces.length > 0) return { replaces: [...replaces], changed: [...replaces], put: true };
  // Declared settings whose value differs from the share: these need the PUT.
  const applied = APPLIED_SETTINGS.filter((f) => news[f] !== undefined && differs(state, news, f));
  const changed: string[] = [...applied];
  for (const field of STATE_ONLY_ARGS) if (differs(state, news, field)) changed.push(field);
  for (const field of OPTIONAL_SETTINGS) {
    if (olds.managedFields.includes(field) !== (news[field] !== undefined) && !changed.includes(field)) changed.push(field);
  }
  const put = applied.length > 0;
  const { renewal, problem } = linkHealth(olds, news.validDays, news.renewBeforeDays, now);
  return { replaces: [], changed, renewal, problem, put: put || renewal !== undefined };
}
