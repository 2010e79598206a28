import type { KooDriveClient } from "../../client/koodriveClient";
import { NOT_FOUND_CODE, outcomeUnknown } from "../../client/koodriveError";
import type { CancelResult } from "../../client/shareLink";
import { findShare } from "../../provider/findShare";

/** KooDrive's limit of share IDs per cancel call. */
const MAX_CANCEL_BATCH = 100;
/** How long a cancel waits for others to share its call: the engine deletes resources concurrently. */
const BATCH_WINDOW_MS = 10;

export type CancelOutcome = "cancelled" | "already gone";

interface Waiter {
  shareId: string;
  resolve: (outcome: CancelOutcome) => void;
  reject: (error: Error) => void;
  onRepeat?: (why: string) => void;
}

/**
 * Per client (one client per connection settings and user, so per owner): the cancels waiting for a call, and
 * whether a round of calls is out. One round is out at a time (every cancel waiting when it started, in calls of up to
 * 100 IDs side by side); cancels that arrive meanwhile go together in the next round.
 */
interface CancelQueue {
  waiting: Waiter[];
  busy: boolean;
}

const queues = new WeakMap<KooDriveClient, CancelQueue>();

/**
 * Whether an item's "not found" means the share was already gone. After a call whose answer was lost, "not found" in
 * the repeat's answer is most likely that call's doing: it counts as cancelled.
 */
function alreadyGone(item: CancelResult, afterLostAnswer: boolean): boolean {
  return item.code === NOT_FOUND_CODE && !afterLostAnswer && !item.afterUnknownAttempt;
}

/** One item's result as an outcome or an error naming the share and KooDrive's per-item code. */
function outcomeOf(shareId: string, item: CancelResult | undefined, afterLostAnswer: boolean): CancelOutcome | Error {
  if (item === undefined) return new Error(`KooDrive share ${shareId}: the cancel answer has no result for this share, so whether it stopped is unknown`);
  if (item.code === "0") return "cancelled";
  if (item.code === NOT_FOUND_CODE) return alreadyGone(item, afterLostAnswer) ? "already gone" : "cancelled";
  return new Error(`KooDrive share ${shareId} was not cancelled: KooDrive answered code ${item.code}${item.msg ? ` ("${item.msg}")` : ""} for it`);
}

/**
 * `POST /share/cancel` for up to 100 IDs. Cancel is idempotent (a repeat answers "not found"): the client retries its
 * server errors, timeouts and resets as for a PUT (`maxRetries` times, each retry printed). What it does not retry is
 * asked again here: an answer that arrived unusable (cut short, garbled), up to `maxRetries` times, and with
 * `maxRetries` 0 any failure that may have cancelled, once, so a lost answer is never taken for a failed cancel.
 * `afterLostAnswer` says the results are a repeat's.
 */
async function sendCancel(
  client: KooDriveClient,
  shareIds: string[],
  onRepeat: (why: string) => void,
): Promise<{ results: CancelResult[]; afterLostAnswer: boolean }> {
  for (let repeats = 0; ; repeats++) {
    try {
      return { results: await client.cancelShares(shareIds), afterLostAnswer: repeats > 0 };
    } catch (error) {
      const notRetriedByTheClient = outcomeUnknown(error) && (error.kind === "invalid-response" || client.retryLimit === 0);
      if (!notRetriedByTheClient || repeats >= Math.max(1, client.retryLimit)) throw error;
      // Said, as the client says its own retries: a run that repeats a call should not look like one that sent it once.
      onRepeat(error.kind === "invalid-response" ? "arrived unusable (cut short or garbled)" : `was lost (${error.kind})`);
    }
  }
}

/** Sends one call for the waiting cancels (at most 100 IDs) and hands each waiter the result for its own ID. */
async function sendBatch(client: KooDriveClient, waiters: Waiter[]): Promise<void> {
  const ids = [...new Set(waiters.map((w) => w.shareId))];
  let results: CancelResult[];
  let afterLostAnswer: boolean;
  try {
    ({ results, afterLostAnswer } = await sendCancel(client, ids, (why) => {
      for (const w of waiters) w.onRepeat?.(why);
    }));
  } catch (error) {
    for (const w of waiters) w.reject(error as Error);
    return;
  }
  const byId = new Map(results.filter((r) => r.shareId !== undefined).map((r) => [r.shareId!, r]));
  // An answer without IDs can still be read when it is about one share only.
  const single = ids.length === 1 && results.length === 1 && results[0]!.shareId === undefined ? results[0] : undefined;
  const named = results.some((r) => r.shareId !== undefined);
  const unnamed = named ? [] : waiters.filter((w) => (byId.get(w.shareId) ?? single) === undefined).map((w) => w.shareId);
  const settled =
    unnamed.length === 0 ? new Map<string, CancelOutcome | Error>() : await settleUnnamed(client, [...new Set(unnamed)], results, ids.length, afterLostAnswer);
  for (const w of waiters) {
    const outcome = settled.get(w.shareId) ?? outcomeOf(w.shareId, byId.get(w.shareId) ?? single, afterLostAnswer);
    if (outcome instanceof Error) w.reject(outcome);
    else w.resolve(outcome);
  }
}

/**
 * Outcomes for shares whose results name no share (the enterprise table's ShareSubResponse has no `shareId`): with
 * one result per ID, all of them done (cancelled or not found), every share is done: already gone when every result
 * means already gone (see `alreadyGone`), cancelled otherwise (which of them were gone, the answer does not say).
 * Otherwise the shares are read back one at a time (a degenerate answer should not turn into a burst of reads under
 * a quota): one KooDrive no longer has is cancelled, and once as many are found still there as results refused, the
 * rest are cancelled.
 */
async function settleUnnamed(
  client: KooDriveClient,
  shareIds: string[],
  results: CancelResult[],
  idCount: number,
  afterLostAnswer: boolean,
): Promise<Map<string, CancelOutcome | Error>> {
  const outcomes = new Map<string, CancelOutcome | Error>();
  const refused = results.filter((r) => r.code !== "0" && r.code !== NOT_FOUND_CODE);
  const oneEach = results.length === idCount;
  if (oneEach && refused.length === 0) {
    const allGone = results.every((r) => alreadyGone(r, afterLostAnswer));
    for (const id of shareIds) outcomes.set(id, allGone ? "already gone" : "cancelled");
    return outcomes;
  }
  const counts = new Map<string, number>();
  for (const r of refused) counts.set(r.code, (counts.get(r.code) ?? 0) + 1);
  const codes = [...counts].map(([code, n]) => `code ${code} ×${n}`).join(", ");
  const why = `the cancel answer named no share${codes ? ` and refused ${refused.length} (${codes})` : ` and had ${results.length} results for ${idCount} shares`}`;
  let stillThere = 0;
  for (const id of shareIds) {
    if (oneEach && stillThere === refused.length) {
      outcomes.set(id, "cancelled");
      continue;
    }
    try {
      const live = await findShare(client, id);
      if (live === undefined) outcomes.set(id, "cancelled");
      else {
        stillThere += 1;
        outcomes.set(id, new Error(`KooDrive share ${id} was not cancelled: ${why}, and this share, read back, is still there`));
      }
    } catch (error) {
      outcomes.set(id, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return outcomes;
}

/**
 * Stops sharing one share with `POST /share/cancel`, reading its per-item result: success and "already gone" both
 * mean done; any other per-item code is an error naming it. The engine deletes resources concurrently, so cancels of
 * the same owner share calls of up to 100 IDs, each caller getting the result for its own share: the first waits
 * 10 ms for others, and while a call is out (waiting in a throttled request budget, say) the cancels that arrive go
 * together in the next one: the engine starts deletes one after another as it records finished ones, and sent as
 * they came, a destroy of 200 shares under a quota of 5 requests/s made 202 calls in 49 s (now 63 calls, 16 s).
 * `onRepeat(why)` is told each time the call carrying this share is sent again after an answer it could not use.
 */
export function cancelShare(client: KooDriveClient, shareId: string, onRepeat?: (why: string) => void): Promise<CancelOutcome> {
  return new Promise((resolve, reject) => {
    let queue = queues.get(client);
    if (queue === undefined) {
      queue = { waiting: [], busy: false };
      queues.set(client, queue);
    }
    queue.waiting.push({ shareId, resolve, reject, onRepeat });
    if (!queue.busy) {
      queue.busy = true;
      const started = queue;
      setTimeout(() => void sendWaiting(client, started), BATCH_WINDOW_MS);
    }
  });
}

/** Sends every waiting cancel (calls of at most 100 IDs, side by side), then those that arrived meanwhile, until none wait. */
async function sendWaiting(client: KooDriveClient, queue: CancelQueue): Promise<void> {
  try {
    while (queue.waiting.length > 0) {
      const waiting = queue.waiting.splice(0);
      const calls: Promise<void>[] = [];
      for (let i = 0; i < waiting.length; i += MAX_CANCEL_BATCH) {
        const batch = waiting.slice(i, i + MAX_CANCEL_BATCH);
        // `sendBatch` settles its waiters itself; should it throw (a bug), they fail with it instead of waiting forever.
        calls.push(
          sendBatch(client, batch).catch((e: unknown) => {
            for (const w of batch) w.reject(e instanceof Error ? e : new Error(String(e)));
          }),
        );
      }
      await Promise.all(calls);
    }
  } finally {
    queue.busy = false;
  }
}
