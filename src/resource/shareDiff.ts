import { isUnknown } from "./unknownValue";

/** Settings that `update` changes on the share with a PUT. */
export const APPLIED_FIELDS = ["extractCode", "comment", "validDays"] as const;

/** Optional settings: when omitted from the program they are not managed (left as they are on the share). */
export const OPTIONAL_FIELDS = ["extractCode", "comment"] as const;

/** The diff verdict in Pulumi's terms. */
export interface ShareDiff {
  changes: boolean;
  replaces: string[];
  /** Properties whose change makes this an update; for messages and tests. */
  changed: string[];
}

/** Optional fields the inputs manage, in a fixed order. */
export function managedFields(inputs: Record<string, unknown>): string[] {
  return OPTIONAL_FIELDS.filter((f) => inputs[f] !== undefined);
}

function differs(olds: Record<string, unknown>, news: Record<string, unknown>, field: string): boolean {
  return isUnknown(news[field]) || olds[field] !== news[field];
}

/**
 * Compares old outputs with new checked inputs.
 * - `shareId` change → replace.
 * - `validDays` change, or a managed `extractCode`/`comment` that differs from the share → update (one PUT).
 * - `onDelete` change, or an optional field starting or stopping being managed → update (no PUT: only state).
 * - otherwise no changes. Always a boolean: `undefined` would fall back to Pulumi's input diff.
 */
export function diffShareSettings(olds: Record<string, unknown>, news: Record<string, unknown>): ShareDiff {
  if (differs(olds, news, "shareId")) return { changes: true, replaces: ["shareId"], changed: ["shareId"] };
  const changed: string[] = [];
  if (differs(olds, news, "validDays")) changed.push("validDays");
  for (const field of OPTIONAL_FIELDS) {
    if (news[field] !== undefined && differs(olds, news, field)) changed.push(field);
  }
  if ((olds.onDelete ?? "retain") !== news.onDelete) changed.push("onDelete");
  const oldManaged = Array.isArray(olds.managedFields) ? (olds.managedFields as string[]) : [];
  for (const field of OPTIONAL_FIELDS) {
    if (oldManaged.includes(field) !== (news[field] !== undefined) && !changed.includes(field)) changed.push(field);
  }
  return { changes: changed.length > 0, replaces: [], changed };
}

/** True when going from `olds` to `news` needs a PUT (not only a state change). */
export function needsPut(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  return APPLIED_FIELDS.some((field) => news[field] !== undefined && olds[field] !== news[field]);
}
