import type { KooDriveClient, ShareListPage } from "../../src/client/koodriveClient";
import { listAllShares, sharePages } from "../../src/client/sharePages";

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
