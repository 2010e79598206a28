import { z } from "zod";
import { isUnknown } from "./unknownValue";

/** What happens to the share when the resource is deleted. */
export type OnDelete = "retain" | "restore";

/** Checked inputs as stored in state and passed to diff/create/update. */
export interface ShareSettingsInputs {
  shareId: string;
  validDays: number;
  extractCode?: string;
  comment?: string;
  onDelete: OnDelete;
}

/** A property-level validation failure, as Pulumi's `CheckFailure`. */
export interface InputFailure {
  property: string;
  reason: string;
}

/** Longest accepted comment: KooDrive requires fewer than 512 characters. */
export const MAX_COMMENT_LENGTH = 511;

/**
 * One schema per property so that every bad property yields its own failure. Reasons state the rule and never echo
 * the value (an access code is a secret even when it is wrong).
 */
const propertySchemas = {
  shareId: z
    .string({ error: "shareId is required and must be a string" })
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "shareId must be 1 to 64 characters of [A-Za-z0-9_-] (a KooDrive share ID)" }),
  validDays: z
    .number({ error: "validDays is required and must be a number" })
    .int({ error: "validDays must be a whole number of days" })
    .min(0, { error: "validDays must be between 0 and 365 (0 = no validity period)" })
    .max(365, { error: "validDays must be between 0 and 365 (0 = no validity period)" }),
  extractCode: z
    .string({ error: "extractCode must be a string" })
    .regex(/^[0-9a-zA-Z]{8}$/, { error: "extractCode must be exactly 8 characters from [0-9a-zA-Z]" })
    .optional(),
  comment: z
    .string({ error: "comment must be a string" })
    .max(MAX_COMMENT_LENGTH, { error: `comment must be shorter than 512 characters` })
    .optional(),
  onDelete: z.enum(["retain", "restore"], { error: 'onDelete must be "retain" or "restore"' }).optional(),
} as const;

type PropertyName = keyof typeof propertySchemas;
const PROPERTY_NAMES = Object.keys(propertySchemas) as PropertyName[];

/**
 * Validates raw program inputs. Unknown values (preview of inputs computed from other resources) pass through
 * unvalidated; they are checked again when known. Returns normalised inputs (plain JSON, `onDelete` defaulted)
 * and one failure per bad property.
 */
export function checkShareInputs(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: InputFailure[] } {
  const failures: InputFailure[] = [];
  const inputs: Record<string, unknown> = {};
  for (const name of PROPERTY_NAMES) {
    const value = news[name] === null ? undefined : news[name];
    if (isUnknown(value)) {
      inputs[name] = value;
      continue;
    }
    const parsed = propertySchemas[name].safeParse(value);
    if (parsed.success) {
      if (parsed.data !== undefined) inputs[name] = parsed.data;
    } else {
      failures.push({ property: name, reason: parsed.error.issues[0]?.message ?? `${name} is invalid` });
    }
  }
  if (inputs.onDelete === undefined) inputs.onDelete = "retain";
  return { inputs, failures };
}
