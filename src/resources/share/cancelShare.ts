import type { KooDriveClient } from "../../client/koodriveClient";
import { outcomeUnknown } from "../../provider/applySettings";

/** Per-item code of a share that does not exist (any more) or is not the user's: KooDrive's "resource not found". */
const ALREADY_GONE = "13000309";

/**
 * Stops sharing one share with `POST /share/cancel`, reading its per-item result: success and "already gone" both
 * mean done; any other per-item code is an error naming it. Cancel is idempotent (a repeat answers "already gone"),
 * so an answer that is lost is simply asked for once more.
 */
export async function cancelShare(client: KooDriveClient, shareId: string): Promise<"cancelled" | "already gone"> {
  let results;
  try {
    results = await client.cancelShares([shareId]);
  } catch (error) {
    if (!outcomeUnknown(error)) throw error;
    results = await client.cancelShares([shareId]);
  }
  const item = results.find((r) => r.shareId === shareId) ?? (results.length === 1 && results[0]!.shareId === undefined ? results[0] : undefined);
  if (item === undefined) throw new Error(`KooDrive share ${shareId}: the cancel answer has no result for this share, so whether it stopped is unknown`);
  if (item.code === "0") return "cancelled";
  if (item.code === ALREADY_GONE) return "already gone";
  throw new Error(`KooDrive share ${shareId} was not cancelled: KooDrive answered code ${item.code}${item.msg ? ` ("${item.msg}")` : ""} for it`);
}
