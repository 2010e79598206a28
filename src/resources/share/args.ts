import type * as pulumi from "@pulumi/pulumi";
import type { KooDriveEdition } from "../../client/connectionSettings";
import type { Same } from "../../compileTimeChecks";

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
/** Who may open a link of each scope, for messages. */
export const SCOPE_MEANINGS: { readonly [scope: number]: string } = {
  1: "anyone with the link",
  2: "users inside the enterprise",
  3: "specified enterprise users",
};
