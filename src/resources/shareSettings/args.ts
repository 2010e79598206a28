import type * as pulumi from "@pulumi/pulumi";
import type { Same } from "../../compileTimeChecks";

/** What happens to the share when the resource is deleted: the values, the type, and the default. */
export const ON_DELETE = ["retain", "restore"] as const;
export type OnDelete = (typeof ON_DELETE)[number];
export const DEFAULT_ON_DELETE: OnDelete = "retain";

/** Arguments of {@link KooDriveShareSettings}. */
export interface KooDriveShareSettingsArgs {
  /** ID of an existing share owned by the acting user. Changing it replaces the resource. */
  shareId: pulumi.Input<string>;
  /**
   * Validity in days from the moment the settings are applied: 1–365, or 0 = no validity period (carrier edition
   * only). Relative: every apply (PUT) restarts the period. An expired link is drift and is renewed by `up`.
   */
  validDays: pulumi.Input<number>;
  /** Access code, exactly 8 of `[0-9a-zA-Z]`. Always stored as a secret. Omit to leave it unmanaged. */
  extractCode?: pulumi.Input<string>;
  /** Sharing message, under 512 UTF-16 units. Omit to leave it unmanaged; `""` clears it. */
  comment?: pulumi.Input<string>;
  /**
   * Renew the link (one PUT) once fewer than this many days of validity remain: 0–365 and less than `validDays`.
   * Default: renew only once the link has expired.
   */
  renewBeforeDays?: pulumi.Input<number>;
  /**
   * KooDrive user who owns the share (`X-User-Id`); default: `koodrive:userId` at adoption. The owner is recorded in
   * state and kept when `koodrive:userId` changes later. Changing it to another user replaces; declaring the recorded
   * owner does not.
   */
  userId?: pulumi.Input<string>;
  /**
   * On delete: `"retain"` (default) leaves the share as it is; `"restore"` puts back the settings the share had
   * before Pulumi managed it (read once, into a companion `ShareOriginals` resource, before any change). A plain
   * value: it decides which resources the program registers.
   */
  onDelete?: OnDelete;
}

/** The argument names, kept equal to {@link KooDriveShareSettingsArgs} at compile time. */
export const SHARE_SETTINGS_ARG_NAMES = ["shareId", "validDays", "extractCode", "comment", "renewBeforeDays", "userId", "onDelete"] as const;
type ArgName = (typeof SHARE_SETTINGS_ARG_NAMES)[number];
const argNamesMatch: Same<ArgName, keyof KooDriveShareSettingsArgs> = true;
void argNamesMatch;
