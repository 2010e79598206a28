import type { Emulator } from "../src";
import { TOKEN, USER_ID, testEmulator } from "./support/fixtures";
import { raw, tokenHeaders } from "./support/rawHttp";

const SHARE = "/koodrive/ose/v1/share";
let emulator: Emulator;
afterEach(() => emulator.close());

const call = (method: string, path: string, body?: unknown) =>
  raw(emulator.url, method, path, tokenHeaders(TOKEN, USER_ID), body === undefined ? undefined : JSON.stringify(body));

describe("alternateForms: the other wire forms koodrive-api.md documents", () => {
  it("detail, list and modify answers switch code, counters and expireTime forms; the stored share does not change", async () => {
    emulator = await testEmulator({ alternateForms: true });
    const timed = emulator.seedShare({ ownerId: USER_ID, validDays: 7 });
    const forever = emulator.seedShare({ ownerId: USER_ID, validDays: 0 });
    const stored = timed.expireTime as string; // the programmatic view keeps ISO-8601

    const detail = await call("GET", `${SHARE}/${timed.shareId}`);
    expect(detail.json.code).toBe("0");
    expect(detail.json.shareLink).toMatchObject({ viewCnt: "0", downloadCnt: "0", saveCnt: "0" });
    expect(detail.json.shareLink.expireTime).toBe(stored.replace("T", " ").replace(/\.\d{3}Z$/, ""));

    const list = await call("GET", SHARE);
    const listed = Object.fromEntries((list.json.shareLinks as Array<{ shareId: string; expireTime: string }>).map((l) => [l.shareId, l]));
    expect(listed[forever.shareId as string]).toMatchObject({ expireTime: "", viewCnt: "0" });

    const modify = await call("PUT", `${SHARE}/${timed.shareId}`, { validDays: 3 });
    expect(modify.json.code).toBe("0");
    expect(modify.json.shareLink).toMatchObject({ viewCnt: 0, downloadCnt: 0, saveCnt: 0 }); // strings by default
    expect(modify.json.shareLink.expireTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(emulator.getShare(timed.shareId as string)!.expireTime).toMatch(/T.*Z$/);
  });

  it("errors keep their form, and by default answers keep the default forms", async () => {
    emulator = await testEmulator({ alternateForms: true });
    const missing = await call("GET", `${SHARE}/1234567890123456789`);
    expect(typeof missing.json.code).toBe("number");
    await emulator.close();
    emulator = await testEmulator();
    const share = emulator.seedShare({ ownerId: USER_ID, validDays: 0 });
    const detail = await call("GET", `${SHARE}/${share.shareId}`);
    expect(detail.json.code).toBe(0);
    expect(detail.json.shareLink).not.toHaveProperty("expireTime");
    expect(detail.json.shareLink.viewCnt).toBe(0);
  });
});

describe("answers: documented and lean, as koodrive-api.md's tables and leanest examples show them", () => {
  const DETAIL = ["comment", "displayName", "expireTime", "extractCode", "linkUrl", "permission", "scope", "shareId", "shareTime", "shortUrl", "status"];
  for (const answers of ["documented", "lean"] as const) {
    it(`${answers}: details per §6.4; modify, create and cancel answers cut as documented; the stored share is unchanged`, async () => {
      emulator = await testEmulator({ answers, edition: "enterprise" });
      const share = emulator.seedShare({ ownerId: USER_ID, validDays: 7, comment: "c", extractCode: "Abcd1234" });
      const headers = tokenHeaders(TOKEN, USER_ID, { "X-Hw-Agentname": undefined });
      const detail = await raw(emulator.url, "GET", `${SHARE}/${share.shareId}`, headers);
      expect(Object.keys(detail.json.shareLink).sort()).toEqual(DETAIL.sort());
      const list = await raw(emulator.url, "GET", SHARE, headers);
      expect(list.json.shareLinks[0]).toMatchObject({ containerId: share.containerId, viewCnt: 0 });
      const modify = await raw(emulator.url, "PUT", `${SHARE}/${share.shareId}`, headers, JSON.stringify({ validDays: 3 }));
      const modifyFields =
        answers === "lean"
          ? ["expireTime", "extractCode", "shareId", "shortUrl", "updateTime"]
          : [
              "displayName",
              "downloadCnt",
              "expireTime",
              "extractCode",
              "linkUrl",
              "saveCnt",
              "scope",
              "shareId",
              "shareTime",
              "shortUrl",
              "status",
              "updateTime",
              "viewCnt",
            ];
      expect(Object.keys(modify.json.shareLink).sort()).toEqual(modifyFields.sort());
      const created = await raw(
        emulator.url,
        "POST",
        SHARE,
        headers,
        JSON.stringify({ containerId: share.containerId, fileIds: ["f1"], scope: 1, validDays: 7 }),
      );
      expect(created.json.shareLink.createTime === undefined).toBe(answers === "lean");
      const cancel = await raw(emulator.url, "POST", `${SHARE}/cancel`, headers, JSON.stringify({ shareIds: [share.shareId, "404"] }));
      expect(cancel.json.subResponseList.map((r: { shareId?: string; code: number }) => [r.shareId, r.code])).toEqual(
        answers === "lean"
          ? [
              [undefined, 0],
              [undefined, 13000309],
            ]
          : [
              [share.shareId, 0],
              ["404", 13000309],
            ],
      );
      expect(emulator.getShare(created.json.shareLink.shareId)).toMatchObject({ ownerId: USER_ID, updateTime: expect.any(String) });
    });
  }
});
