import type { KooDriveClient } from "../../client/koodriveClient";
import type { ShareLink } from "../../client/responses";

/**
 * The shares this provider process put back to their original settings (or found holding them) in a destroy, as
 * KooDrive answered. The `-originals` companion's delete, which the engine runs right after the settings resource's,
 * takes that answer instead of reading the share again: one request less per restored share, which at 5 requests/s is
 * N/5 seconds of a destroy. Per client (one user at one endpoint), so another user's share of the same ID never
 * answers for it; each answer is taken once.
 */
const restored = new WeakMap<KooDriveClient, Map<string, ShareLink>>();

export function rememberRestored(client: KooDriveClient, shareId: string, share: ShareLink): void {
  const shares = restored.get(client) ?? new Map<string, ShareLink>();
  restored.set(client, shares);
  shares.set(shareId, share);
}

/**
 * The share as the restore left it in this process, once; undefined when no restore here answered for it, or when
 * its answer does not show the comment and the access code (KooDrive's modify answer documents no comment, and a form
 * may leave a field out): an absent field would read as a changed setting. The expiry needs no such check: a restore
 * whose answer lacks the expiry it set has already read the share back.
 */
export function takeRestored(client: KooDriveClient, shareId: string): ShareLink | undefined {
  const share = restored.get(client)?.get(shareId);
  restored.get(client)?.delete(shareId);
  return share?.comment !== undefined && share.extractCode !== undefined ? share : undefined;
}
