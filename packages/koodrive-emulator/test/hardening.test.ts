import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Emulator, RequestLog, startEmulator } from "../src";
import { TOKEN, USER_ID, testEmulator } from "./support/fixtures";
import { raw, tokenHeaders } from "./support/rawHttp";

const SHARE = "/koodrive/ose/v1/share";

describe("bounded memory and no secrets in plain sight", () => {
  let emulator: Emulator;
  let shareId: string;
  beforeEach(async () => {
    emulator = await testEmulator({ requestLogMaxBytes: 64 * 1024 });
    shareId = emulator.seedShare({ ownerId: USER_ID }).shareId;
  });
  afterEach(() => emulator.close());

  it("keeps no body of a rejected request, only its size", async () => {
    const big = JSON.stringify({ validDays: 1, comment: "x".repeat(300_000) });
    const res = await raw(emulator.url, "PUT", `${SHARE}/${shareId}`, { "X-User-Id": USER_ID }, big);
    expect(res.status).toBe(400);
    const [entry] = emulator.requests.all();
    expect(entry!.body).toBeUndefined();
    expect(entry!.bodyBytes).toBe(Buffer.byteLength(big));
  });

  it("bounds the log by bytes, dropping the oldest entries", async () => {
    const comment = "c".repeat(500);
    for (let i = 0; i < 200; i++)
      await raw(emulator.url, "PUT", `${SHARE}/${shareId}`, tokenHeaders(TOKEN, USER_ID), JSON.stringify({ validDays: 1, comment }));
    const kept = emulator.requests.all();
    expect(kept.length).toBeLessThan(200);
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.at(-1)!.seq).toBe(200);
    expect(emulator.requests.retainedBytes).toBeLessThanOrEqual(64 * 1024);
    expect(JSON.stringify(kept).length).toBeLessThanOrEqual(64 * 1024 * 1.2);
  });

  it("redacts access codes in logged bodies by default", async () => {
    await raw(emulator.url, "PUT", `${SHARE}/${shareId}`, tokenHeaders(TOKEN, USER_ID), JSON.stringify({ validDays: 1, extractCode: "SeCrEt42" }));
    const log = JSON.stringify((await raw(emulator.url, "GET", "/__admin/requests")).json);
    expect(log).not.toContain("SeCrEt42");
    expect(emulator.requests.all()[0]!.body).toEqual({ validDays: 1, extractCode: "[REDACTED]" });
    expect(emulator.getShare(shareId)!.extractCode).toBe("SeCrEt42"); // redaction is of the log only
  });

  it("a RequestLog keeps at most maxEntries and never drops below one entry", () => {
    const log = new RequestLog({ maxEntries: 3, maxBytes: 10 });
    for (let i = 0; i < 5; i++) log.add({ time: "t", method: "GET", path: "/p", query: {}, headers: {}, bodyBytes: 0, status: 200 });
    expect(log.all().map((e) => e.seq)).toEqual([5]);
    const counted = new RequestLog({ maxEntries: 3 });
    for (let i = 0; i < 5; i++) counted.add({ time: "t", method: "GET", path: "/p", query: {}, headers: {}, bodyBytes: 0, status: 200 });
    expect(counted.all().map((e) => e.seq)).toEqual([3, 4, 5]);
  });
});

describe("state file and network exposure", () => {
  it("creates the state file with mode 0600", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-mode-"));
    const file = path.join(dir, "state.json");
    const e = await testEmulator({ stateFile: file });
    try {
      e.seedShare({ ownerId: USER_ID, extractCode: "AbCd1234" });
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      await e.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a non-loopback bind without an admin token", async () => {
    await expect(startEmulator({ tokens: [TOKEN], host: "0.0.0.0" })).rejects.toThrow(/binding to 0\.0\.0\.0 exposes the admin API.*admin token/);
  });

  it("with an admin token, /__admin/* answers 401 without it and works with it; the share API is unaffected", async () => {
    const adminToken = "admin-token-4f1d2c";
    const e = await testEmulator({ host: "0.0.0.0", adminToken });
    try {
      const url = e.url.replace("0.0.0.0", "127.0.0.1");
      expect((await raw(url, "GET", "/__admin/health")).status).toBe(401);
      expect((await raw(url, "GET", "/__admin/health", { Authorization: "Bearer wrong-token-000" })).status).toBe(401);
      expect((await raw(url, "GET", "/__admin/health", { Authorization: `Bearer ${adminToken}` })).status).toBe(200);
      const id = e.seedShare({ ownerId: USER_ID }).shareId;
      expect((await raw(url, "GET", `${SHARE}/${id}`, tokenHeaders(TOKEN, USER_ID))).status).toBe(200);
    } finally {
      await e.close();
    }
  });
});
