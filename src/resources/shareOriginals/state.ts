import type { Props } from "../../provider/handler";
import { type OriginalSettings, originalsSchema } from "../common/originals";
import { storedOwner } from "../common/owner";

/** Version of this resource's state layout (2 records the `owner` it read the share as). */
export const SHARE_ORIGINALS_STATE_VERSION = 2;

/** The companion's state: the share, who read it, and its settings from before Pulumi first changed it. */
export type ShareOriginalsState = {
  stateVersion: typeof SHARE_ORIGINALS_STATE_VERSION;
  shareId: string;
  /** The declared `userId`, when there is one. */
  userId?: string;
  /** The user the share was read as; absent in state from before it was recorded. */
  owner?: string;
  /** Absent only in state that lost them (never written so): then there is nothing to report at delete. */
  originals?: OriginalSettings;
};

/**
 * Reads stored state of any version as the current layout. Version 1 did not record the `owner`: it is the declared
 * `userId` when there is one, else unknown (the configured user acts). Originals in no form this package writes are
 * dropped rather than trusted: they are only ever reported, never written.
 */
export function upgradeShareOriginalsState(props: Props): ShareOriginalsState {
  const owner = storedOwner(props);
  const originals = originalsSchema.safeParse(props.originals);
  return {
    stateVersion: SHARE_ORIGINALS_STATE_VERSION,
    shareId: String(props.shareId),
    ...(typeof props.userId === "string" ? { userId: props.userId } : {}),
    ...(owner === undefined ? {} : { owner }),
    ...(originals.success ? { originals: originals.data } : {}),
  };
}
