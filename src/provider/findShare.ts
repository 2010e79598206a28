import type { KooDriveClient } from "../client/koodriveClient";
import { KooDriveError } from "../client/koodriveError";
import type { ShareLink } from "../client/responses";

/**
 * The share as its owner sees it, or `undefined` when KooDrive says it does not exist or belongs to someone else
 * (both are `13000309`). The one place that turns "not found" into a value, for create, read and delete alike.
 */
export async function findShare(client: KooDriveClient, shareId: string): Promise<ShareLink | undefined> {
  try {
    return await client.getShare(shareId);
  } catch (e) {
    if (e instanceof KooDriveError && e.isNotFound) return undefined;
    throw e;
  }
}

/** The error for a share that must exist but does not: names the share and the user it was looked up as. */
export function shareNotFound(shareId: string, userId: string, consequence: string): Error {
  return new Error(`KooDrive share ${shareId} was not found, or is not owned by user ${userId}: ${consequence}`);
}
