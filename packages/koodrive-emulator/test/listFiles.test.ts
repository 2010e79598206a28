import fs from "node:fs";
import path from "node:path";
import type { Emulator, EmulatorOptions } from "../src";
import { TOKEN, USER_ID, testEmulator } from "./support/fixtures";
import { raw, tokenHeaders, xDate } from "./support/rawHttp";
import { useScratchDir } from "./support/scratch";

const SHARE = "/koodrive/ose/v1/share";
const scratch = useScratchDir("koodrive-listfiles-");

const call = (e: Emulator, method: string, target: string, body?: unknown) =>
  raw(
    e.url,
    method,
    target,
    tokenHeaders(TOKEN, USER_ID, { "X-Date": xDate(e.clock.now()), ...(e.edition === "enterprise" ? { "X-Hw-Agentname": undefined } : {}) }),
    body === undefined ? undefined : JSON.stringify(body),
  );

/** The list's items by share ID (one page: fewer than 100 shares in these tests). */
async function listed(e: Emulator): Promise<Record<string, any>> {
  const res = await call(e, "GET", SHARE);
  expect(res.status).toBe(200);
  return Object.fromEntries((res.json.shareLinks as Array<{ shareId: string }>).map((l) => [l.shareId, l]));
}

/** ShareFileInfo entries (koodrive-api.md §6.5) for file IDs, as the emulator fills them: the ID is also the name. */
const filesFor = (...ids: string[]) => ids.map((id) => ({ id, fileName: id }));

async function withEmulator(options: EmulatorOptions, use: (e: Emulator) => Promise<void>): Promise<void> {
  const e = await testEmulator(options);
  try {
    await use(e);
  } finally {
    await e.close();
  }
}

describe("list items carry the share's files (ShareByMeLink.files, koodrive-api.md §6.3)", () => {
  it.each(["carrier", "enterprise"] as const)(
    "%s: one ShareFileInfo {id, fileName} per file ID the share was created or seeded with, in order",
    async (edition) => {
      await withEmulator({ edition }, async (e) => {
        const created = await call(e, "POST", SHARE, { scope: 1, fileIds: ["fB", "fA", "fC"], containerId: "space", validDays: 7 });
        expect(created.status).toBe(200);
        const seeded = e.seedShare({ ownerId: USER_ID, fileIds: ["s1"] });
        const defaulted = e.seedShare({ ownerId: USER_ID });

        const items = await listed(e);
        expect(items[created.json.shareLink.shareId].files).toEqual(filesFor("fB", "fA", "fC"));
        expect(items[created.json.shareLink.shareId].displayName).toBe("fB and more files");
        expect(items[seeded.shareId].files).toEqual(filesFor("s1"));
        expect(items[defaulted.shareId].files).toEqual([{ id: expect.any(String), fileName: expect.any(String) }]);
        expect(items[defaulted.shareId].files[0].id).toBe(items[defaulted.shareId].displayName);
      });
    },
  );

  it("two shares alike but for their files can be told apart by a client that reads files[].id", async () => {
    await withEmulator({}, async (e) => {
      const one = e.seedShare({ ownerId: USER_ID, displayName: "report", containerId: "space", fileIds: ["f1"] });
      const two = e.seedShare({ ownerId: USER_ID, displayName: "report", containerId: "space", fileIds: ["f2"] });
      const items = await listed(e);
      const byFile = (id: string) => Object.values(items).filter((l) => l.files.some((f: { id: string }) => f.id === id));
      expect(byFile("f1").map((l) => l.shareId)).toEqual([one.shareId]);
      expect(byFile("f2").map((l) => l.shareId)).toEqual([two.shareId]);
    });
  });

  it("files keep their form with alternateForms and appear on partial pages", async () => {
    await withEmulator({ alternateForms: true, partialPages: true }, async (e) => {
      e.seedShare({ ownerId: USER_ID, fileIds: ["a"] });
      e.seedShare({ ownerId: USER_ID, fileIds: ["b", "c"] });
      const first = await call(e, "GET", `${SHARE}?pageSize=2`);
      expect(first.json.code).toBe("0");
      expect(first.json.shareLinks.map((l: { files: unknown }) => l.files)).toEqual([filesFor("b", "c")]);
      let cursor = first.json.nextCursor as string | undefined;
      const rest: unknown[] = [];
      while (cursor !== undefined) {
        const next = await call(e, "GET", `${SHARE}?pageSize=2&pageCursor=${cursor}`);
        rest.push(...next.json.shareLinks.map((l: { files: unknown }) => l.files));
        cursor = next.json.nextCursor;
      }
      expect(rest).toEqual([filesFor("a")]);
    });
  });

  it("the detail and modify answers have no files (ShareByMeLinkDetail §6.4 and the modify shareLink §6.2 list none)", async () => {
    await withEmulator({}, async (e) => {
      const share = e.seedShare({ ownerId: USER_ID, fileIds: ["f1", "f2"] });
      expect((await call(e, "GET", `${SHARE}/${share.shareId}`)).json.shareLink).not.toHaveProperty("files");
      expect((await call(e, "PUT", `${SHARE}/${share.shareId}`, { validDays: 3 })).json.shareLink).not.toHaveProperty("files");
    });
  });
});

describe("list files and the state file", () => {
  it("a share created on one run lists its files on the next; the state file keeps fileIds only", async () => {
    const file = path.join(fs.mkdtempSync(path.join(scratch(), "round-")), "state.json");
    let shareId = "";
    await withEmulator({ stateFile: file }, async (e) => {
      const created = await call(e, "POST", SHARE, { scope: 1, fileIds: ["x1", "x2"], containerId: "space", validDays: 7 });
      shareId = created.json.shareLink.shareId;
    });
    const saved = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(saved.shares[0].fileIds).toEqual(["x1", "x2"]);
    expect(saved.shares[0]).not.toHaveProperty("files");
    await withEmulator({ stateFile: file }, async (e) => {
      expect((await listed(e))[shareId].files).toEqual(filesFor("x1", "x2"));
    });
  });

  it("a state file written before list items had files (shares with fileIds, no file info) loads and lists them", async () => {
    const file = path.join(scratch(), "older.json");
    const t = Date.now();
    const share = (shareId: string, fileIds: string[], displayName: string) => ({
      shareId,
      shortUrl: String(BigInt(shareId) + 1n),
      ownerId: USER_ID,
      containerId: "space",
      fileIds,
      scope: 1,
      displayName,
      shareTime: t,
      updateTime: t,
      status: 0,
      viewCnt: 0,
      downloadCnt: 0,
      saveCnt: 0,
    });
    fs.writeFileSync(file, JSON.stringify({ nextId: "20", shares: [share("10", ["old1"], "old1"), share("12", ["old2", "old3"], "old2 and more files")] }));
    await withEmulator({ stateFile: file }, async (e) => {
      const items = await listed(e);
      expect(items["10"]).toMatchObject({ displayName: "old1", files: filesFor("old1") });
      expect(items["12"]).toMatchObject({ displayName: "old2 and more files", files: filesFor("old2", "old3") });
      expect(items["10"]).not.toHaveProperty("ownerId");
    });
  });
});
