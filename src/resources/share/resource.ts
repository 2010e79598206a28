import * as pulumi from "@pulumi/pulumi";
import type { DeclaredOutputs, Same } from "../../compileTimeChecks";
import { type Registration, type ShareLinkOutputs, registrationOf } from "../common/koodriveResource";
import { checkDeclaration, claimShare } from "../common/programChecks";
import { withoutPromiseStacks } from "../common/promiseStacks";
import { DEFAULT_SHARE_ON_DELETE, type KooDriveShareArgs, SHARE_ARG_NAMES, type ShareOnDelete } from "./args";
import { SHARE_OUTPUTS, type ShareOutputName } from "./state";

const REGISTRATION: Registration<ShareOutputName> = { kind: "share", outputs: SHARE_OUTPUTS, secrets: ["extractCode"] };

// The link outputs KooDriveShare shares with the other link class (`ShareLinkOutputs`): types only, no runtime member.
export interface KooDriveShare extends ShareLinkOutputs {}

/**
 * A KooDrive share link created by Pulumi (`POST /koodrive/ose/v1/share`) and cancelled when the resource is deleted
 * (`POST /koodrive/ose/v1/share/cancel`, unless `onDelete: "retain"`).
 *
 * Changing `fileIds`, `containerId`, `scope` or `userId` replaces the share (a new link: the new share is created
 * first, then the old one cancelled). `extractCode`, `comment` and `validDays` are applied with one PUT, which
 * restarts the validity period. An expired link, or one within `renewBeforeDays` of expiry, is an update that `up`
 * renews, by the same rules as {@link KooDriveShareSettings}. A create whose answer is lost is reconciled by listing
 * the user's shares, never by a second blind POST (see the README, "KooDriveShare").
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface only declares outputs the engine sets, as `declare` fields do.
export class KooDriveShare extends pulumi.dynamic.Resource {
  /** The shared files. */
  declare readonly fileIds: pulumi.Output<string[]>;
  /** The space holding the files. */
  declare readonly containerId: pulumi.Output<string>;
  /** Who may open the link (1 external link, 2 enterprise users, 3 specified users). */
  declare readonly scope: pulumi.Output<number>;
  /** Delete behaviour. */
  declare readonly onDelete: pulumi.Output<ShareOnDelete>;

  /**
   * @param name Pulumi resource name. Renaming needs `aliases`: without one, Pulumi creates a new share and cancels
   *   the old one.
   * @param args See {@link KooDriveShareArgs}.
   * @param opts Resource options; `import` and `replaceOnChanges` are not supported. `extractCode` is always a secret output.
   */
  constructor(name: string, args: KooDriveShareArgs, opts: pulumi.CustomResourceOptions = {}) {
    const typeName = "KooDriveShare";
    checkDeclaration(
      typeName,
      name,
      args,
      SHARE_ARG_NAMES,
      opts,
      "a KooDriveShare always creates a new share; to manage an existing one, declare a KooDriveShareSettings for it, which adopts it",
    );
    const restoreStacks = withoutPromiseStacks();
    try {
      super(...registrationOf(REGISTRATION, name, { ...args, onDelete: args.onDelete ?? DEFAULT_SHARE_ON_DELETE }, opts));
    } finally {
      restoreStacks();
    }
    // The ID exists only once the share is created: the claim is made when it is known (at preview for a share
    // already in the stack), so a KooDriveShareSettings on the same share fails the program.
    claimShare(this.shareId, { label: `${typeName} "${name}"`, parent: opts.parent }, this);
  }
}

/** Compile-time: the declared outputs are exactly {@link SHARE_OUTPUTS}. */
const outputsMatchDeclarations: Same<DeclaredOutputs<KooDriveShare>, ShareOutputName> = true;
void outputsMatchDeclarations;
