import type { KooDriveClient } from "./koodriveClient";
import type { ShareLink } from "./shareLink";

/** KooDrive's largest page. */
const PAGE_SIZE = 100;

/**
 * How many pages in a row may bring no share not seen before. KooDrive says pages before the end may be partial or
 * even empty, but not how many; a server that hands out a new cursor for every empty page would otherwise be followed
 * forever (a refresh that never ends). 100 such pages are 20 s at 5 requests/s.
 */
export const MAX_PAGES_WITHOUT_NEW_SHARES = 100;

/**
 * The order of a listing, by share time. KooDrive's default is newest first. Oldest first keeps the pages still while
 * shares are created (a new share joins the last page instead of pushing every share down by one); a cancelled share
 * shifts the later ones up in either order.
 */
export type ListingOrder = "newestFirst" | "oldestFirst";

/** One page of a listing: the shares not seen on an earlier page, and the cursor of the next page (none after the last). */
export interface SharePage {
  readonly shares: ShareLink[];
  readonly nextCursor: string | undefined;
}

/**
 * Every share the client's user has, page by page, each share once, following `nextCursor` to the last page (pages
 * may be partial or even empty before the end), from the first page or from `fromCursor` (to resume a listing that
 * failed). A share created while the pages are read can push the others down (newest first), so one can appear on
 * two pages: the first time counts. A cursor KooDrive hands out twice would loop forever, so it is an error instead,
 * as are {@link MAX_PAGES_WITHOUT_NEW_SHARES} pages in a row that bring nothing new.
 */
export async function* sharePages(client: KooDriveClient, order: ListingOrder = "newestFirst", fromCursor?: string): AsyncGenerator<SharePage> {
  const seen = new Set<string>();
  // A resumed listing's cursor was handed out before: coming back to it is a loop too.
  const seenCursors = new Set<string>(fromCursor === undefined ? [] : [fromCursor]);
  let cursor = fromCursor;
  let pagesWithoutNews = 0;
  for (;;) {
    const page = await client.listShares({ pageSize: PAGE_SIZE, pageCursor: cursor, oldestFirst: order === "oldestFirst" });
    const next = page.nextCursor === "" ? undefined : page.nextCursor;
    const shares = page.shareLinks.filter((share) => !seen.has(share.shareId) && seen.add(share.shareId));
    yield { shares, nextCursor: next };
    if (next === undefined) return;
    if (seenCursors.has(next)) throw new Error(`KooDrive's share list returned the page cursor "${next}" twice; stopping instead of looping`);
    pagesWithoutNews = shares.length === 0 ? pagesWithoutNews + 1 : 0;
    if (pagesWithoutNews >= MAX_PAGES_WITHOUT_NEW_SHARES) {
      throw new Error(
        `KooDrive's share list gave ${pagesWithoutNews} pages in a row without a share not listed before, each with another page cursor; stopping instead of following them further`,
      );
    }
    seenCursors.add(next);
    cursor = next;
  }
}

/** Every share the client's user has, each once, in KooDrive's order (see {@link sharePages}). */
export async function listAllShares(client: KooDriveClient): Promise<ShareLink[]> {
  const shares: ShareLink[] = [];
  for await (const page of sharePages(client, "newestFirst")) shares.push(...page.shares);
  return shares;
}
