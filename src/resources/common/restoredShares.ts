import type { KooDriveClient } from "../../client/koodriveClient";
import type { ShareLink } from "../../client/responses";
import type { OriginalSettings } from "./originals";

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
 * its answer does not show what the restore set: the comment (KooDrive's modify answer documents none), and the
 * access code when the originals have one. An absent field would read as a changed setting. (An absent access code
 * where the originals have none reads as "none", as the documented answer, which carries the code, means. The expiry
 * needs no check: a restore whose answer lacks the expiry it set has already read the share back.)
 */
export function takeRestored(client: KooDriveClient, shareId: string, originals: OriginalSettings): ShareLink | undefined {
  const share = restored.get(client)?.get(shareId);
  restored.get(client)?.delete(shareId);
  if (share?.comment === undefined) return undefined;
  return originals.extractCode && share.extractCode === undefined ? undefined : share;
}
