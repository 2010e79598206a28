/** Settings of a share as found when the resource adopted it; what `onDelete: "restore"` puts back. */
export interface OriginalSettings {
  extractCode?: string;
  comment?: string;
  /** Absolute expiry at adoption time; absent when the share had no validity period. */
  expireTime?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The `validDays` that best restores an original absolute expiry: whole days remaining from `now`, rounded up,
 * between 1 and 365; 0 (no validity period) when the share had none. An expiry already past gives 1, the shortest
 * period the API can set: restoring must not turn an expired link into a permanent one.
 */
export function restoreValidDays(expireTime: string | undefined, now: Date): number {
  if (expireTime === undefined || expireTime === "") return 0;
  const expiry = Date.parse(expireTime);
  if (Number.isNaN(expiry)) return 0;
  return Math.min(365, Math.max(1, Math.ceil((expiry - now.getTime()) / DAY_MS)));
}

/**
 * The PUT body that restores the original settings. The API cannot remove an access code, so an original share
 * without one keeps the current code; an original without a comment gets an empty comment.
 */
export function restoreBody(original: OriginalSettings, now: Date): { validDays: number; extractCode?: string; comment: string } {
  const body: { validDays: number; extractCode?: string; comment: string } = {
    validDays: restoreValidDays(original.expireTime, now),
    comment: original.comment ?? "",
  };
  if (original.extractCode) body.extractCode = original.extractCode;
  return body;
}
