import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Emulator } from "../src";
import { TOKEN, USER_ID, testEmulator } from "./support/fixtures";
import { raw, tokenHeaders, xDate } from "./support/rawHttp";

const SHARE = "/koodrive/ose/v1/share";
let emulator: Emulator;
let shareId: string;

beforeEach(async () => {
  emulator = await testEmulator();
  shareId = emulator.seedShare({ ownerId: USER_ID }).shareId as string;
});
afterEach(() => emulator.close());

const get = () => raw(emulator.url, "GET", `${SHARE}/${shareId}`, tokenHeaders(TOKEN, USER_ID));
const admin = (method: string, p: string, body?: unknown) => raw(emulator.url, method, p, {}, body === undefined ? undefined : JSON.stringify(body));

describe("fault injection", () => {
  it("switches faults on and off at run time through the admin API", async () => {
    expect((await admin("PUT", "/__admin/faults", { failNext: 2, failStatus: 503, retryAfterSeconds: 4 })).status).toBe(200);
    const first = await get();
    expect(first.status).toBe(503);
    expect(first.headers["retry-after"]).toBe("4");
    expect(first.json.code).toBe(13000201);
    expect((await admin("GET", "/__admin/faults")).json).toEqual({ failNext: 1, failStatus: 503, retryAfterSeconds: 4 });
    expect((await admin("DELETE", "/__admin/faults")).status).toBe(204);
    expect((await get()).status).toBe(200);
    expect(emulator.requests.all().map((r) => r.fault)).toEqual(["status 503", undefined]);
  });

  it("answers 429 like the gateway, with Retry-After", async () => {
    emulator.faults.set({ failNext: 1, failStatus: 429, retryAfterSeconds: 3 });
    const res = await get();
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toBe("3");
    expect(res.json).toEqual({ error_code: "APIGW.0308", error_msg: "The throttling threshold has been reached." });
  });

  it("throttles above N requests per second", async () => {
    let now = Date.parse("2025-05-29T02:00:00.000Z");
    const throttled = await testEmulator({ now: () => now, faults: { throttleRps: 3 } });
    try {
      const id = throttled.seedShare({ ownerId: USER_ID }).shareId as string;
      const send = async () => (await raw(throttled.url, "GET", `${SHARE}/${id}`, tokenHeaders(TOKEN, USER_ID, { "X-Date": xDate(now) }))).status;
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push(await send());
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      now += 1000; // the next one-second window
      expect(await send()).toBe(200);
    } finally {
      await throttled.close();
    }
  });

  it("fails every request at error rate 1 and none at 0", async () => {
    emulator.faults.set({ errorRate: 1, errorStatus: 502 });
    expect((await get()).status).toBe(502);
    emulator.faults.merge({ errorRate: 0 });
    expect((await get()).status).toBe(200);
  });

  it("resets connections", async () => {
    emulator.faults.set({ resetNext: 1 });
    await expect(get()).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await get()).status).toBe(200);
  });

  it("sends a truncated JSON body", async () => {
    emulator.faults.set({ malformedNext: 1 });
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.json).toBeUndefined();
    expect(() => JSON.parse(res.text)).toThrow();
  });

  it("adds latency", async () => {
    emulator.faults.set({ latencyMs: 150 });
    const start = Date.now();
    await get();
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
  });

  it.each([
    [{ nope: 1 }, /unknown fault/],
    // Names of Object's own members, which a plain lookup would find on the prototype.
    [{ constructor: 1 }, /unknown fault "constructor"/],
    [{ toString: 1 }, /unknown fault "toString"/],
    [{ ["__proto__"]: 1 }, /unknown fault "__proto__"/],
    [{ errorRate: 2 }, /between 0 and 1/],
    [{ failStatus: 200 }, /HTTP error status/],
    [[1], /JSON object/],
  ])("rejects fault config %j", async (body, msg) => {
    const res = await admin("PUT", "/__admin/faults", body);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(msg);
  });
});

describe("admin API", () => {
  it("changes a share out of band, and the API shows it", async () => {
    const res = await admin("PATCH", `/__admin/shares/${shareId}`, { comment: "by hand", extractCode: "ZZZZ9999", viewCnt: 5 });
    expect(res.status).toBe(200);
    expect((await get()).json.shareLink).toMatchObject({ comment: "by hand", extractCode: "ZZZZ9999", viewCnt: 5 });
    expect(emulator.requests.all()).toHaveLength(1); // admin calls are not logged
  });

  it("seeds shares, reads, expires tokens and clears the request log", async () => {
    const seeded = await admin("POST", "/__admin/shares", { ownerId: USER_ID, shareId: "777", comment: "seeded" });
    expect(seeded.status).toBe(201);
    expect((await admin("GET", "/__admin/shares/777")).json).toMatchObject({ shareId: "777", shortUrl: "778", comment: "seeded" });
    for (const shareId of ["777", "abc"]) {
      const rejected = await admin("POST", "/__admin/shares", { ownerId: USER_ID, shareId });
      expect(rejected.status).toBe(400);
      expect(rejected.json.error).toMatch(/new numeric ID/);
    }
    await get();
    expect((await admin("GET", "/__admin/requests")).json.requests).toHaveLength(1);
    await admin("DELETE", "/__admin/requests");
    expect(emulator.requests.all()).toEqual([]);
    await admin("POST", "/__admin/tokens/expire", { token: TOKEN });
    expect((await get()).status).toBe(401);
  });
});

describe("persistence", () => {
  it("keeps shares across restarts in the state file, written atomically", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-state-"));
    const file = path.join(dir, "state.json");
    const first = await testEmulator({ stateFile: file });
    const created = await raw(
      first.url,
      "POST",
      SHARE,
      tokenHeaders(TOKEN, USER_ID),
      JSON.stringify({ scope: 1, fileIds: ["f"], containerId: "c", validDays: 3, comment: "kept" }),
    );
    await first.close();
    expect(fs.readdirSync(dir)).toEqual(["state.json"]);
    const second = await testEmulator({ stateFile: file });
    try {
      const res = await raw(second.url, "GET", `${SHARE}/${created.json.shareLink.shareId}`, tokenHeaders(TOKEN, USER_ID));
      expect(res.json.shareLink.comment).toBe("kept");
      const next = await raw(
        second.url,
        "POST",
        SHARE,
        tokenHeaders(TOKEN, USER_ID),
        JSON.stringify({ scope: 1, fileIds: ["g"], containerId: "c", validDays: 3 }),
      );
      expect(next.json.shareLink.shareId).not.toBe(created.json.shareLink.shareId);
    } finally {
      await second.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
