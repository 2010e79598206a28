import type { Emulator } from "../src";
import { OTHER_USER_ID, TOKEN, USER_ID, testEmulator } from "./support/fixtures";
import { raw, tokenHeaders, xDate } from "./support/rawHttp";

const SHARE = "/koodrive/ose/v1/share";
const DAY_MS = 86_400_000;
const editions = {} as Record<"carrier" | "enterprise", Emulator>;

beforeEach(async () => {
  editions.carrier = await testEmulator();
  editions.enterprise = await testEmulator({ edition: "enterprise" });
});
afterEach(async () => {
  await editions.carrier.close();
  await editions.enterprise.close();
});

const call = (e: Emulator, method: string, path: string, body?: unknown, user = USER_ID) =>
  raw(
    e.url,
    method,
    path,
    tokenHeaders(TOKEN, user, { "X-Date": xDate(e.clock.now()), ...(e.edition === "enterprise" ? { "X-Hw-Agentname": undefined } : {}) }),
    body === undefined ? undefined : JSON.stringify(body),
  );
const valid = { fileIds: ["f1"], containerId: "space", validDays: 7 };

describe("carrier and enterprise editions", () => {
  it("create scope: carrier 1 or 3, enterprise 1, 2 or 3", async () => {
    for (const [edition, scope, status] of [
      ["carrier", 2, 400],
      ["carrier", 3, 200],
      ["enterprise", 2, 200],
      ["enterprise", 4, 400],
    ] as const) {
      const res = await call(editions[edition], "POST", SHARE, { ...valid, scope });
      expect({ edition, scope, status: res.status }).toEqual({ edition, scope, status });
    }
  });

  it("X-Hw-Agentname: required on carrier, not on enterprise", async () => {
    const c = editions.carrier.seedShare({ ownerId: USER_ID }).shareId;
    const e = editions.enterprise.seedShare({ ownerId: USER_ID }).shareId;
    const noAgent = { "X-Hw-Agentname": undefined };
    expect((await raw(editions.carrier.url, "GET", `${SHARE}/${c}`, tokenHeaders(TOKEN, USER_ID, noAgent))).json.msg).toMatch(/X-Hw-Agentname is required/);
    expect((await raw(editions.enterprise.url, "GET", `${SHARE}/${e}`, tokenHeaders(TOKEN, USER_ID, noAgent))).status).toBe(200);
  });

  it("detail carries permission only on enterprise", async () => {
    const created = await call(editions.enterprise, "POST", SHARE, { ...valid, scope: 1, permission: { download: false } });
    const detail = await call(editions.enterprise, "GET", `${SHARE}/${created.json.shareLink.shareId}`);
    expect(detail.json.shareLink.permission).toEqual({ preview: true, edit: false, download: false });
    const carrierId = editions.carrier.seedShare({ ownerId: USER_ID }).shareId;
    expect((await call(editions.carrier, "GET", `${SHARE}/${carrierId}`)).json.shareLink).not.toHaveProperty("permission");
    expect((await call(editions.enterprise, "POST", SHARE, { ...valid, scope: 1, permission: { download: "yes" } })).json.msg).toMatch(/permission must be/);
  });

  it("update validDays 0: carrier removes the validity period, enterprise keeps the expiry", async () => {
    for (const edition of ["carrier", "enterprise"] as const) {
      const share = editions[edition].seedShare({ ownerId: USER_ID, validDays: 5 });
      const res = await call(editions[edition], "PUT", `${SHARE}/${share.shareId}`, { validDays: 0 });
      expect(res.json.shareLink.expireTime).toBe(edition === "carrier" ? undefined : share.expireTime);
    }
  });

  it("cancel: carrier needs 1 to 100 ids; enterprise takes none, or up to 100", async () => {
    expect((await call(editions.carrier, "POST", `${SHARE}/cancel`, {})).status).toBe(400);
    expect((await call(editions.carrier, "POST", `${SHARE}/cancel`, { shareIds: [] })).status).toBe(400);
    expect((await call(editions.enterprise, "POST", `${SHARE}/cancel`, {})).json).toEqual({ subResponseList: [], code: 0, msg: "Success." });
    expect((await call(editions.enterprise, "POST", `${SHARE}/cancel`, { shareIds: [] })).status).toBe(200);
    const tooMany = await call(editions.enterprise, "POST", `${SHARE}/cancel`, { shareIds: Array.from({ length: 101 }, (_, i) => String(i)) });
    expect(tooMany.json.msg).toMatch(/at most 100/);
  });

  it("cancel answers 200 per item: 13000309 for unknown, foreign and already cancelled shares", async () => {
    const e = editions.carrier;
    const mine = e.seedShare({ ownerId: USER_ID }).shareId;
    const theirs = e.seedShare({ ownerId: OTHER_USER_ID }).shareId;
    const first = await call(e, "POST", `${SHARE}/cancel`, { shareIds: [mine, theirs, "77"] });
    expect(first.json.subResponseList.map((r: { code: number }) => r.code)).toEqual([0, 13000309, 13000309]);
    const again = await call(e, "POST", `${SHARE}/cancel`, { shareIds: [mine] });
    expect(again.status).toBe(200);
    expect(again.json.subResponseList).toEqual([{ shareId: mine, code: 13000309, msg: "Resource not found." }]);
  });

  it("an expired link shows status 2 on list and detail, and 3 in the enterprise modify answer", async () => {
    for (const edition of ["carrier", "enterprise"] as const) {
      const e = editions[edition];
      const share = e.seedShare({ ownerId: USER_ID, validDays: 1 });
      e.clock.advance(2 * DAY_MS);
      expect((await call(e, "GET", `${SHARE}/${share.shareId}`)).json.shareLink.status).toBe(2);
      expect((await call(e, "GET", SHARE)).json.shareLinks[0].status).toBe(2);
      e.changeShare(share.shareId, { expireTime: "2020-01-01T00:00:00.000Z" });
      const modified = await call(e, "PUT", `${SHARE}/${share.shareId}`, { validDays: 0, comment: "still expired" });
      expect({ edition, status: modified.json.shareLink.status }).toEqual({ edition, status: edition === "enterprise" ? 3 : 0 });
    }
  });

  it("status 1 (files deleted) is set through the admin API and wins over expiry", async () => {
    const e = editions.carrier;
    const share = e.seedShare({ ownerId: USER_ID, validDays: 1 });
    expect((await raw(e.url, "PATCH", `/__admin/shares/${share.shareId}`, {}, JSON.stringify({ status: 1 }))).json.status).toBe(1);
    e.clock.advance(2 * DAY_MS);
    expect((await call(e, "GET", `${SHARE}/${share.shareId}`)).json.shareLink.status).toBe(1);
  });
});

describe("list pagination and filter", () => {
  it("pageSize defaults to 100; nextCursor is opaque and absent on the last page; items carry no ownerId/updateTime", async () => {
    const e = editions.carrier;
    for (let i = 0; i < 101; i++) e.seedShare({ ownerId: USER_ID, fileIds: [`f${i}`] });
    const first = await call(e, "GET", SHARE);
    expect(first.json.shareLinks).toHaveLength(100);
    expect(first.json.nextCursor).not.toMatch(/^\d+$/);
    expect(first.json.shareLinks[0]).not.toHaveProperty("ownerId");
    expect(first.json.shareLinks[0]).not.toHaveProperty("updateTime");
    const second = await call(e, "GET", `${SHARE}?pageCursor=${encodeURIComponent(first.json.nextCursor)}`);
    expect(second.json.shareLinks).toHaveLength(1);
    expect(second.json).not.toHaveProperty("nextCursor");
    const ids = new Set([...first.json.shareLinks, ...second.json.shareLinks].map((s: { shareId: string }) => s.shareId));
    expect(ids.size).toBe(101);
  });

  it("displayName filters by case-insensitive substring", async () => {
    const e = editions.carrier;
    e.seedShare({ ownerId: USER_ID, fileIds: ["Q3-Report.xlsx"] });
    e.seedShare({ ownerId: USER_ID, fileIds: ["q3-report.docx", "notes.txt"] });
    e.seedShare({ ownerId: USER_ID, fileIds: ["budget.xlsx"] });
    const res = await call(e, "GET", `${SHARE}?displayName=${encodeURIComponent("Q3-REPORT")}`);
    expect(res.json.shareLinks.map((s: { displayName: string }) => s.displayName).sort()).toEqual(["Q3-Report.xlsx", "q3-report.docx and more files"]);
  });
});
