import http from "node:http";
import type { Emulator } from "../src";
import { TOKEN, USER_ID, testEmulator } from "./support/fixtures";
import { raw, tokenHeaders, xDate } from "./support/rawHttp";

const SHARE = "/koodrive/ose/v1/share";
const DAY_MS = 86_400_000;
let emulator: Emulator;
let shareId: string;

beforeEach(async () => {
  emulator = await testEmulator();
  shareId = emulator.seedShare({ ownerId: USER_ID, comment: "before" }).shareId as string;
});
afterEach(() => emulator.close());

const headers = () => tokenHeaders(TOKEN, USER_ID, { "X-Date": xDate(emulator.clock.now()) });
const put = (comment: string) => raw(emulator.url, "PUT", `${SHARE}/${shareId}`, headers(), JSON.stringify({ validDays: 3, comment }));
const get = () => raw(emulator.url, "GET", `${SHARE}/${shareId}`, headers());
const admin = (method: string, p: string, body?: unknown) => raw(emulator.url, method, p, {}, body === undefined ? undefined : JSON.stringify(body));

describe("faults that act after the change is applied", () => {
  it("dropAfterApplyNext: the PUT lands, the connection dies unanswered, reads are not consumed", async () => {
    emulator.faults.set({ dropAfterApplyNext: 1 });
    expect((await get()).status).toBe(200); // a GET does not consume it
    await expect(put("dropped answer")).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(emulator.getShare(shareId)!.comment).toBe("dropped answer");
    expect((await put("second")).status).toBe(200);
    expect(emulator.requests.all().map((r) => [r.method, r.status, r.fault, r.applied])).toEqual([
      ["GET", 200, undefined, undefined],
      ["PUT", 0, "dropAfterApply", true],
      ["PUT", 200, undefined, true],
    ]);
  });

  it("truncateAfterApplyNext: 200 with a cut body, change applied", async () => {
    emulator.faults.set({ truncateAfterApplyNext: 1 });
    const res = await put("truncated answer");
    expect(res.status).toBe(200);
    expect(res.json).toBeUndefined();
    expect(res.text.length).toBeGreaterThan(10);
    expect(() => JSON.parse(res.text)).toThrow();
    expect(emulator.getShare(shareId)!.comment).toBe("truncated answer");
  });

  it("failAfterApplyNext: 500 / 13000201 although the change landed (also for create)", async () => {
    emulator.faults.set({ failAfterApplyNext: 2 });
    const res = await put("failed answer");
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ code: 13000201, msg: "inner server invoke failure" });
    expect(emulator.getShare(shareId)!.comment).toBe("failed answer");
    const created = await raw(emulator.url, "POST", SHARE, headers(), JSON.stringify({ scope: 1, fileIds: ["f"], containerId: "c", validDays: 1 }));
    expect(created.status).toBe(500);
    const list = await raw(emulator.url, "GET", SHARE, headers());
    expect(list.json.shareLinks).toHaveLength(2);
    expect(
      emulator.requests
        .all()
        .filter((r) => r.fault)
        .map((r) => `${r.method} ${r.fault} applied=${r.applied}`),
    ).toEqual(["PUT failAfterApply applied=true", "POST failAfterApply applied=true"]);
  });

  it("a rejected write does not consume an after-apply fault", async () => {
    emulator.faults.set({ failAfterApplyNext: 1 });
    const bad = await raw(emulator.url, "PUT", `${SHARE}/${shareId}`, headers(), JSON.stringify({ validDays: 999 }));
    expect(bad.status).toBe(400);
    expect(emulator.faults.current().failAfterApplyNext).toBe(1);
  });

  it("delayAfterApplyNext: the change is visible before the answer arrives", async () => {
    emulator.faults.set({ delayAfterApplyNext: 1, afterApplyDelayMs: 400 });
    const started = Date.now();
    const pending = put("slow answer");
    await new Promise((r) => setTimeout(r, 150));
    expect(emulator.getShare(shareId)!.comment).toBe("slow answer");
    const res = await pending;
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(emulator.requests.all().at(-1)).toMatchObject({ fault: "delayAfterApply", applied: true, status: 200 });
  });

  it("delayAfterApplyNext whose client gave up waiting: applied, and logged as dropped (status 0), not as answered", async () => {
    emulator.faults.set({ delayAfterApplyNext: 1, afterApplyDelayMs: 1_500 });
    const body = JSON.stringify({ validDays: 3, comment: "given up on" });
    const req = http.request(new URL(`${SHARE}/${shareId}`, emulator.url), { method: "PUT", headers: { "Content-Type": "application/json", ...headers() } });
    req.on("error", () => undefined);
    req.end(body);
    // The client's timeout, once the write has landed and the delay has begun (on a loaded machine that takes a while).
    while (emulator.getShare(shareId)!.comment !== "given up on") await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    req.destroy();
    await new Promise((r) => setTimeout(r, 1_700));
    expect(emulator.requests.all().at(-1)).toMatchObject({ method: "PUT", fault: "delayAfterApply", applied: true, status: 0 });
  });

  it("is configured over the admin API too, with range checks naming the key", async () => {
    const ok = await admin("PATCH", "/__admin/faults", { truncateAfterApplyNext: 2, afterApplyDelayMs: 10 });
    expect(ok.json).toEqual({ truncateAfterApplyNext: 2, afterApplyDelayMs: 10 });
    for (const [body, msg] of [
      [{ dropAfterApplyNext: 1.5 }, /dropAfterApplyNext must be an integer count/],
      [{ afterApplyDelayMs: -1 }, /afterApplyDelayMs must be/],
    ] as const) {
      const res = await admin("PATCH", "/__admin/faults", body);
      expect(res.status).toBe(400);
      expect(res.json.error).toMatch(msg);
    }
    expect(() => emulator.faults.merge({ failAfterApplyNext: -2 })).toThrow(/failAfterApplyNext must be/);
  });
});

describe("the controllable clock", () => {
  it("advances programmatically: expiry shows as status 2 and the Date header follows", async () => {
    const before = await get();
    expect(before.json.shareLink.status).toBe(0);
    expect(Math.abs(Date.parse(before.headers.date!) - Date.now())).toBeLessThan(2000);
    emulator.clock.advance(8 * DAY_MS);
    const after = await get();
    expect(after.json.shareLink.status).toBe(2);
    expect(Date.parse(after.headers.date!) - Date.now()).toBeGreaterThan(8 * DAY_MS - 2000);
  });

  it("X-Date is checked against the emulator's clock", async () => {
    emulator.clock.setOffset(DAY_MS);
    const hostTime = await raw(emulator.url, "GET", `${SHARE}/${shareId}`, tokenHeaders(TOKEN, USER_ID, { "X-Date": xDate(Date.now()) }));
    expect(hostTime.status).toBe(400);
    expect(hostTime.json.msg).toMatch(/15 minutes/);
    expect((await get()).status).toBe(200);
  });

  it("token lifetimes follow the clock", async () => {
    const timed = await testEmulator({ tokenTtlSeconds: 1200 });
    try {
      const id = timed.seedShare({ ownerId: USER_ID }).shareId as string;
      const send = () => raw(timed.url, "GET", `${SHARE}/${id}`, tokenHeaders(TOKEN, USER_ID, { "X-Date": xDate(timed.clock.now()) }));
      expect((await send()).status).toBe(200);
      timed.clock.advance(21 * 60 * 1000);
      expect((await send()).status).toBe(401);
    } finally {
      await timed.close();
    }
  });

  it("is read and moved over the admin API, with range checks", async () => {
    expect((await admin("GET", "/__admin/clock")).json.offsetMs).toBe(0);
    const advanced = await admin("POST", "/__admin/clock", { advanceMs: 3_600_000 });
    expect(advanced.json.offsetMs).toBe(3_600_000);
    expect(Date.parse(advanced.headers.date!) - Date.now()).toBeGreaterThan(3_598_000);
    expect((await admin("POST", "/__admin/clock", { offsetMs: -60_000 })).json.offsetMs).toBe(-60_000);
    for (const body of [{ advanceMs: -5 }, { offsetMs: 1e16 }, { advanceMs: 1, offsetMs: 1 }, {}, [1]]) {
      const res = await admin("POST", "/__admin/clock", body);
      expect(res.status).toBe(400);
      expect(res.json.error).toMatch(/advanceMs|offsetMs/);
    }
    expect(emulator.clock.offsetMs).toBe(-60_000);
  });

  it("starts with an offset", async () => {
    const ahead = await testEmulator({ clockOffsetMs: 30 * DAY_MS });
    try {
      expect(ahead.clock.now() - Date.now()).toBeGreaterThan(30 * DAY_MS - 1000);
    } finally {
      await ahead.close();
    }
  });
});
