import type * as pulumi from "@pulumi/pulumi";
import * as z from "../../zod";
import type { KooDriveEdition } from "../../client/connectionSettings";
import type { Same } from "../common/compileTimeChecks";
import {
  type InputFailure,
  checkProperties,
  commentRule,
  describeValue,
  extractCodeRule,
  idRule,
  integerRule,
  quotedAlternatives,
  renewBeforeDaysProblem,
} from "../common/rules";
import { isUnknown } from "../common/unknownValue";

/** What happens to the share when the resource is deleted: the values, the type, and the default. */
export const SHARE_ON_DELETE = ["cancel", "retain"] as const;
export type ShareOnDelete = (typeof SHARE_ON_DELETE)[number];
export const DEFAULT_SHARE_ON_DELETE: ShareOnDelete = "cancel";

/** KooDrive's create API takes 1 to 100 files per share. */
export const MAX_FILES_PER_SHARE = 100;

/** Arguments of {@link KooDriveShare}. */
export interface KooDriveShareArgs {
  /** IDs of the files to share, 1–100, no repeats. Changing them replaces the share (a new link). */
  fileIds: pulumi.Input<pulumi.Input<string>[]>;
  /** ID of the space (container) that holds the files. Changing it replaces the share. */
  containerId: pulumi.Input<string>;
  /**
   * Who may open the link: 1 = anyone with the link (external link), 3 = specified enterprise users; on the
   * enterprise edition also 2 = users inside the enterprise. Changing it replaces the share.
   */
  scope: pulumi.Input<number>;
  /**
   * Validity in days, 1–365, counted from the create and again from every later apply (any PUT restarts it). An
   * expired link is drift and is renewed by `up`.
   */
  validDays: pulumi.Input<number>;
  /** Access code, exactly 8 of `[0-9a-zA-Z]`. Always stored as a secret. */
  extractCode?: pulumi.Input<string>;
  /** Sharing message, under 512 UTF-16 units. */
  comment?: pulumi.Input<string>;
  /** Renew the link (one PUT) once fewer than this many days of validity remain: 0–365 and less than `validDays`. */
  renewBeforeDays?: pulumi.Input<number>;
  /**
   * KooDrive user who owns the share (`X-User-Id`); default: `koodrive:userId` at create. The owner is recorded in
   * state and kept when `koodrive:userId` changes later. Changing it to another user replaces; declaring the recorded
   * owner does not.
   */
  userId?: pulumi.Input<string>;
  /** On delete: `"cancel"` (default) stops sharing (`POST /share/cancel`); `"retain"` leaves the link alive. */
  onDelete?: pulumi.Input<ShareOnDelete>;
}

/** The argument names, kept equal to {@link KooDriveShareArgs} at compile time. */
export const SHARE_ARG_NAMES = ["fileIds", "containerId", "scope", "validDays", "extractCode", "comment", "renewBeforeDays", "userId", "onDelete"] as const;
type ArgName = (typeof SHARE_ARG_NAMES)[number];
const argNamesMatch: Same<ArgName, keyof KooDriveShareArgs> = true;
void argNamesMatch;

/** Scopes each edition's create API accepts. */
export const SCOPES: { readonly [E in KooDriveEdition]: readonly number[] } = { carrier: [1, 3], enterprise: [1, 2, 3] };

/** File IDs: 1–100 KooDrive IDs, no repeats; elements not known until apply (preview) pass. */
const fileIdsRule = z
  .array(z.unknown(), { error: (issue) => `fileIds must be an array of 1 to ${MAX_FILES_PER_SHARE} file IDs, got ${describeValue(issue.input)}` })
  .min(1, { error: "fileIds must name at least 1 file" })
  .max(MAX_FILES_PER_SHARE, { error: `fileIds must name at most ${MAX_FILES_PER_SHARE} files (KooDrive's limit per share)` })
  .superRefine((ids, ctx) => {
    const fileId = idRule("fileIds[]");
    ids.forEach((id, index) => {
      if (isUnknown(id)) return;
      const parsed = fileId.safeParse(id);
      if (!parsed.success) ctx.addIssue({ code: "custom", message: `fileIds[${index}]: ${parsed.error.issues[0]?.message ?? "invalid"}` });
    });
    const known = ids.filter((id) => !isUnknown(id));
    const repeated = known.find((id, index) => known.indexOf(id) !== index);
    if (repeated !== undefined) ctx.addIssue({ code: "custom", message: "fileIds must not name a file twice" });
  });

const schemas = {
  fileIds: fileIdsRule,
  containerId: idRule("containerId"),
  scope: z.unknown(),
  userId: idRule("userId").optional(),
  validDays: integerRule("validDays", 1, 365, " (KooDrive creates shares only with a validity period)"),
  extractCode: extractCodeRule.optional(),
  comment: commentRule.optional(),
  renewBeforeDays: integerRule("renewBeforeDays", 0, 365).optional(),
  onDelete: z.enum(SHARE_ON_DELETE, { error: `onDelete must be ${quotedAlternatives(SHARE_ON_DELETE)}` }).optional(),
};

/** Checked inputs of a `Share`, as stored in state and passed to diff/create/update. */
export type ShareInputs = {
  [K in Exclude<keyof typeof schemas, "scope" | "fileIds">]: z.infer<(typeof schemas)[K]>;
} & { fileIds: string[]; scope: number; onDelete: ShareOnDelete };

/**
 * Validates raw inputs: one failure per bad property, plus the rules that tie properties together or depend on the
 * edition (`scope`). Returns normalised inputs (plain JSON, `onDelete` defaulted to `"cancel"`).
 */
export function checkShareInputs(news: Record<string, unknown>, edition: KooDriveEdition): { inputs: Record<string, unknown>; failures: InputFailure[] } {
  const scopes = SCOPES[edition];
  const scopeRule = `scope must be ${scopes.slice(0, -1).join(", ")} or ${scopes.at(-1)} on the ${edition} edition`;
  const scopeSchema = z
    .number({ error: (issue) => `${scopeRule}, got ${describeValue(issue.input)}` })
    .refine((n) => scopes.includes(n), { error: `${scopeRule}, got another number` });
  const { inputs, failures } = checkProperties({ ...schemas, scope: scopeSchema }, news);
  if (inputs.onDelete === undefined) inputs.onDelete = DEFAULT_SHARE_ON_DELETE;
  const renewal = renewBeforeDaysProblem(inputs.validDays, inputs.renewBeforeDays);
  if (renewal) failures.push({ property: "renewBeforeDays", reason: renewal });
  return { inputs, failures };
}
