import * as pulumi from "@pulumi/pulumi";
import { providerFor } from "../../provider/providers";
import type { DeclaredOutputs, Same } from "../common/compileTimeChecks";
import { claimShare, rejectImportOption, rejectUnknownArgs, warnAboutStackConfig } from "../common/programChecks";
import { withoutPromiseStacks } from "../common/promiseStacks";
import type { ShareStatus } from "../common/linkState";
import { RESOURCE_TYPES, typeToken } from "../registry";
import { ShareOriginals } from "../shareOriginals/resource";
import { DEFAULT_ON_DELETE, type KooDriveShareSettingsArgs, type OnDelete, SHARE_SETTINGS_ARG_NAMES } from "./args";
import { SHARE_SETTINGS_OUTPUTS, type ShareSettingsOutputName } from "./state";

/**
 * Settings of one existing KooDrive share link (access code, message, validity), applied with
 * `PUT /koodrive/ose/v1/share/{shareId}`.
 *
 * Creating the resource adopts the share with one PUT of the declared settings. Refresh reads the share back, so
 * changes made outside Pulumi show as drift, and an expired link (or one within `renewBeforeDays` of expiry) is an
 * update that `up` renews. With `onDelete: "restore"` a companion `ShareOriginals` resource (`<name>-originals`)
 * records the settings found before the first change. Connection settings come from stack config (`koodrive:*`) or
 * `KOODRIVE_*` environment variables, never from resource inputs.
 */
export class KooDriveShareSettings extends pulumi.dynamic.Resource {
  /** The share's ID; also the resource ID. */
  declare readonly shareId: pulumi.Output<string>;
  /** The share owner, when the resource names one (else the configured `koodrive:userId`). */
  declare readonly userId: pulumi.Output<string | undefined>;
  /** Declared validity in days (relative to the last apply). */
  declare readonly validDays: pulumi.Output<number>;
  /** The share's access code (secret). */
  declare readonly extractCode: pulumi.Output<string | undefined>;
  /** The share's message. */
  declare readonly comment: pulumi.Output<string | undefined>;
  /** Delete behaviour. */
  declare readonly onDelete: pulumi.Output<OnDelete>;
  /** Renewal threshold in days, when declared. */
  declare readonly renewBeforeDays: pulumi.Output<number | undefined>;
  /** Absolute expiry (ISO-8601) after the last apply or refresh; absent when the link has no validity period. */
  declare readonly expireTime: pulumi.Output<string | undefined>;
  /** Link status after the last apply or refresh. */
  declare readonly status: pulumi.Output<ShareStatus | undefined>;
  /** Short code of the link. */
  declare readonly shortUrl: pulumi.Output<string | undefined>;
  /** The link. */
  declare readonly linkUrl: pulumi.Output<string | undefined>;

  /**
   * @param name Pulumi resource name. Renaming needs `aliases` (see the README): without one, Pulumi creates the new
   *   resource and deletes the old one.
   * @param args Declared settings; see {@link KooDriveShareSettingsArgs}.
   * @param opts Resource options; `import` is not supported. `extractCode` is always a secret output.
   */
  constructor(name: string, args: KooDriveShareSettingsArgs, opts: pulumi.CustomResourceOptions = {}) {
    const typeName = "KooDriveShareSettings";
    rejectUnknownArgs(typeName, name, args, SHARE_SETTINGS_ARG_NAMES);
    warnAboutStackConfig();
    rejectImportOption(typeName, name, opts, "creating the resource adopts the existing share, with no import needed");
    claimShare(args.shareId, `${typeName} "${name}"`);
    const onDelete = args.onDelete ?? DEFAULT_ON_DELETE;
    if (onDelete === "restore" && opts.retainOnDelete === true) {
      void pulumi.log.warn(`${typeName} "${name}": retainOnDelete: true means Pulumi never calls delete, so onDelete "restore" will never run`);
    }
    const originals =
      onDelete === "restore"
        ? new ShareOriginals(
            companionName(name),
            { shareId: args.shareId, userId: args.userId },
            { parent: opts.parent, protect: opts.protect, dependsOn: opts.dependsOn, aliases: companionAliases(opts.aliases) },
          )
        : undefined;
    const seeded = Object.fromEntries(SHARE_SETTINGS_OUTPUTS.map((key) => [key, undefined])) as Record<ShareSettingsOutputName, undefined>;
    const props = {
      ...seeded,
      ...args,
      onDelete,
      // Wrapped here so the access code is ciphertext in stored inputs too, not only in outputs.
      extractCode: args.extractCode === undefined ? undefined : pulumi.secret(args.extractCode),
      // An input from the companion resource: the engine creates it (and checkpoints the originals) first. Only
      // then a property at all: each property costs the program an Output of four promises.
      ...(originals === undefined ? {} : { originals: originals.originals }),
    };
    const secretOutputs = [...(opts.additionalSecretOutputs ?? []), "extractCode", ...(originals === undefined ? [] : ["originals"])];
    const { module, type } = RESOURCE_TYPES.shareSettings;
    const restoreStacks = withoutPromiseStacks();
    try {
      super(providerFor("shareSettings"), name, props, { ...opts, additionalSecretOutputs: secretOutputs }, module, type);
    } finally {
      restoreStacks();
    }
  }
}

/** The companion `ShareOriginals` resource's name. */
function companionName(name: string): string {
  return `${name}-originals`;
}

/**
 * A rename of the settings resource through `aliases` renames its companion the same way, so the recorded originals
 * move with it instead of being read again (by then the share holds the declared settings, not the originals).
 */
function companionAliases(aliases: pulumi.CustomResourceOptions["aliases"]): pulumi.CustomResourceOptions["aliases"] {
  return aliases?.map((alias) => {
    if (typeof alias === "string") {
      const parts = alias.split("::");
      parts[parts.length - 2] = typeToken("shareOriginals");
      parts[parts.length - 1] = companionName(parts[parts.length - 1]!);
      return parts.join("::");
    }
    if (pulumi.Output.isInstance(alias)) return alias;
    const { type: _settingsType, ...rest } = alias as pulumi.Alias;
    return rest.name === undefined ? rest : { ...rest, name: pulumi.output(rest.name).apply(companionName) };
  });
}

/** Compile-time: the declared outputs are exactly {@link SHARE_SETTINGS_OUTPUTS}. */
const outputsMatchDeclarations: Same<DeclaredOutputs<KooDriveShareSettings>, ShareSettingsOutputName> = true;
void outputsMatchDeclarations;
