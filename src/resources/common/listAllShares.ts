import type { KooDriveClient } from "../../client/koodriveClient";
import type { ShareLink } from "../../client/responses";

/** KooDrive's largest page. */
const PAGE_SIZE = 100;

/**
 * The order of a listing, by share time. KooDrive's default is newest first. Oldest first keeps the pages still:
 * a share created while they are read joins the last page instead of pushing every share down by one.
 */
export type ListingOrder = "newestFirst" | "oldestFirst";

/**
 * Every share the client's user has, page by page, each share once, following `nextCursor` to the last page (pages
 * may be partial or even empty before the end). A share created while the pages are read can push the others down
 * (newest first), so one can appear on two pages: the first time counts. A cursor KooDrive hands out twice would
 * loop forever, so it is an error instead.
 */
export async function* sharePages(client: KooDriveClient, order: ListingOrder = "newestFirst"): AsyncGenerator<ShareLink[]> {
  const seen = new Set<string>();
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await client.listShares({ pageSize: PAGE_SIZE, pageCursor: cursor, oldestFirst: order === "oldestFirst" });
    yield page.shareLinks.filter((share) => !seen.has(share.shareId) && seen.add(share.shareId));
    if (page.nextCursor === undefined || page.nextCursor === "") return;
    if (seenCursors.has(page.nextCursor))
      throw new Error(`KooDrive's share list returned the page cursor "${page.nextCursor}" twice; stopping instead of looping`);
    seenCursors.add(page.nextCursor);
    cursor = page.nextCursor;
  }
}

/** Every share the client's user has, each once, in KooDrive's order (see {@link sharePages}). */
export async function listAllShares(client: KooDriveClient, order: ListingOrder = "newestFirst"): Promise<ShareLink[]> {
  const shares: ShareLink[] = [];
  for await (const page of sharePages(client, order)) shares.push(...page);
  return shares;
}
