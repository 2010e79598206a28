import type { KooDriveClient } from "../client/koodriveClient";
import { KooDriveError } from "../client/koodriveError";
import type { ShareLink } from "../client/shareLink";

/**
 * What a call about one share returns, or `undefined` when KooDrive says the share does not exist or belongs to
 * someone else (both are `13000309`). The one place that turns "not found" into a value, for create, read, update
 * and delete alike; every other error stays an error.
 */
export async function orNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof KooDriveError && e.isNotFound) return undefined;
    throw e;
  }
}

/** The share as its owner sees it, or `undefined` when it does not exist or is not the owner's. */
export function findShare(client: KooDriveClient, shareId: string): Promise<ShareLink | undefined> {
  return orNotFound(client.getShare(shareId));
}

/** What an adoption of a share that is missing, or not the user's, tells the user: both adopting resources say it. */
export const ADOPTION_NEEDS_SHARE = "a share must exist before its settings can be managed (nothing was changed)";

/** The error for a share that must exist but does not: names the share and the user it was looked up as. */
export function shareNotFound(shareId: string, userId: string, consequence: string): Error {
  return new Error(`KooDrive share ${shareId} was not found, or is not owned by user ${userId}: ${consequence}`);
}
