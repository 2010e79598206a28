/**
 * The value Pulumi passes to `check` and `diff` for inputs not known until apply (during preview).
 * Copied from `@pulumi/pulumi/runtime/rpc` on purpose: provider code must not load `@pulumi/pulumi`.
 */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True for Pulumi's unknown-value sentinel. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN_VALUE;
}
