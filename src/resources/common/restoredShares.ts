import type { KooDriveClient } from "../../client/koodriveClient";
import type { ShareLink } from "../../client/shareLink";
import type { OptionalSetting } from "./linkState";
import type { OriginalSettings } from "./originals";

/**
 * The shares this provider process put back to their original settings (or found holding them) in a destroy, as
 * KooDrive answered. The `-originals` companion's delete, which the engine runs right after the settings resource's,
 * takes that answer instead of reading the share again: one request less per restored share, which at 5 requests/s is
 * N/5 seconds of a destroy. Per client (one user at one endpoint), so another user's share of the same ID never
 * answers for it; each answer is taken once.
 */
const restored = new WeakMap<KooDriveClient, Map<string, Restored>>();

/** A share as a destroy's restore left it, and the settings it kept as they were (see `RestorePlan`). */
interface Restored {
  readonly share: ShareLink;
  readonly kept: readonly OptionalSetting[];
}

export function rememberRestored(client: KooDriveClient, shareId: string, share: ShareLink, kept: readonly OptionalSetting[]): void {
  const shares = restored.get(client) ?? new Map<string, Restored>();
  restored.set(client, shares);
  shares.set(shareId, { share, kept });
}

/**
 * What the restore in this process left, once; undefined when no restore here answered for it. Its `share` is
 * undefined when the answer does not show what the restore set: the comment (KooDrive's modify answer documents
 * none), and the access code when the originals have one. An absent field would read as a changed setting. (An absent
 * access code where the originals have none reads as "none", as the documented answer, which carries the code, means.
 * The expiry needs no check: a restore whose answer lacks the expiry it set has already read the share back.)
 */
export function takeRestored(
  client: KooDriveClient,
  shareId: string,
  originals: OriginalSettings,
): { share?: ShareLink; kept: readonly OptionalSetting[] } | undefined {
  const found = restored.get(client)?.get(shareId);
  restored.get(client)?.delete(shareId);
  if (found === undefined) return undefined;
  const { share, kept } = found;
  const shows = share.comment !== undefined && !(originals.extractCode && share.extractCode === undefined);
  return shows ? { share, kept } : { kept };
}

/**
 * The `KooDriveShareSettings` of this run that manage a share from now on, by share, with the originals each keeps
 * (none for `onDelete: "retain"`): one the program declares (its diff ran), or one created or updated in this run.
 * What is deleted in the same run then knows it has a successor: the settings resource being replaced (`up
 * --replace`) or renamed without `aliases` must not restore under it (and lists its originals when the successor
 * recorded others), and a replaced or renamed `-originals` companion (`up --replace`, `pulumi state rename`) forgets
 * nothing when the successor keeps originals. Keyed by `ProviderContext.shareKey` (endpoint, owner and share), so a
 * diff needs no client.
 */
const successors = new Map<string, Successor>();

export interface Successor {
  readonly originals?: OriginalSettings;
}

export function noteSuccessor(shareKey: string, originals: OriginalSettings | undefined): void {
  successors.set(shareKey, { originals });
}

export function successorInThisRun(shareKey: string): Successor | undefined {
  return successors.get(shareKey);
}

/**
 * What a `KooDriveShareSettings` deleted in this run put back (or found the share holding), by share
 * (`ProviderContext.shareKey`): its originals, and the share as the restore left it. A successor created after that
 * delete (a replacement with `deleteBeforeReplace`) had its companion read the share before or after the restore; read
 * before, what it records as the originals is Pulumi's settings, and it lists these, the only record of the true ones
 * left.
 */
const originalsRestored = new Map<string, RestoredHere>();

export interface RestoredHere {
  readonly originals: OriginalSettings;
  readonly share: ShareLink;
}

export function noteOriginalsRestored(shareKey: string, restored: RestoredHere): void {
  originalsRestored.set(shareKey, restored);
}

export function originalsRestoredInThisRun(shareKey: string): RestoredHere | undefined {
  return originalsRestored.get(shareKey);
}

/**
 * Forgets the successors and the restores of this run, as a new provider process starts: the engine starts one per
 * command. For tests that run a whole lifecycle (up, then destroy) in one process. (The answers kept for companions,
 * like a `KooDriveShare`'s cancel queues, are per client, and a new process has new clients.)
 */
export function startNewRun(): void {
  successors.clear();
  originalsRestored.clear();
}
