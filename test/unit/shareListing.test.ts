import type { KooDriveClient, ShareListPage } from "../../src/client/koodriveClient";
import { MAX_PAGES_WITHOUT_NEW_SHARES, listAllShares, sharePages } from "../../src/client/sharePages";

/** A client whose list pages are scripted: page N answers `pages[N]`, and the cursors asked for are recorded. */
function pagedClient(pages: ShareListPage[]) {
  const asked: Array<string | undefined> = [];
  const client = {
    async listShares(page: { pageSize?: number; pageCursor?: string }) {
      asked.push(page.pageCursor);
      expect(page.pageSize).toBe(100);
      return pages[asked.length - 1]!;
    },
  } as unknown as KooDriveClient;
  return { client, asked };
}

describe("listAllShares", () => {
  it("follows nextCursor through partial and empty pages to the page without one", async () => {
    const { client, asked } = pagedClient([
      { shareLinks: [{ shareId: "1" }], nextCursor: "a" },
      { shareLinks: [], nextCursor: "b" },
      { shareLinks: [{ shareId: "2" }, { shareId: "3" }] },
    ]);
    expect((await listAllShares(client)).map((s) => s.shareId)).toEqual(["1", "2", "3"]);
    expect(asked).toEqual([undefined, "a", "b"]);
  });

  it('an empty nextCursor marks the last page, as an absent one does (asking for cursor "" would restart or fail)', async () => {
    const { client, asked } = pagedClient([
      { shareLinks: [{ shareId: "1" }], nextCursor: "a" },
      { shareLinks: [{ shareId: "2" }], nextCursor: "" },
    ]);
    expect((await listAllShares(client)).map((s) => s.shareId)).toEqual(["1", "2"]);
    expect(asked).toEqual([undefined, "a"]);
  });

  it("lists a share pushed onto the next page (by a share created meanwhile) once", async () => {
    const { client } = pagedClient([
      { shareLinks: [{ shareId: "3" }, { shareId: "2" }], nextCursor: "a" },
      { shareLinks: [{ shareId: "2" }, { shareId: "1" }] },
    ]);
    expect((await listAllShares(client)).map((s) => s.shareId)).toEqual(["3", "2", "1"]);
  });

  it("stops with an error when KooDrive hands out a cursor twice, instead of looping", async () => {
    const { client } = pagedClient([
      { shareLinks: [], nextCursor: "a" },
      { shareLinks: [], nextCursor: "b" },
      { shareLinks: [], nextCursor: "a" },
    ]);
    await expect(listAllShares(client)).rejects.toThrow('KooDrive\'s share list returned the page cursor "a" twice; stopping instead of looping');
  });

  it("stops with an error after MAX_PAGES_WITHOUT_NEW_SHARES pages in a row that bring nothing new, each with a new cursor", async () => {
    const endless = (from: number, shareIds: (n: number) => string[]) =>
      Array.from({ length: 1_000 }, (_, n) => ({ shareLinks: shareIds(n).map((shareId) => ({ shareId })), nextCursor: `c${from + n}` }));
    const empty = pagedClient(endless(0, () => []));
    await expect(listAllShares(empty.client)).rejects.toThrow(
      `gave ${MAX_PAGES_WITHOUT_NEW_SHARES} pages in a row without a share not listed before, each with another page cursor`,
    );
    expect(empty.asked).toHaveLength(MAX_PAGES_WITHOUT_NEW_SHARES);
    // The same share again and again is nothing new either; a page with a new share starts the count again.
    const repeating = pagedClient(endless(0, (n) => (n === 50 ? ["new"] : ["old"])));
    await expect(listAllShares(repeating.client)).rejects.toThrow("pages in a row without a share not listed before");
    expect(repeating.asked).toHaveLength(51 + MAX_PAGES_WITHOUT_NEW_SHARES);
  });

  it("resumed at a cursor (a listing that failed there), counts that cursor as handed out: a loop back to it stops at once", async () => {
    const { client, asked } = pagedClient([
      { shareLinks: [{ shareId: "2" }], nextCursor: "b" },
      { shareLinks: [], nextCursor: "a" },
      { shareLinks: [], nextCursor: "b" },
    ]);
    const resumed = async () => {
      for await (const _page of sharePages(client, "oldestFirst", "a"));
    };
    await expect(resumed()).rejects.toThrow('returned the page cursor "a" twice');
    expect(asked).toEqual(["a", "b"]);
  });
});
