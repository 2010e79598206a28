// The validation of a share's inputs, apart from args.ts: zod's types must stay out of the package's public
// declarations (see src/client/shareLink.ts).
import * as z from "../../zod";
import type { KooDriveEdition } from "../../client/connectionSettings";
import {
  type InputFailure,
  checkProperties,
  commentRule,
  alternatives,
  describeValue,
  extractCodeRule,
  idRule,
  quotedAlternatives,
  renewBeforeDaysProblem,
  renewBeforeDaysRule,
  validDaysRule,
} from "../common/rules";
import { isUnknown } from "../common/unknownValue";
import { DEFAULT_SHARE_ON_DELETE, MAX_FILES_PER_SHARE, SCOPES, SCOPE_MEANINGS, SHARE_ON_DELETE } from "./args";

/** File IDs: 1–100 KooDrive IDs, no repeats; elements not known until apply (preview) pass. */
const fileIdsRule = z
  .array(z.unknown(), { error: (issue) => `fileIds must be an array of 1 to ${MAX_FILES_PER_SHARE} file IDs, got ${describeValue(issue.input)}` })
  .min(1, { error: "fileIds must name at least 1 file" })
  .max(MAX_FILES_PER_SHARE, { error: `fileIds must name at most ${MAX_FILES_PER_SHARE} files (KooDrive's limit per share)` })
  .superRefine((ids, ctx) => {
    ids.forEach((id, index) => {
      if (isUnknown(id)) return;
      const parsed = idRule(`fileIds[${index}]`).safeParse(id);
      if (!parsed.success) ctx.addIssue({ code: "custom", message: parsed.error.issues[0]?.message ?? `fileIds[${index}] is invalid` });
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
  validDays: validDaysRule(1, " (KooDrive creates shares only with a validity period)"),
  extractCode: extractCodeRule.optional(),
  comment: commentRule.optional(),
  renewBeforeDays: renewBeforeDaysRule,
  onDelete: z.enum(SHARE_ON_DELETE, { error: `onDelete must be ${quotedAlternatives(SHARE_ON_DELETE)}` }).optional(),
};

/**
 * Validates raw inputs: one failure per bad property, plus the rules that tie properties together or depend on the
 * edition (`scope`). Returns normalised inputs (plain JSON, `onDelete` defaulted to `"cancel"`).
 */
export function checkShareInputs(news: Record<string, unknown>, edition: KooDriveEdition): { inputs: Record<string, unknown>; failures: InputFailure[] } {
  const scopes = SCOPES[edition];
  const scopeRule = `scope must be ${alternatives(scopes.map((n) => `${n} (${SCOPE_MEANINGS[n]})`))} on the ${edition} edition`;
  const scopeSchema = z
    .number({ error: (issue) => `${scopeRule}, got ${describeValue(issue.input)}` })
    .refine((n) => scopes.includes(n), { error: `${scopeRule}, got another number` });
  const { inputs, failures } = checkProperties({ ...schemas, scope: scopeSchema }, news);
  if (inputs.onDelete === undefined) inputs.onDelete = DEFAULT_SHARE_ON_DELETE;
  const renewal = renewBeforeDaysProblem(inputs.validDays, inputs.renewBeforeDays);
  if (renewal) failures.push({ property: "renewBeforeDays", reason: renewal });
  return { inputs, failures };
}
