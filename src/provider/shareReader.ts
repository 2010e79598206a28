import type { KooDriveClient } from "../client/koodriveClient";
import type { ShareLink } from "../client/responses";
import { listAllShares } from "../resources/common/listAllShares";
import { findShare } from "./findShare";

/** How refresh reads shares: one GET each, or the owner's whole list in pages of 100 (see the README, "Refresh"). */
export type RefreshStrategy = "auto" | "get" | "list";
export const REFRESH_STRATEGIES: readonly RefreshStrategy[] = ["auto", "get", "list"];

/** `auto` reads this many shares of one owner with GET before it lists that owner's shares instead. */
export const AUTO_LIST_AFTER_READS = 5;
/**
 * `auto` counts the reads that arrive this soon after the first before choosing: the engine sends a refresh's first
 * reads together (up to `--parallel`), so a large refresh lists from its first request instead of spending
 * {@link AUTO_LIST_AFTER_READS} GETs first, which under a 5 requests/s quota cost a whole second.
 */
export const AUTO_GATHER_MS = 25;
/** A listing serves reads for this long; a refresh run reads everything well within it. */
const LISTING_TTL_MS = 60_000;

/**
 * Reads shares for refresh. Every resource's `read` runs in the same provider process, so reads of one owner can
 * share one listing: 1,000 managed shares cost ⌈S/100⌉ list pages instead of 1,000 GETs. A share missing from the
 * listing is confirmed with a GET before it is reported gone (listings may lag a write).
 */
export class ShareReader {
  private reads = 0;
  private gathering: Promise<void> | undefined;
  private gathered = false;
  private listing: { at: number; shares: Promise<Map<string, ShareLink>> } | undefined;

  constructor(
    private readonly client: KooDriveClient,
    private readonly strategy: RefreshStrategy,
    private readonly now: () => number = Date.now,
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
    if (this.listing === undefined || this.now() - this.listing.at > LISTING_TTL_MS) {
      const shares = listAllShares(this.client).then((list) => new Map(list.map((share) => [share.shareId, share])));
      this.listing = { at: this.now(), shares };
      // A failed listing is not cached: the next read tries again.
      shares.catch(() => {
        if (this.listing?.shares === shares) this.listing = undefined;
      });
    }
    const found = (await this.listing.shares).get(shareId);
    return found ?? findShare(this.client, shareId);
  }
}

const readers = new WeakMap<KooDriveClient, ShareReader>();

/** The process-wide reader for a client (one per owner and connection settings) and strategy. */
export function shareReaderFor(client: KooDriveClient, strategy: RefreshStrategy): ShareReader {
  let reader = readers.get(client);
  if (reader === undefined) {
    reader = new ShareReader(client, strategy);
    readers.set(client, reader);
  }
  return reader;
}
