import { definedFields } from "../../client/definedFields";
import type { ShareLink } from "../../client/shareLink";
import type { Props } from "../../provider/handler";
import { storedOwner } from "../common/owner";
import { LINK_OUTPUTS, type LinkSettingsState, linkSettingsState } from "../common/linkState";
import type { OriginalSettings } from "../common/originals";
import { DEFAULT_ON_DELETE, type OnDelete } from "./args";

/**
 * The outputs users see on the class, one list: the constructor seeds exactly these and a compile-time check in
 * `resource.ts` keeps the class declarations equal to it. Volatile or derivable fields (counters, display name,
 * container, share time, owner, scope) are not kept in state: they change on every refresh and cost bytes per
 * share; `getShare` returns them.
 */
export const SHARE_SETTINGS_OUTPUTS = LINK_OUTPUTS;
export type ShareSettingsOutputName = (typeof SHARE_SETTINGS_OUTPUTS)[number];

/** Version of the state layout below; bump it and extend {@link upgradeShareSettingsState} when the layout changes. */
export const SHARE_SETTINGS_STATE_VERSION = 3;

/** What a `ShareSettings` resource keeps in state (its outputs). */
export interface ShareSettingsState extends LinkSettingsState {
  stateVersion: typeof SHARE_SETTINGS_STATE_VERSION;
  onDelete: OnDelete;
  /** KooDrive's `updateTime` after this resource's last write: with the settings, tells whether someone else wrote since. */
  updateTime?: string;
  /** For `onDelete: "restore"`: the settings from before Pulumi managed the share (secret). */
  originals?: OriginalSettings;
  /**
   * For `onDelete: "restore"`: a refresh found a managed setting (access code, comment) changed since this resource's
   * last write (by hand, by another stack, or by a write of its own that was never recorded). Delete would then refuse
   * to restore, so the next update writes the declared settings again, which clears this. Absent otherwise.
   */
  writtenSinceApplied?: true;
  /**
   * For `onDelete: "restore"`: the expiry this resource's own last write left (`""`: none). A refresh copies the live expiry into
   * `expireTime` but keeps this, so delete (and refresh) can tell a validity another writer restarted since. Absent in
   * state from before it was kept (until a write, or a refresh that proves it by `updateTime`).
   */
  appliedExpireTime?: string;
  /**
   * For `onDelete: "restore"`: the inputs the engine stores with this state hold `originals`, as the secret the program
   * passed (the last create or update had them). Only then does a refresh that returns inputs include the originals:
   * the engine keeps a refreshed input secret only when the stored inputs held it as one, and 0.2.0's refresh left
   * them out of the inputs, so without this mark the original access code would be stored in plaintext.
   */
  originalsInInputs?: true;
}

/** The mark {@link ShareSettingsState.originalsInInputs} for state stored with these inputs. */
export function originalsInInputsMark(inputs: Props, originals: OriginalSettings | undefined): true | undefined {
  return inputs.originals !== undefined && originals !== undefined ? true : undefined;
}

/** The state after a write or read as `owner`: declared values from `inputs`, the share's own from `share`. */
export function shareSettingsStateFrom(
  inputs: Props,
  share: ShareLink,
  originals: OriginalSettings | undefined,
  owner: string,
  /** The expiry of this resource's last write, for a restoring resource (see {@link ShareSettingsState.appliedExpireTime}). */
  appliedExpireTime: string | undefined,
  /** After a write: the state before it, for what the write's answer leaves out (see `linkSettingsState`). */
  previous?: ShareSettingsState,
): Props {
  const state: ShareSettingsState = {
    ...linkSettingsState(String(inputs.shareId), inputs, share, owner, previous),
    stateVersion: SHARE_SETTINGS_STATE_VERSION,
    onDelete: (inputs.onDelete as OnDelete | undefined) ?? DEFAULT_ON_DELETE,
    updateTime: share.updateTime,
    appliedExpireTime: originals === undefined ? undefined : appliedExpireTime,
    originals,
    originalsInInputs: originalsInInputsMark(inputs, originals),
  };
  return definedFields({ ...state, originals: originals === undefined ? undefined : definedFields({ ...originals }) });
}

/**
 * Refresh of state that 0.1.0 wrote (until the first `up` with this version stores the originals under their current
 * name): the engine marks refreshed outputs
 * secret by the names that state declared (`additionalSecretOutputs`: `originalSettings`), so the originals go back
 * under that name; under `originals` they would be stored in plaintext. The next `up` registers the current names and
 * its update stores them as `originals`. (The upgrader reads either name.)
 */
export function originalsUnderStoredName(stored: Props, outs: Props): Props {
  if (stored.originalSettings === undefined || stored.originals !== undefined || outs.originals === undefined) return outs;
  const { originals, ...rest } = outs;
  return { ...rest, originalSettings: originals };
}

/** Fields of version 1 (0.1.0) that are no longer kept. */
const DROPPED_IN_V2 = ["shareTime", "displayName", "ownerId", "containerId", "viewCnt", "downloadCnt", "saveCnt", "scope", "originalSettings", "__provider"];

/**
 * Reads stored outputs of any version as the current layout. Version 1 (no `stateVersion`) kept the originals as
 * `originalSettings` and the volatile fields; both are mapped here, so every method sees one layout. Versions 1 and 2
 * did not record the `owner`: it is the declared `userId` when there is one, else KooDrive's `ownerId` kept by
 * version 1, else unknown (the resource then acts as the configured user, as those versions did, until a request as
 * that user, a write or a refresh, records who it acted as).
 */
export function upgradeShareSettingsState(props: Props): ShareSettingsState {
  const upgraded: Props = { ...props };
  // Version 1's name for the originals, also kept by a refresh of version 1 state (see originalsUnderStoredName).
  if (props.originalSettings !== undefined && props.originals === undefined) upgraded.originals = props.originalSettings;
  // Version 1 kept KooDrive's `ownerId` of the share it adopted (an `X-User-Id`): that is the owner, whatever
  // `koodrive:userId` says by the time this state is read.
  const v1Owner = props.stateVersion === undefined && typeof props.ownerId === "string" && props.ownerId !== "" ? props.ownerId : undefined;
  for (const key of DROPPED_IN_V2) delete upgraded[key];
  upgraded.owner = storedOwner(props) ?? v1Owner;
  if (upgraded.owner === undefined) delete upgraded.owner;
  upgraded.stateVersion = SHARE_SETTINGS_STATE_VERSION;
  upgraded.onDelete ??= DEFAULT_ON_DELETE;
  upgraded.managedFields = Array.isArray(props.managedFields) ? props.managedFields : [];
  return upgraded as unknown as ShareSettingsState;
}
