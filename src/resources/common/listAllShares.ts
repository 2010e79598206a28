import type { KooDriveClient } from "../../client/koodriveClient";
import type { ShareLink } from "../../client/responses";

/** KooDrive's largest page. */
const PAGE_SIZE = 100;

/**
 * Every share the client's user has, each once, following `nextCursor` to the last page (pages may be partial or
 * even empty before the end). A share created while the pages are read pushes the others down, so one can appear on
 * two pages: the first time counts. A cursor KooDrive hands out twice would loop forever, so it is an error instead.
 */
export async function listAllShares(client: KooDriveClient): Promise<ShareLink[]> {
  const shares = new Map<string, ShareLink>();
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await client.listShares({ pageSize: PAGE_SIZE, pageCursor: cursor });
    for (const share of page.shareLinks) if (!shares.has(share.shareId)) shares.set(share.shareId, share);
    if (page.nextCursor === undefined || page.nextCursor === "") return [...shares.values()];
    if (seenCursors.has(page.nextCursor))
      throw new Error(`KooDrive's share list returned the page cursor "${page.nextCursor}" twice; stopping instead of looping`);
    seenCursors.add(page.nextCursor);
    cursor = page.nextCursor;
  }
}
