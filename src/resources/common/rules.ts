import * as z from "../../zod";
import { KOODRIVE_ID, KOODRIVE_ID_RULE, type KooDriveEdition } from "../../client/connectionSettings";
import { MAX_VALID_DAYS } from "../../time/koodriveTime";
import { isUnknown } from "./unknownValue";

/** A property-level validation failure, as Pulumi's `CheckFailure`. */
export interface InputFailure {
  property: string;
  reason: string;
}

/**
 * What a rejected value was, for messages: its kind, never the value itself. Any input may be a secret (the engine
 * hands `check` secrets unwrapped: `extractCode: pulumi.secret(12345678)` is a number), and the engine's own message
 * ("property validDays value {400} has a problem") already shows a value that is not a secret.
 */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return "nothing";
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : Number.isFinite(value) ? "a number" : "an infinite number";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * Lengths as KooDrive's Java servers count them: UTF-16 code units (JavaScript's `length`), so an emoji counts 2.
 * (zod's `max` counts code points, which would let 300 emoji through `check` and fail at the API.)
 */
function utf16Length(text: string): number {
  return text.length;
}

/** KooDrive requires a comment of "fewer than 512 characters". */
const COMMENT_LENGTH_LIMIT = 512;

/** An integer in [min, max]; one message for every way to miss it, naming what was given. */
function integerRule(name: string, min: number, max: number, meaning = "") {
  const rule = `${name} must be an integer from ${min} to ${max}${meaning}`;
  // The integer check last: zod's also refuses whole numbers beyond 2^53 (1e21 is one), which are larger, not fractional.
  return z
    .number({ error: (issue) => `${rule}, got ${describeValue(issue.input)}` })
    .min(min, { error: `${rule}, got a smaller number` })
    .max(max, { error: `${rule}, got a larger number` })
    .int({ error: `${rule}, got a fractional number` });
}

/** `validDays`: from `min` to the API's longest validity; `meaning` says what the bounds mean for the resource. */
export function validDaysRule(min: 0 | 1, meaning: string) {
  return integerRule("validDays", min, MAX_VALID_DAYS, meaning);
}

/** `renewBeforeDays` (that it is less than `validDays` is checked with the other inputs). */
export const renewBeforeDaysRule = integerRule("renewBeforeDays", 0, MAX_VALID_DAYS).optional();

/** A KooDrive access code: the form, and the form in words. */
const EXTRACT_CODE = /^[0-9a-zA-Z]{8}$/;
const EXTRACT_CODE_RULE = "exactly 8 characters from [0-9a-zA-Z]";

/** An `extractCode` argument. */
export const extractCodeRule = z
  .string({ error: (issue) => `extractCode must be a string of ${EXTRACT_CODE_RULE}, got ${describeValue(issue.input)}` })
  .regex(EXTRACT_CODE, { error: `extractCode must be ${EXTRACT_CODE_RULE}` });

/** A sharing message: fewer than 512 UTF-16 units. */
export const commentRule = z
  .string({ error: (issue) => `comment must be a string, got ${describeValue(issue.input)}` })
  .refine((text) => utf16Length(text) < COMMENT_LENGTH_LIMIT, {
    error: `comment must be shorter than ${COMMENT_LENGTH_LIMIT} characters, counted in UTF-16 units as KooDrive counts them (an emoji counts 2)`,
  });

/** A KooDrive ID (share, user): what the API's IDs look like, and safe in a URL path. */
export function idRule(name: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${name} is required` : `${name} must be a string, got ${describeValue(issue.input)}`) })
    .regex(KOODRIVE_ID, { error: `${name} must be ${KOODRIVE_ID_RULE} (a KooDrive ID)` });
}

/**
 * Validates each property with its own schema, so every bad property yields its own failure. Unknown values
 * (preview of inputs computed from other resources) pass unvalidated; they are checked again when known.
 */
export function checkProperties<S extends Record<string, z.ZodType>>(
  schemas: S,
  news: Record<string, unknown>,
): { inputs: Record<string, unknown>; failures: InputFailure[] } {
  const failures: InputFailure[] = [];
  const inputs: Record<string, unknown> = {};
  for (const name of Object.keys(schemas)) {
    const value = news[name] === null ? undefined : news[name];
    if (isUnknown(value)) {
      inputs[name] = value;
      continue;
    }
    const parsed = schemas[name]!.safeParse(value);
    if (parsed.success) {
      if (parsed.data !== undefined) inputs[name] = parsed.data;
    } else {
      failures.push({ property: name, reason: parsed.error.issues[0]?.message ?? `${name} is invalid` });
    }
  }
  return { inputs, failures };
}

/**
 * The rule tying `renewBeforeDays` to `validDays`, for every resource that renews links: a threshold at or above the
 * validity would renew on every run. Unknown values (preview) pass; they are checked again when known.
 */
export function renewBeforeDaysProblem(validDays: unknown, renewBeforeDays: unknown): string | undefined {
  const known = (v: unknown): v is number => typeof v === "number" && !isUnknown(v);
  if (!known(renewBeforeDays) || !known(validDays)) return undefined;
  if (validDays === 0) return "renewBeforeDays needs a validity period: validDays 0 never expires";
  if (renewBeforeDays >= validDays) return `renewBeforeDays must be less than validDays (${validDays}), or every run would renew the link`;
  return undefined;
}

/**
 * The edition's rule for adopting with `validDays` 0: the enterprise edition reads 0 as "keep the current expiry",
 * not "no validity period", so declaring it there would not do what it says.
 */
export function validDaysProblem(validDays: unknown, edition: KooDriveEdition): string | undefined {
  if (edition !== "enterprise" || validDays !== 0) return undefined;
  return `validDays 0 (no validity period) cannot be declared on the enterprise edition, where KooDrive reads 0 as "keep the current expiry": use 1 to ${MAX_VALID_DAYS}`;
}

/** `a or b`, `a, b or c`: the allowed values of an argument, for its error message. */
export function alternatives(values: readonly string[]): string {
  return values.length < 2 ? values.join("") : `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`;
}

/** `"a" or "b"`, `"a", "b" or "c"`: the allowed values of an enumerated string argument, for its error message. */
export function quotedAlternatives(values: readonly string[]): string {
  return alternatives(values.map((v) => `"${v}"`));
}
