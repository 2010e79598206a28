import type { KooDriveClientEvent } from "../client/clientEvents";

/** Long waits shown one by one, per episode of waiting, before they are counted instead. */
const WAITS_SHOWN = 3;
/** How often the count of long waits not shown is printed, while there are any; a quiet spell this long ends an episode. */
const WAIT_DIGEST_INTERVAL_MS = 30_000;
/**
 * A digest for "every request reported waiting has been sent" comes no sooner than this after the last digest: a
 * listing's pages wait one at a time, and a digest at each would be a line per page again.
 */
const DRAINED_DIGEST_GAP_MS = 10_000;

/**
 * Prints the clients' events for the engine's output without flooding it. Every retry is shown: it is a failure the
 * user may need to act on. Long waits for the request budget are shown for the first {@link WAITS_SHOWN} requests of
 * an episode of waiting only; after that, one line every {@link WAIT_DIGEST_INTERVAL_MS}, one as soon as no request
 * reported waiting is still waiting (at most one per {@link DRAINED_DIGEST_GAP_MS}), and one when the process exits,
 * says how many more waited, how many of them
 * behind a `Retry-After` KooDrive asked for, and the latest budget. Under a throttle every request of a large stack
 * waits, and a line for each (hundreds in a CI log of 1,000 shares) hides the lines that matter; the digest still names
 * the budget, which says what `koodrive:requestsPerSecond` to set. The engine ends the provider process with a signal
 * when an operation is done, not an exit, so a run shorter than the interval relies on the digest when the waits are
 * over.
 */
export class EventPrinter {
  private waitsShown = 0;
  private waitsCounted = 0;
  private pausedWaitsCounted = 0;
  private lastWait: Extract<KooDriveClientEvent, { kind: "waiting" }> | undefined;
  private lastWaitAt = Number.NEGATIVE_INFINITY;
  private digestScheduled = false;
  /** Requests reported waiting (shown or counted) and not sent yet. */
  private stillWaiting = 0;
  private lastDigestAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly print: (line: string) => void,
    private readonly schedule: (run: () => void, ms: number) => void = (run, ms) => void setTimeout(run, ms).unref(),
    private readonly now: () => number = Date.now,
  ) {}

  /** A request reported by a `waiting` event has been sent (the client's `onLongWaitOver`). */
  waitOver(): void {
    this.stillWaiting = Math.max(0, this.stillWaiting - 1);
    if (this.stillWaiting === 0 && this.now() - this.lastDigestAt >= DRAINED_DIGEST_GAP_MS) this.flush();
  }

  handle(event: KooDriveClientEvent): void {
    if (event.kind !== "waiting") {
      this.print(event.message);
      return;
    }
    this.stillWaiting++;
    const at = this.now();
    if (at - this.lastWaitAt > WAIT_DIGEST_INTERVAL_MS) {
      this.flush();
      this.waitsShown = 0; // a new episode of waiting: its first waits are shown again
    }
    this.lastWaitAt = at;
    if (this.waitsShown < WAITS_SHOWN) {
      this.waitsShown++;
      this.print(event.message);
      if (this.waitsShown === WAITS_SHOWN) {
        this.print(
          `koodrive: more requests waiting for the request budget are counted, not listed: one line every ${WAIT_DIGEST_INTERVAL_MS / 1000} s and one when they have all been sent`,
        );
      }
      return;
    }
    this.waitsCounted++;
    if (/asked to wait/.test(event.reason)) this.pausedWaitsCounted++;
    this.lastWait = event;
    if (this.digestScheduled) return;
    this.digestScheduled = true;
    this.schedule(() => {
      this.digestScheduled = false;
      this.flush();
    }, WAIT_DIGEST_INTERVAL_MS);
  }

  /** Prints the waits counted and not yet reported, if any (also when the process exits). */
  flush(): void {
    if (this.waitsCounted === 0 || this.lastWait === undefined) return;
    const n = this.waitsCounted;
    const paused = this.pausedWaitsCounted > 0 ? ` (${this.pausedWaitsCounted} of them during a pause KooDrive asked for with Retry-After)` : "";
    this.print(
      `koodrive: ${n} more request${n === 1 ? "" : "s"} waited over ${Math.floor(this.lastWait.waitedMs / 1000)} s for the request budget${paused}; the latest: ${this.lastWait.reason}`,
    );
    this.waitsCounted = 0;
    this.pausedWaitsCounted = 0;
    this.lastDigestAt = this.now();
  }
}
