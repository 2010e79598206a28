import { definedFields } from "../../client/definedFields";
import type { ShareLink } from "../../client/shareLink";
import type { Props } from "../../provider/handler";
import { storedOwner } from "../common/owner";
import { LINK_OUTPUTS, type LinkSettingsState, linkSettingsState, withLiveManagedSettings } from "../common/linkState";
import { DEFAULT_SHARE_ON_DELETE, type ShareOnDelete } from "./args";

/**
 * The outputs users see on `KooDriveShare`, one list: the constructor seeds exactly these and a compile-time check in
 * `resource.ts` keeps the class declarations equal to it. As for settings, volatile fields (counters, display name,
 * share time, owner) are not kept in state; `getShare` returns them.
 */
export const SHARE_OUTPUTS = [...LINK_OUTPUTS, "fileIds", "containerId", "scope"] as const;
export type ShareOutputName = (typeof SHARE_OUTPUTS)[number];

/** Version of the state layout below; bump it and extend {@link upgradeShareState} when the layout changes. */
export const SHARE_STATE_VERSION = 2;

/** What a `Share` resource keeps in state (its outputs). */
export interface ShareState extends LinkSettingsState {
  stateVersion: typeof SHARE_STATE_VERSION;
  fileIds: string[];
  containerId: string;
  scope: number;
  onDelete: ShareOnDelete;
}

/** The state after a create, write or read as `owner`: declared values from `inputs`, the share's own from `share`. */
export function shareStateFrom(inputs: Props, share: ShareLink, owner: string, previous?: ShareState): Props {
  const state: ShareState = {
    ...linkSettingsState(share.shareId, inputs, share, owner, previous),
    stateVersion: SHARE_STATE_VERSION,
    fileIds: (inputs.fileIds as unknown[]).map(String),
    containerId: String(inputs.containerId),
    scope: Number(inputs.scope),
    onDelete: (inputs.onDelete as ShareOnDelete | undefined) ?? DEFAULT_SHARE_ON_DELETE,
  };
  return definedFields({ ...state });
}

/** The inputs a stored state stands for: what refresh reports back, so changes made outside Pulumi show as drift. */
export function inputsOfState(state: ShareState, live: ShareLink): Props {
  const inputs: Props = {
    fileIds: state.fileIds,
    containerId: state.containerId,
    scope: state.scope,
    userId: state.userId,
    validDays: state.validDays,
    onDelete: state.onDelete,
    renewBeforeDays: state.renewBeforeDays,
  };
  return definedFields(withLiveManagedSettings(inputs, state, live));
}

/**
 * Reads stored outputs of any version as the current layout. Version 1 did not record the `owner`: it is the declared
 * `userId` when there is one, else unknown (the resource then acts as the configured user, as version 1 did, until its
 * next write or refresh records who it acted as).
 */
export function upgradeShareState(props: Props): ShareState {
  const upgraded: Props = { ...props };
  delete upgraded.__provider;
  upgraded.owner = storedOwner(props);
  if (upgraded.owner === undefined) delete upgraded.owner;
  upgraded.stateVersion = SHARE_STATE_VERSION;
  upgraded.onDelete ??= DEFAULT_SHARE_ON_DELETE;
  upgraded.managedFields = Array.isArray(props.managedFields) ? props.managedFields : [];
  upgraded.fileIds = Array.isArray(props.fileIds) ? props.fileIds : [];
  return upgraded as unknown as ShareState;
}
