import type { Emulator, EmulatorOptions } from "../src";
import { TOKEN, USER_ID, testEmulator } from "./support/fixtures";
import { raw, tokenHeaders } from "./support/rawHttp";

const SHARE = "/koodrive/ose/v1/share";
let emulator: Emulator;

async function start(options: EmulatorOptions = {}) {
  emulator = await testEmulator(options);
  for (let i = 0; i < 6; i++) emulator.seedShare({ ownerId: USER_ID, displayName: `f${i}` });
}
afterEach(() => emulator.close());

async function page(query: string): Promise<{ names: string[]; ids: string[]; nextCursor?: string }> {
  const res = await raw(emulator.url, "GET", `${SHARE}?${query}`, tokenHeaders(TOKEN, USER_ID));
  expect(res.status).toBe(200);
  const links = res.json.shareLinks as Array<{ displayName: string; shareId: string }>;
  return { names: links.map((l) => l.displayName), ids: links.map((l) => l.shareId), nextCursor: res.json.nextCursor };
}

const cancel = (shareIds: string[]) => raw(emulator.url, "POST", `${SHARE}/cancel`, tokenHeaders(TOKEN, USER_ID), JSON.stringify({ shareIds }));

describe("list paging with a keyset cursor", () => {
  it("cancelling shares already listed does not skip one that was never listed", async () => {
    await start();
    const first = await page("pageSize=3");
    expect(first.names).toEqual(["f5", "f4", "f3"]);
    await cancel([first.ids[0]!]);
    const second = await page(`pageSize=3&pageCursor=${first.nextCursor}`);
    expect(second.names).toEqual(["f2", "f1", "f0"]);
    expect(second.nextCursor).toBeUndefined();
  });

  it("a share created between pages does not make one appear twice", async () => {
    await start();
    const first = await page("pageSize=3");
    emulator.seedShare({ ownerId: USER_ID, displayName: "new" });
    const second = await page(`pageSize=3&pageCursor=${first.nextCursor}`);
    expect(second.names).toEqual(["f2", "f1", "f0"]);
  });

  it("works the same ascending, and when the last share listed was cancelled", async () => {
    await start();
    const first = await page("pageSize=2&sortDirection=1");
    expect(first.names).toEqual(["f0", "f1"]);
    await cancel([first.ids[1]!]);
    const second = await page(`pageSize=2&sortDirection=1&pageCursor=${first.nextCursor}`);
    expect(second.names).toEqual(["f2", "f3"]);
  });
});

describe("partialPages: pages before the end are partial or empty, deterministically", () => {
  async function walk(pageSize: number): Promise<Array<string[]>> {
    const pages: Array<string[]> = [];
    let cursor: string | undefined = "0";
    while (cursor !== undefined) {
      const p = await page(`pageSize=${pageSize}&pageCursor=${cursor}`);
      pages.push(p.names);
      cursor = p.nextCursor;
      if (pages.length > 50) throw new Error("no end");
    }
    return pages;
  }

  it("half a page, then an empty one, alternately; nextCursor until the last share; every share exactly once", async () => {
    await start({ partialPages: true });
    const pages = await walk(4);
    expect(pages).toEqual([["f5", "f4"], [], ["f3", "f2"], [], ["f1", "f0"]]);
    expect(await walk(4)).toEqual(pages);
    expect(await walk(1)).toEqual([["f5"], [], ["f4"], [], ["f3"], [], ["f2"], [], ["f1"], [], ["f0"]]);
  });

  it("is off by default: full pages until the last", async () => {
    await start();
    expect(await walk(4)).toEqual([
      ["f5", "f4", "f3", "f2"],
      ["f1", "f0"],
    ]);
  });
});
