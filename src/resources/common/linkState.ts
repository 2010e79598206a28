import { definedFields } from "../../client/definedFields";
import type { ShareLink } from "../../client/shareLink";
import type { Props } from "../../provider/handler";
import { kooDriveTimeOutput } from "../../time/koodriveTime";

/**
 * KooDrive's link status, as its detail and list pages report it. Some pages report an expired link as 2 (invalid
 * or expired), others as 3 (expired).
 */
export const SHARE_STATUS = {
  /** Valid until `expireTime`. */
  valid: 0,
  /** The shared files were deleted. */
  filesDeleted: 1,
  /** Invalid (the sharer lost permission, the space or user was disabled) or expired. */
  invalidOrExpired: 2,
  /** Expired. */
  expired: 3,
} as const;
export type ShareStatus = (typeof SHARE_STATUS)[keyof typeof SHARE_STATUS];

/** A status's meaning in words, for messages. */
export function describeShareStatus(status: number): string {
  switch (status) {
    case SHARE_STATUS.valid:
      return "valid";
    case SHARE_STATUS.filesDeleted:
      return "files deleted";
    case SHARE_STATUS.invalidOrExpired:
      return "invalid or expired";
    case SHARE_STATUS.expired:
      return "expired";
    default:
      return "unknown status";
  }
}

/** Optional settings: when omitted from the program they are not managed (left as they are on the share). */
export const OPTIONAL_SETTINGS = ["extractCode", "comment"] as const;

/**
 * Outputs every link resource declares: its arguments about the link and what KooDrive says about it after the last
 * apply or refresh. Each resource's own output list starts with these.
 */
export const LINK_OUTPUTS = [
  "shareId",
  "userId",
  "validDays",
  "extractCode",
  "comment",
  "onDelete",
  "renewBeforeDays",
  "expireTime",
  "status",
  "shortUrl",
  "linkUrl",
] as const;
export type OptionalSetting = (typeof OPTIONAL_SETTINGS)[number];

/** Optional fields the inputs manage, in a fixed order. */
export function managedFields(inputs: Props): OptionalSetting[] {
  return OPTIONAL_SETTINGS.filter((f) => inputs[f] !== undefined);
}

/** What every resource that manages a link's settings keeps in state; each resource adds its own fields. */
export interface LinkSettingsState {
  shareId: string;
  /** Present only when the resource names its own share owner. */
  userId?: string;
  /**
   * The user the resource last wrote or read the share as (not an output): read, update and delete act as it, whatever
   * `koodrive:userId` says now. Absent only in state from before it was recorded (see `recordedOwner`).
   */
  owner?: string;
  validDays: number;
  renewBeforeDays?: number;
  extractCode?: string;
  comment?: string;
  /** The optional settings the program manages, so that dropping one from the program is a change. */
  managedFields: OptionalSetting[];
  expireTime?: string;
  status?: number;
  shortUrl?: string;
  linkUrl?: string;
  /**
   * How far KooDrive's clock was ahead of the local one (ms, to the minute) at this resource's last request, when
   * beyond the clock tolerance; absent otherwise. Written by the provider's dispatcher, read by `ProviderContext.now`
   * in a process that has sent nothing yet.
   */
  kooDriveClockAheadMs?: number;
}

/**
 * The common state after a write or read as `owner`: declared values from `inputs`, the share's own from `share`. A managed
 * setting the answer leaves out (the enterprise modify answer has no comment; an empty comment may come back absent)
 * is what was sent, not "absent": otherwise the next plan would see a difference on every run.
 */
export function linkSettingsState(shareId: string, inputs: Props, share: ShareLink, owner: string, previous?: LinkSettingsState): LinkSettingsState {
  const managed = managedFields(inputs);
  const sentIfManaged = (field: OptionalSetting) => (managed.includes(field) ? (inputs[field] as string | undefined) : undefined);
  return {
    shareId,
    userId: inputs.userId as string | undefined,
    owner,
    validDays: Number(inputs.validDays),
    renewBeforeDays: inputs.renewBeforeDays as number | undefined,
    // A setting the write did not send, and its answer did not carry (§6.2's table has no comment), is as it was.
    extractCode: share.extractCode ?? sentIfManaged("extractCode") ?? previous?.extractCode,
    comment: share.comment ?? sentIfManaged("comment") ?? previous?.comment,
    managedFields: managed,
    expireTime: kooDriveTimeOutput(share.expireTime),
    status: share.status,
    // The link itself does not change with a write (its status may: a renewal revives an expired link, so not that).
    shortUrl: share.shortUrl ?? previous?.shortUrl,
    linkUrl: share.linkUrl ?? previous?.linkUrl,
  };
}

/**
 * The inputs a refresh reports: `declared` (what the state stands for) with the managed settings as the share holds
 * them now, so that a change made outside Pulumi shows as drift.
 */
export function withLiveManagedSettings(declared: Props, state: LinkSettingsState, live: ShareLink): Props {
  const inputs = { ...declared };
  for (const field of state.managedFields) inputs[field] = live[field] ?? "";
  return inputs;
}

/**
 * The state after an update that sends nothing: the stored one with the declared arguments that only Pulumi keeps, and
 * `extra` (each resource's own). The recorded owner stays as it is, unknown included: only an answer to a request
 * proves who owns the share.
 */
export function stateOnlyUpdate(state: LinkSettingsState, news: Props, extra: Props = {}): Props {
  const { onDelete, renewBeforeDays, userId } = news;
  return definedFields({ ...state, onDelete, renewBeforeDays, userId, managedFields: managedFields(news), ...extra } as Props);
}

/** The managed settings (access code, comment) whose live value is not the one this resource last applied or read. */
export function settingsChangedSince(state: LinkSettingsState, live: ShareLink): OptionalSetting[] {
  return state.managedFields.filter((field) => (live[field] ?? "") !== (state[field] ?? ""));
}

/**
 * The inputs a refresh returns: `inputs` (the live values of the managed settings) when one of them changed since this
 * resource last applied or read it, so the refresh records the change as an input and the next one diffs against it;
 * none otherwise, and the engine keeps the stored inputs, which hold those same values. What the refresh shows is the
 * same either way (the engine diffs the refreshed outputs against the stored inputs), but inputs sent back cost every
 * read a second copy of the resource, its serialized provider included, through the SDK's protobuf code and the
 * engine (in CPU profiles of a 1,000-share refresh, the provider's encoding of the answers took 134 ms with them, 109
 * without).
 */
export function refreshedInputs(state: LinkSettingsState, live: ShareLink, inputs: Props): Props | undefined {
  return settingsChangedSince(state, live).length > 0 ? inputs : undefined;
}
