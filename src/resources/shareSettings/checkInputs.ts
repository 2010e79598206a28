// The validation of share settings' inputs, apart from args.ts: zod's types must stay out of the package's public
// declarations (see src/client/shareLink.ts).
import * as z from "../../zod";
import { originalsSchema } from "../common/originals";
import type { KooDriveEdition } from "../../client/connectionSettings";
import {
  type InputFailure,
  checkProperties,
  commentRule,
  extractCodeRule,
  idRule,
  quotedAlternatives,
  renewBeforeDaysProblem,
  renewBeforeDaysRule,
  validDaysProblem,
  validDaysRule,
} from "../common/rules";
import { DEFAULT_ON_DELETE, ON_DELETE } from "./args";

const schemas = {
  shareId: idRule("shareId"),
  userId: idRule("userId").optional(),
  validDays: validDaysRule(0, " (0 = no validity period)"),
  extractCode: extractCodeRule.optional(),
  comment: commentRule.optional(),
  renewBeforeDays: renewBeforeDaysRule,
  onDelete: z.enum(ON_DELETE, { error: `onDelete must be ${quotedAlternatives(ON_DELETE)}` }).optional(),
  /** Set by the class from the companion `ShareOriginals` resource, never by users. */
  originals: originalsSchema.optional(),
};

/**
 * Validates raw inputs: one failure per bad property, and the rules that tie properties together. Returns
 * normalised inputs (plain JSON, `onDelete` defaulted).
 */
export function checkShareSettingsInputs(
  news: Record<string, unknown>,
  edition: KooDriveEdition,
): { inputs: Record<string, unknown>; failures: InputFailure[] } {
  const { inputs, failures } = checkProperties(schemas, news);
  if (inputs.onDelete === undefined) inputs.onDelete = DEFAULT_ON_DELETE;
  const validDays = validDaysProblem(inputs.validDays, edition);
  if (validDays) failures.push({ property: "validDays", reason: validDays });
  const renewal = renewBeforeDaysProblem(inputs.validDays, inputs.renewBeforeDays);
  if (renewal) failures.push({ property: "renewBeforeDays", reason: renewal });
  return { inputs, failures };
}
