import type { KooDriveClientEvent } from "../client/clientEvents";

/** Long waits shown one by one before they are counted instead. */
const WAITS_SHOWN = 3;
/** How often the count of long waits not shown is printed, while there are any. */
const WAIT_DIGEST_INTERVAL_MS = 30_000;

/**
 * Prints the clients' events for the engine's output without flooding it. Every retry is shown: it is a failure the
 * user may need to act on. Long waits for the request budget are shown for the first {@link WAITS_SHOWN} requests
 * only; after that, one line every {@link WAIT_DIGEST_INTERVAL_MS} says how many more waited and why. Under a
 * throttle every request of a large stack waits, and a line for each (hundreds in a CI log of 1,000 shares) hides
 * the lines that matter; the digest still names the budget, which says what `koodrive:requestsPerSecond` to set.
 */
export class EventPrinter {
  private waitsShown = 0;
  private waitsCounted = 0;
  private lastWait: KooDriveClientEvent | undefined;
  private digestScheduled = false;

  constructor(
    private readonly print: (line: string) => void,
    private readonly schedule: (run: () => void, ms: number) => void = (run, ms) => void setTimeout(run, ms).unref(),
  ) {}

  handle(event: KooDriveClientEvent): void {
    if (event.kind !== "waiting" || this.waitsShown < WAITS_SHOWN) {
      if (event.kind === "waiting") this.waitsShown++;
      this.print(event.message);
      if (event.kind === "waiting" && this.waitsShown === WAITS_SHOWN) {
        this.print(`koodrive: more requests waiting for the request budget are counted, not listed: one line every ${WAIT_DIGEST_INTERVAL_MS / 1000} s`);
      }
      return;
    }
    this.waitsCounted++;
    this.lastWait = event;
    if (this.digestScheduled) return;
    this.digestScheduled = true;
    this.schedule(() => this.printDigest(), WAIT_DIGEST_INTERVAL_MS);
  }

  private printDigest(): void {
    this.digestScheduled = false;
    if (this.waitsCounted === 0 || this.lastWait?.kind !== "waiting") return;
    this.print(
      `koodrive: ${this.waitsCounted} more request${this.waitsCounted === 1 ? "" : "s"} waited over ${Math.floor(this.lastWait.waitedMs / 1000)} s for the request budget in the last ${WAIT_DIGEST_INTERVAL_MS / 1000} s; the latest: ${this.lastWait.reason}`,
    );
    this.waitsCounted = 0;
  }
}
