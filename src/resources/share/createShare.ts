import { type CreateShareBody, type KooDriveClient, createContradictions } from "../../client/koodriveClient";
import { type ShareLink, sharedAt } from "../../client/shareLink";
import { KooDriveError, outcomeUnknown } from "../../client/koodriveError";
import { CLOCK_TOLERANCE_MS, expiryFitsWrite, parseKooDriveTime } from "../../time/koodriveTime";
import { listAllShares } from "../../client/sharePages";

/** What a create ended with: the share, and how it was had when the POST's answer was lost. */
export interface CreatedShare {
  share: ShareLink;
  /** Set when the POST's answer was lost and the share it made was found by listing the user's shares. */
  reconciledAfter?: string;
  /** Set when the POST's answer was lost, no listing showed a share it made, and a second POST made this one. */
  resentAfter?: string;
}

/** Whether a listed share is the one a lost create made: "cannot tell" when the listing leaves out what would say. */
export type CreateMatch = "made" | "not made" | "cannot tell";

/**
 * Whether a listed share could be the one a POST of `body`, sent at `sentAtMs` (on KooDrive's clock), made. KooDrive takes no
 * client-chosen marker, so this compares everything the POST decided: space, scope, message, access code (when one
 * was sent), the files (when the list shows them), a share time no earlier than the send (less `sendToleranceMs`),
 * and an expiry `validDays` after that share time. A share time or an expiry in no documented form (or no share
 * time) cannot place the share: "cannot tell", which the caller must not guess either way (adopting might take
 * another share; a second POST might make a duplicate).
 */
export function madeByCreate(
  item: ShareLink,
  body: CreateShareBody,
  sentAtMs: number,
  sendToleranceMs = CLOCK_TOLERANCE_MS,
  listedAtMs = sentAtMs + CLOCK_TOLERANCE_MS,
): CreateMatch {
  // A listing always shows the space and the message (an empty one may be left out).
  if (item.containerId !== body.containerId || (item.comment ?? "") !== (body.comment ?? "")) return "not made";
  if (createContradictions(item, body).length > 0) return "not made";
  if (body.extractCode !== undefined && item.extractCode !== body.extractCode) return "not made";
  const shared = parseKooDriveTime(sharedAt(item));
  const expiry = parseKooDriveTime(item.expireTime);
  if (shared.kind !== "time") {
    // Without a share time, an expiry that no write between the send and the listing gives still rules it out.
    if (expiry.kind === "time" && !expiryFitsWrite(expiry.ms, body.validDays, sentAtMs - sendToleranceMs, listedAtMs, 0)) return "not made";
    return "cannot tell";
  }
  if (shared.ms < sentAtMs - sendToleranceMs) return "not made";
  // A listing that shows no expiry cannot tell: rejecting the share the POST made would send a second POST.
  if (expiry.kind === "none") return "made";
  if (expiry.kind === "unreadable") return "cannot tell";
  // Exact arithmetic, as the API documents: a slack for a KooDrive that might round up would take a share of
  // validDays + 1 (another stack's, a person's, or another lost create's) for this create's.
  return expiryFitsWrite(expiry.ms, body.validDays, shared.ms, shared.ms, 0) ? "made" : "not made";
}

/**
 * The error for a lost create answer that listing cannot settle: names the candidates, never guesses. `othersLost`:
 * how many other creates to the same space lost their answers too, with other bodies the listing cannot tell apart.
 */
function ambiguous(candidates: ShareLink[], cause: string, othersLost = 0, unplaced = false): Error {
  const others =
    othersLost === 0
      ? ""
      : ` (so did ${othersLost} other create(s) of this run in the same space, which the list cannot tell apart from it: it does not show the files)`;
  // The next `up` creates this resource's share afresh: a candidate left alone stays a live link no resource manages.
  const fix =
    othersLost === 0
      ? "Before `pulumi up` runs again (it makes a new share), cancel the share(s) you do not want, or keep one and declare it with KooDriveShareSettings: otherwise they stay live links that no resource manages."
      : "Those creates may have recorded their shares, or failed like this one and recorded none. Any of these shares that no resource of the stack records after this run is a live link no resource manages: before `pulumi up` runs again (it makes new shares), cancel it or declare it with KooDriveShareSettings.";
  return new Error(
    `the answer to the share create was lost (${cause})${others} and ${candidates.length} of the user's shares match what it sent: ` +
      `${candidates.map((s) => s.shareId).join(", ")}${unplaced ? " (the listing does not show when they were made: no readable share time, or an expiry in no documented form)" : ""}. ` +
      `Refusing to guess which one it made; nothing was recorded in the stack for it. ${fix}`,
  );
}

/**
 * How much earlier than the send, on KooDrive's clock as learned from its `Date` headers, a share it made may be
 * stamped: `Date` has one-second resolution and may come from a front end whose clock is not the one that stamps
 * `shareTime`. Without a learned clock the send is on the local clock, and the wide clock tolerance applies. The
 * narrower the window, the less an identical share made shortly before (by hand, or by an earlier run) can be taken
 * for this create's.
 */
export const SEND_TOLERANCE_MS = 60_000;

/** Waits between listings when a lost create's share is not listed yet: listings may lag a write. */
const RELIST_DELAYS_MS: readonly number[] = [1_000, 2_000];

/** Test seams for {@link createShareReconciled}; production uses the defaults. */
interface ReconcileOptions {
  /** Waits before each listing after the first, while no listed share matches. Default {@link RELIST_DELAYS_MS}. */
  relistDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

/**
 * `POST /share`, which KooDrive does not make idempotent, without leaving an orphan or a duplicate when its answer
 * is lost (timeout, reset after sending, truncated body, 5xx): the POST is never repeated blindly. The user's shares
 * are listed (every page) and the one this create made is adopted; if several match, it fails naming them. Creates
 * to the same space of this run whose answers were lost too share out the matches when they sent the same body (the
 * shares are interchangeable); when they sent other bodies that the listing cannot tell apart (it does not show the
 * files), it fails rather than take a share another one may have made.
 * `shares` are the owner's shares, POSTs and reconciliations in this process (see {@link OwnerShares}).
 *
 * The send time is taken on KooDrive's clock (the offset the client learned from its `Date` headers, also used to sign
 * `X-Date`), so a local clock ahead of KooDrive's cannot make the share it made look older than the send.
 *
 * A listing may lag the write (eventual consistency). While nothing matches, the shares are listed again after each
 * of `relistDelaysMs` (1 s, then 2 s); only if the last listing still shows no match is the POST sent again
 * (reconciled the same way, up to `maxRetries` times, at least once). Remaining risk: a listing that lags longer than
 * that (about 3 s) makes a resend create a duplicate of a share an earlier POST made; the next lost answer's
 * listing, or `listShares`, shows it.
 */
export async function createShareReconciled(
  client: KooDriveClient,
  body: CreateShareBody,
  shares: OwnerShares,
  options: ReconcileOptions = {},
): Promise<CreatedShare> {
  const relistDelays = options.relistDelaysMs ?? RELIST_DELAYS_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // Read only after the answers that follow: the first request's offset is learned from its own answer (or listing's).
  const sentAt = client.markServerTime();
  const create: PendingCreate = { body, sentAt };
  let lastCause = "";
  // Whether KooDrive answered a POST with success, in a form that could not be used: then it did make a share.
  let answered = false;
  // Each resend follows listings that show no share this create made, so it is as safe as the first: as many as
  // `maxRetries` allows, and one with `maxRetries` 0 (a lost answer is not a failed create).
  const attempts = 1 + Math.max(1, client.retryLimit);
  try {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const share = await shares.post(create, () => client.createShare(body));
        return lastCause === "" ? { share } : { share, resentAfter: lastCause };
      } catch (error) {
        if (!outcomeUnknown(error)) throw error;
        lastCause = error instanceof Error ? error.message : String(error);
        answered ||= error instanceof KooDriveError && error.kind === "invalid-response" && (error.status ?? 0) >= 200 && (error.status ?? 0) < 300;
        const found = await shares.reconcile(body.containerId, () => claimFromListing(client, create, shares, lastCause, relistDelays, sleep));
        if (found !== undefined) return { share: found, reconciledAfter: lastCause };
      }
    }
  } finally {
    shares.settled(create);
  }
  throw new Error(
    `the share create failed ${attempts} times without a usable answer (the last: ${lastCause}), and listing the user's shares found no share it made; ` +
      (answered
        ? `but KooDrive answered a POST with success, so it made a share the listing does not show as sent: check the user's shares in space ${body.containerId} (listShares) before running \`pulumi up\` again`
        : "nothing was created"),
  );
}

/**
 * The share a lost create (`create`, whose answer was lost with `cause`) made, claimed for it; undefined when no
 * listing shows one. Lists the user's shares, and again after each of `relistDelays` while none matches. Fails naming
 * the candidates when more match than this create and the identical lost ones can account for, or when one may be
 * the share of a lost create that sent another body. Runs inside {@link OwnerShares.reconcile}.
 */
async function claimFromListing(
  client: KooDriveClient,
  create: PendingCreate,
  shares: OwnerShares,
  cause: string,
  relistDelays: readonly number[],
  sleep: (ms: number) => Promise<void>,
): Promise<ShareLink | undefined> {
  let uncertain: ShareLink[] = [];
  for (let listing = 0; listing <= relistDelays.length; listing++) {
    if (listing > 0) await sleep(relistDelays[listing - 1]!);
    const listed = await listOrExplain(client, create.body, cause);
    const tolerance = client.serverTimeKnown() ? SEND_TOLERANCE_MS : CLOCK_TOLERANCE_MS;
    const listedAt = client.markServerTime()();
    const verdicts = listed
      .filter((item) => !shares.owned.has(item.shareId))
      .map((item) => ({ item, match: madeByCreate(item, create.body, create.sentAt(), tolerance, listedAt) }));
    const candidates = verdicts.filter((v) => v.match === "made").map((v) => v.item);
    uncertain = verdicts.filter((v) => v.match === "cannot tell").map((v) => v.item);
    // Other creates to this space whose answers were lost too, and that have not found their shares yet: one that
    // sent the same body made an interchangeable share; one that sent another body may have made a candidate the
    // listing cannot tell from ours (it does not show the files), which is not ours to take.
    const { alike, unlike } = shares.lostBesides(create);
    const theirs = candidates.filter((item) => unlike.some((other) => madeByCreate(item, other.body, other.sentAt(), tolerance) !== "not made"));
    if (theirs.length > 0) throw ambiguous(candidates, cause, unlike.length);
    if (candidates.length > 1 + alike.length) throw ambiguous(candidates, cause);
    if (candidates.length > 0) {
      // Claimed in the same step as the filter: no other create can adopt it or be answered with it afterwards.
      shares.owned.add(candidates[0]!.shareId);
      shares.adoptedFromListing.add(candidates[0]!.shareId);
      return candidates[0]!;
    }
  }
  // A share the listing cannot place (no readable share time or expiry) may be the one the POST made: a second POST
  // would then make a duplicate, and adopting it might take another share.
  if (uncertain.length > 0) throw ambiguous(uncertain, cause, 0, true);
  return undefined;
}

/** A create as {@link OwnerShares} tracks it, from its POST until it has its share: what it sent, and when (on KooDrive's clock). */
interface PendingCreate {
  readonly body: CreateShareBody;
  readonly sentAt: () => number;
}

/** What decides a share's identity in a create body, in one comparable form (file order does not matter). */
function createIdentityKey(body: CreateShareBody): string {
  return JSON.stringify([body.scope, [...body.fileIds].sort(), body.containerId, body.validDays, body.extractCode ?? null, body.comment ?? ""]);
}

/**
 * One owner's shares as this provider process knows them while it creates some: the shares its resources hold, the
 * POSTs whose answers are awaited, and the reconciliation of a lost create under way, per space (`containerId`).
 * Several `KooDriveShare`s created in one `up`, identical or not, must each end up with their own share. A lost
 * create reconciles alone in its space: it first waits for the answers of the POSTs to that space already in flight
 * (their shares are owned once answered), and POSTs to that space that start meanwhile wait until it has listed and
 * claimed, so no share it lists can belong to a create it does not know about. (Per space rather than per identical
 * body: the listing does not always show what would tell two creates apart, such as the files or the access code.)
 */
export class OwnerShares {
  /** Share IDs resources of this process hold (created, adopted, read or updated here): never adopted by a lost create. */
  readonly owned = new Set<string>();
  /**
   * Of those, the ones a lost create took from a listing. Such a share may be another resource's, identical (after a
   * rename without aliases, the old name's): that resource's delete must then leave it to the one that took it.
   */
  readonly adoptedFromListing = new Set<string>();
  /** POSTs sent and not answered yet, with their space. */
  private readonly posting = new Map<Promise<unknown>, string>();
  /** Per space: the lost create's reconciliation under way. */
  private readonly reconciling = new Map<string, Promise<unknown>>();
  /** Creates whose answer was lost and that have not found (or given up on) their share yet. */
  private readonly lost = new Set<PendingCreate>();

  /**
   * Sends `create`'s POST once no reconciliation runs in its space; its share is owned as soon as it is answered.
   * When the answer is lost, the create counts as lost (see {@link lostBesides}) from that moment, before any other
   * reconciliation can list, until {@link settled}.
   */
  async post(create: PendingCreate, send: () => Promise<ShareLink>): Promise<ShareLink> {
    const containerId = create.body.containerId;
    // No await between the last look and the send: a reconciliation that starts later sees this POST in flight.
    for (let running = this.reconciling.get(containerId); running !== undefined; running = this.reconciling.get(containerId)) {
      await running.catch(() => undefined);
    }
    const sent = send();
    this.posting.set(sent, containerId);
    try {
      const share = await sent;
      if (this.owned.has(share.shareId)) {
        throw new Error(`KooDrive answered a share create with share ${share.shareId}, which another resource of this run already holds; nothing was recorded`);
      }
      this.owned.add(share.shareId);
      return share;
    } catch (error) {
      if (outcomeUnknown(error)) this.lost.add(create);
      throw error;
    } finally {
      this.posting.delete(sent);
    }
  }

  /** The other lost creates in `create`'s space: those that sent the same body, and those that sent another. */
  lostBesides(create: PendingCreate): { alike: PendingCreate[]; unlike: PendingCreate[] } {
    const same = createIdentityKey(create.body);
    const others = [...this.lost].filter((other) => other !== create && other.body.containerId === create.body.containerId);
    return {
      alike: others.filter((other) => createIdentityKey(other.body) === same),
      unlike: others.filter((other) => createIdentityKey(other.body) !== same),
    };
  }

  /** `create` has its share, or has given up: it no longer counts as lost. */
  settled(create: PendingCreate): void {
    this.lost.delete(create);
  }

  /**
   * Runs `search` (list, match, claim) for a lost create in `containerId`: alone there, after every POST to it in
   * flight has its answer, and with new POSTs to it held back until it ends. Waits are bounded by the client's
   * timeouts; nothing waits in a cycle (a POST in flight never waits for a reconciliation).
   */
  async reconcile<T>(containerId: string, search: () => Promise<T>): Promise<T> {
    for (let running = this.reconciling.get(containerId); running !== undefined; running = this.reconciling.get(containerId)) {
      await running.catch(() => undefined);
    }
    const run = (async () => {
      for (;;) {
        const inFlight = [...this.posting].filter(([, space]) => space === containerId).map(([sent]) => sent);
        if (inFlight.length === 0) break;
        await Promise.allSettled(inFlight);
      }
      return search();
    })();
    this.reconciling.set(containerId, run);
    try {
      return await run;
    } finally {
      this.reconciling.delete(containerId);
    }
  }
}

/** Every share of the user; a failed listing fails the create saying a share may exist and where to look. */
async function listOrExplain(client: KooDriveClient, body: CreateShareBody, cause: string): Promise<ShareLink[]> {
  try {
    return await listAllShares(client);
  } catch (listError) {
    throw new Error(
      `the answer to the share create was lost (${cause}) and listing the user's shares to find out whether it was made failed too ` +
        `(${listError instanceof Error ? listError.message : String(listError)}). A share may have been created: check the user's shares in space ${body.containerId} before running \`pulumi up\` again.`,
    );
  }
}
