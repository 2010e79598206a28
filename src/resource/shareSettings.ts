import * as pulumi from "@pulumi/pulumi";
import { shareSettingsProvider } from "./provider";
import { OnDelete } from "./shareInputs";

/** Arguments of {@link KooDriveShareSettings}. */
export interface KooDriveShareSettingsArgs {
  /** ID of an existing share owned by the configured user. Changing it replaces the resource. */
  shareId: pulumi.Input<string>;
  /**
   * Validity in days from the moment the settings are applied, 0–365; 0 = no validity period (carrier edition).
   * Relative: KooDrive stores an absolute expiry, and the passage of time is not reported as drift.
   */
  validDays: pulumi.Input<number>;
  /** Access code, exactly 8 characters of `[0-9a-zA-Z]`. Always stored as a secret. Omit to leave it unmanaged. */
  extractCode?: pulumi.Input<string>;
  /** Sharing message, under 512 characters. Omit to leave it unmanaged; `""` clears it. */
  comment?: pulumi.Input<string>;
  /** On delete: `"retain"` (default) leaves the share as it is; `"restore"` puts back the settings found at adoption. */
  onDelete?: pulumi.Input<OnDelete>;
}

/**
 * Settings of one KooDrive share link (access code, message, validity), applied with
 * `PUT /koodrive/ose/v1/share/{shareId}`.
 *
 * Creating the resource adopts an existing share: its current settings are read and remembered, then the declared
 * ones are applied. Refresh reads the share back, so changes made outside Pulumi show as a diff. Connection settings
 * come from stack config (`koodrive:*`) or `KOODRIVE_*` environment variables, never from resource inputs.
 */
export class KooDriveShareSettings extends pulumi.dynamic.Resource {
  /** The share's ID; also the resource ID. */
  declare readonly shareId: pulumi.Output<string>;
  /** Declared validity in days (relative to the last apply). */
  declare readonly validDays: pulumi.Output<number>;
  /** The share's access code (secret). */
  declare readonly extractCode: pulumi.Output<string | undefined>;
  /** The share's message. */
  declare readonly comment: pulumi.Output<string | undefined>;
  /** Delete behaviour. */
  declare readonly onDelete: pulumi.Output<OnDelete>;
  /** Short code of the link. */
  declare readonly shortUrl: pulumi.Output<string | undefined>;
  /** The link. */
  declare readonly linkUrl: pulumi.Output<string | undefined>;
  /** Absolute expiry (ISO-8601), absent when the link has no validity period. */
  declare readonly expireTime: pulumi.Output<string | undefined>;
  /** When the share was created. */
  declare readonly shareTime: pulumi.Output<string | undefined>;
  /** When the share was last modified. */
  declare readonly updateTime: pulumi.Output<string | undefined>;
  /** 0 = valid until `expireTime`, 1 = files deleted, 2 = invalid or expired (3 = expired on some editions). */
  declare readonly status: pulumi.Output<number | undefined>;
  /** 1 = external link, 3 = specified enterprise users. */
  declare readonly scope: pulumi.Output<number | undefined>;
  /** Name shown for the shared files. */
  declare readonly displayName: pulumi.Output<string | undefined>;
  /** KooDrive user who owns the share. */
  declare readonly ownerId: pulumi.Output<string | undefined>;
  /** Space holding the shared files. */
  declare readonly containerId: pulumi.Output<string | undefined>;
  /** Views of the link. */
  declare readonly viewCnt: pulumi.Output<number | undefined>;
  /** Downloads through the link. */
  declare readonly downloadCnt: pulumi.Output<number | undefined>;
  /** Saves through the link. */
  declare readonly saveCnt: pulumi.Output<number | undefined>;

  /**
   * @param name Pulumi resource name.
   * @param args Declared settings; see {@link KooDriveShareSettingsArgs}.
   * @param opts Resource options; `extractCode` and the remembered original settings are always added to
   *   `additionalSecretOutputs`.
   */
  constructor(name: string, args: KooDriveShareSettingsArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      shareId: args.shareId,
      validDays: args.validDays,
      // Wrapped here so the access code is ciphertext in stored inputs too, not only in outputs.
      extractCode: args.extractCode === undefined ? undefined : pulumi.secret(args.extractCode),
      comment: args.comment,
      onDelete: args.onDelete,
      // Output names must be present in props for CustomResource to create their Output properties.
      shortUrl: undefined, linkUrl: undefined, expireTime: undefined, shareTime: undefined, updateTime: undefined,
      status: undefined, scope: undefined, displayName: undefined, ownerId: undefined, containerId: undefined,
      viewCnt: undefined, downloadCnt: undefined, saveCnt: undefined, managedFields: undefined, originalSettings: undefined,
    };
    const secretOutputs = ["extractCode", "originalSettings"];
    super(shareSettingsProvider, name, props, { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secretOutputs] }, "koodrive", "ShareSettings");
  }
}
