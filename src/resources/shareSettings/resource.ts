import * as pulumi from "@pulumi/pulumi";
import type { DeclaredOutputs, Same } from "../../compileTimeChecks";
import { type Registration, type ShareLinkOutputs, registrationOf } from "../common/koodriveResource";
import { checkDeclaration, claimShare, requirePlainArg } from "../common/programChecks";
import { withoutPromiseStacks } from "../common/promiseStacks";
import { typeToken } from "../registry";
import type { OriginalSettings } from "../common/originals";
import { ShareOriginals } from "../shareOriginals/resource";
import { DEFAULT_ON_DELETE, type KooDriveShareSettingsArgs, type OnDelete, SHARE_SETTINGS_ARG_NAMES } from "./args";
import { SHARE_SETTINGS_OUTPUTS, type ShareSettingsOutputName } from "./state";

const REGISTRATION: Registration<ShareSettingsOutputName | "originals"> = {
  kind: "shareSettings",
  outputs: SHARE_SETTINGS_OUTPUTS,
  secrets: ["extractCode"],
};
/** With `onDelete: "restore"`, `originals` (an input from the companion, kept in outputs) is secret too. */
const RESTORING_REGISTRATION: typeof REGISTRATION = { ...REGISTRATION, secrets: [...REGISTRATION.secrets, "originals"] };

// The link outputs KooDriveShareSettings shares with the other link class (`ShareLinkOutputs`): types only, no runtime member.
export interface KooDriveShareSettings extends ShareLinkOutputs {}

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
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface only declares outputs the engine sets, as `declare` fields do.
export class KooDriveShareSettings extends pulumi.dynamic.Resource {
  /** Delete behaviour. */
  declare readonly onDelete: pulumi.Output<OnDelete>;

  /**
   * @param name Pulumi resource name. Renaming needs `aliases` (see the README): without one, Pulumi creates the new
   *   resource and deletes the old one.
   * @param args Declared settings; see {@link KooDriveShareSettingsArgs}.
   * @param opts Resource options; `import` and `replaceOnChanges` are not supported. `extractCode` is always a secret output.
   */
  constructor(name: string, args: KooDriveShareSettingsArgs, opts: pulumi.CustomResourceOptions = {}) {
    const typeName = "KooDriveShareSettings";
    checkDeclaration(typeName, name, args, SHARE_SETTINGS_ARG_NAMES, opts, "creating the resource adopts the existing share, with no import needed");
    requirePlainArg(
      typeName,
      name,
      "onDelete",
      args.onDelete,
      `"restore" makes the program declare the \`${companionName(name)}\` resource that records the share's original settings`,
    );
    claimShare(args.shareId, { label: `${typeName} "${name}"`, parent: opts.parent });
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
    // The companion's originals are an input, and only then a property at all (each costs the program an Output of
    // four promises): the engine creates the companion (and checkpoints the originals) first.
    const [registration, inputs] =
      originals === undefined
        ? [REGISTRATION, { ...args, onDelete }]
        : [RESTORING_REGISTRATION, { ...args, onDelete, originals: originalsOf(originals, args.shareId) }];
    const restoreStacks = withoutPromiseStacks();
    try {
      super(...registrationOf(registration, name, inputs, opts));
    } finally {
      restoreStacks();
    }
  }
}

/**
 * The companion's originals while they are this share's; none otherwise, which `check` refuses before anything is
 * written. A companion left out of a run (`up --exclude <name>-originals`, or `--target` of the settings resource
 * alone) after `shareId` changed still holds the old share's originals (its ID is the share's), and a restore would
 * put those on the new share.
 */
function originalsOf(companion: ShareOriginals, shareId: pulumi.Input<string>): pulumi.Output<OriginalSettings | undefined> {
  return pulumi.all([companion.id, companion.originals, shareId]).apply(([readFrom, found, declared]) => (readFrom === String(declared) ? found : undefined));
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
  // An alias known later (an Output, a promise) is mapped when it is known.
  return aliases?.map((alias) =>
    pulumi.Output.isInstance(alias) || alias instanceof Promise ? pulumi.output(alias).apply(companionAlias) : companionAlias(alias),
  );
}

/** One alias of the settings resource, as its companion's: a URN, or an alias by parts (the type is the companion's). */
function companionAlias(alias: string | pulumi.Alias): string | pulumi.Alias {
  if (typeof alias === "string") {
    const parts = alias.split("::");
    // The type segment is the parents' types and the resource's own, joined by `$`: only the last is this class's.
    parts[parts.length - 2] = parts[parts.length - 2]!.replace(/[^$]*$/, typeToken("shareOriginals"));
    parts[parts.length - 1] = companionName(parts[parts.length - 1]!);
    return parts.join("::");
  }
  const { type: _settingsType, ...rest } = alias;
  return rest.name === undefined ? rest : { ...rest, name: pulumi.output(rest.name).apply(companionName) };
}

/** Compile-time: the declared outputs are exactly {@link SHARE_SETTINGS_OUTPUTS}. */
const outputsMatchDeclarations: Same<DeclaredOutputs<KooDriveShareSettings>, ShareSettingsOutputName> = true;
void outputsMatchDeclarations;
