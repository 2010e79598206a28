import type { KooDriveClient } from "../client/koodriveClient";
import type { ShareLink } from "../client/shareLink";
import { sharePages } from "../client/sharePages";
import { findShare } from "./findShare";
import { monotonicNow } from "../time/monotonicClock";

/** How refresh reads shares: one GET each, or the owner's whole list in pages of 100 (see the README, "Refresh"). */
export const REFRESH_STRATEGIES = ["auto", "get", "list"] as const;
export type RefreshStrategy = (typeof REFRESH_STRATEGIES)[number];

/** `auto` reads this many shares of one owner with GET before it lists that owner's shares instead. */
export const AUTO_LIST_AFTER_READS = 5;
/**
 * `auto` counts the reads that arrive this soon after the first before choosing: the engine sends a refresh's first
 * reads together (up to `--parallel`), so a large refresh lists from its first request instead of spending
 * {@link AUTO_LIST_AFTER_READS} GETs first, which under a 5 requests/s quota cost a whole second.
 */
const AUTO_GATHER_MS = 25;
/** A completed listing serves reads for this long; a refresh run reads everything well within it. */
const LISTING_TTL_MS = 60_000;

type Waiter = { resolve: (share: ShareLink | undefined) => void; reject: (error: unknown) => void };

/**
 * One paged listing of an owner's shares that answers each read as soon as the share's page arrives, not when the
 * last page does. The engine refreshes resources in state order, a few at a time (`--parallel`), and a stack's shares
 * are usually in the order they were made, so the listing runs oldest first: under a 5 requests/s quota, 1,000
 * shares take ten pages over two seconds, and the engine works through the first pages' reads meanwhile.
 */
class StreamedListing {
  private readonly shares = new Map<string, ShareLink>();
  private readonly waiting = new Map<string, Waiter[]>();
  /** The cursor of the page to read next: where a listing that failed resumes. */
  private cursor: string | undefined;
  private outcome: { failed: false; at: number } | { failed: true; at: number; error: unknown } | undefined;

  /** `resume`: a listing that failed; this one keeps the shares it read and goes on from the page that failed. */
  constructor(
    client: KooDriveClient,
    private readonly now: () => number,
    resume?: StreamedListing,
  ) {
    if (resume !== undefined) {
      for (const [id, share] of resume.shares) this.shares.set(id, share);
      this.cursor = resume.cursor;
    }
    void this.run(client);
  }

  /**
   * What a read does with this listing: `use` it (running, or completed within the TTL); `resume` it (it failed: a
   * throttle that outlasted the retry timeout should not cost the pages already read); or list `afresh`.
   */
  next(): "use" | "resume" | "afresh" {
    if (this.outcome === undefined) return "use";
    if (this.now() - this.outcome.at > LISTING_TTL_MS) return "afresh";
    return this.outcome.failed ? "resume" : "use";
  }

  /** The share, or undefined when the whole listing is read and it is not in it. */
  find(shareId: string): Promise<ShareLink | undefined> {
    const share = this.shares.get(shareId);
    if (share !== undefined) return Promise.resolve(share);
    if (this.outcome?.failed === false) return Promise.resolve(undefined);
    if (this.outcome?.failed === true) return Promise.reject(this.outcome.error);
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(shareId) ?? [];
      waiters.push({ resolve, reject });
      this.waiting.set(shareId, waiters);
    });
  }

  private async run(client: KooDriveClient): Promise<void> {
    try {
      for await (const page of sharePages(client, "oldestFirst", this.cursor)) {
        for (const share of page.shares) {
          if (this.shares.has(share.shareId)) continue; // read before a resumed page: the first time counts
          this.shares.set(share.shareId, share);
          for (const waiter of this.waiting.get(share.shareId) ?? []) waiter.resolve(share);
          this.waiting.delete(share.shareId);
        }
        this.cursor = page.nextCursor;
      }
      this.outcome = { failed: false, at: this.now() };
      for (const waiters of this.waiting.values()) for (const waiter of waiters) waiter.resolve(undefined);
    } catch (error) {
      this.outcome = { failed: true, at: this.now(), error };
      for (const waiters of this.waiting.values()) for (const waiter of waiters) waiter.reject(error);
    }
    this.waiting.clear();
  }
}

/**
 * Reads shares for refresh. Every resource's `read` runs in the same provider process, so reads of one owner can
 * share one listing: 1,000 managed shares cost ⌈S/100⌉ list pages instead of 1,000 GETs. A share missing from the
 * listing is confirmed with a GET before it is reported gone (listings may lag a write).
 */
export class ShareReader {
  private reads = 0;
  private gathering: Promise<void> | undefined;
  private gathered = false;
  private listing: StreamedListing | undefined;

  constructor(
    private readonly client: KooDriveClient,
    private readonly strategy: RefreshStrategy,
    /** The clock a listing's age is read on. */
    private readonly now: () => number = monotonicNow,
  ) {}

  async read(shareId: string): Promise<ShareLink | undefined> {
    this.reads += 1;
    if (this.strategy === "auto" && !this.gathered) {
      this.gathering ??= new Promise((resolve) =>
        setTimeout(() => {
          this.gathered = true;
          resolve();
        }, AUTO_GATHER_MS),
      );
      await this.gathering;
    }
    const useList = this.strategy === "list" || (this.strategy === "auto" && this.reads > AUTO_LIST_AFTER_READS);
    if (!useList) return findShare(this.client, shareId);
    const found = await this.currentListing().find(shareId);
    return found ?? findShare(this.client, shareId);
  }

  private currentListing(): StreamedListing {
    const current = this.listing;
    const next = current?.next() ?? "afresh";
    if (current !== undefined && next === "use") return current;
    this.listing = new StreamedListing(this.client, this.now, next === "resume" ? current : undefined);
    return this.listing;
  }
}

const readers = new WeakMap<KooDriveClient, Map<RefreshStrategy, ShareReader>>();

/**
 * The process-wide reader for a client (one per owner and connection settings) and strategy: two providers that
 * differ only in `refreshStrategy` each read their own way.
 */
export function shareReaderFor(client: KooDriveClient, strategy: RefreshStrategy): ShareReader {
  let byStrategy = readers.get(client);
  if (byStrategy === undefined) {
    byStrategy = new Map();
    readers.set(client, byStrategy);
  }
  let reader = byStrategy.get(strategy);
  if (reader === undefined) {
    reader = new ShareReader(client, strategy);
    byStrategy.set(strategy, reader);
  }
  return reader;
}
