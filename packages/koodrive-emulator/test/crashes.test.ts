import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { APP_ID, TOKEN, USER_ID, testEmulator, useEmulatorWithShare } from "./support/fixtures";
import { raw, tokenHeaders, xDate } from "./support/rawHttp";
import { sendRaw, statusOf } from "./support/rawSocket";

// Each request below once killed the emulator (an unhandled promise rejection); five need no credentials.
const SHARE = "/koodrive/ose/v1/share";
const current = useEmulatorWithShare();

const bogusAppAuth = `HMAC-SHA256 AppId=${APP_ID},SignedHeaders=host;x-date;x-user-id,Signature=${"0".repeat(64)}`;
const headerLines = (h: Record<string, string>) =>
  Object.entries(h)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");

/** The request as raw bytes, its answer's status, and proof the emulator still serves a normal request. */
async function survives(request: string): Promise<number | undefined> {
  const answer = await sendRaw(current.emulator.url, request);
  const normal = await raw(current.emulator.url, "GET", `${SHARE}/${current.shareId}`, tokenHeaders(TOKEN, USER_ID));
  expect(normal.status).toBe(200);
  return statusOf(answer);
}

const CRASHES: Array<[string, string, number]> = [
  ["GET /__admin/shares/%ZZ (no credentials)", "GET /__admin/shares/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400],
  ["PATCH /__admin/shares/%ZZ (no credentials)", "PATCH /__admin/shares/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}", 400],
  ["request target //[ (no credentials)", "GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0],
  ["request target http://[ (no credentials)", "GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400],
  [
    "a bad % escape in the path, app auth with a bogus signature",
    `GET ${SHARE}/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headerLines({ Authorization: bogusAppAuth, "X-User-Id": USER_ID, "X-Date": xDate(), "X-Hw-Agentname": "a" })}\r\n`,
    400,
  ],
  [
    "a bad % escape in the query, app auth with a bogus signature",
    `GET ${SHARE}?pageSize=%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headerLines({ Authorization: bogusAppAuth, "X-User-Id": USER_ID, "X-Date": xDate(), "X-Hw-Agentname": "a" })}\r\n`,
    400,
  ],
  [
    "a bad % escape in the path with a valid token",
    `GET ${SHARE}/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headerLines(tokenHeaders(TOKEN, USER_ID))}\r\n`,
    400,
  ],
];

describe("no single request crashes the emulator", () => {
  it.each(CRASHES)("%s → an answer, and the emulator keeps serving", async (_name, request, expected) => {
    const status = await survives(request);
    if (expected === 0)
      expect(status).toEqual(expect.any(Number)); // Node's parser or the gateway 404: any answer
    else expect(status).toBe(expected);
  });

  it("seeding validDays 1e10 is refused with a 400 naming the rule, and nothing is stored", async () => {
    const res = await raw(current.emulator.url, "POST", "/__admin/shares", {}, JSON.stringify({ ownerId: USER_ID, validDays: 1e10 }));
    expect(res.status).toBe(400);
    expect(res.json.error).toBe("validDays must be an integer from 0 to 365");
    expect(() => current.emulator.seedShare({ ownerId: USER_ID, validDays: 1e10 })).toThrow("validDays must be an integer from 0 to 365");
    const list = await raw(current.emulator.url, "GET", SHARE, tokenHeaders(TOKEN, USER_ID));
    expect(list.json.shareLinks).toHaveLength(1);
  });

  it("a state file with an out-of-range entry is refused at start, naming the file and the entry (the old restart crash)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-crash-"));
    const file = path.join(dir, "state.json");
    try {
      const first = await testEmulator({ stateFile: file });
      first.seedShare({ ownerId: USER_ID, shareId: "100" });
      await first.close();
      const saved = JSON.parse(fs.readFileSync(file, "utf8"));
      saved.shares[0].expireTime = saved.shares[0].shareTime + 1e10 * 86_400_000; // what validDays 1e10 used to store
      fs.writeFileSync(file, JSON.stringify(saved));
      await expect(testEmulator({ stateFile: file })).rejects.toThrow(
        `state file ${file}: shares[0] (shareId 100): expireTime must be epoch milliseconds up to year 9999`,
      );
      fs.writeFileSync(file, "{not json");
      await expect(testEmulator({ stateFile: file })).rejects.toThrow(`state file ${file}: cannot be read as JSON`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ validDays: -1 }, /validDays must be an integer from 0 to 365/],
    [{ scope: 2 }, /scope must be one of 1, 3 on the carrier edition/],
    [{ fileIds: "abc" }, /fileIds must list 1 to 100/],
    [{ ownerId: 42 }, /ownerId/],
    [{ extractCode: "short" }, /extractCode must be 8 characters/],
    [{ shareId: "12".repeat(20) }, /shareId must be a new numeric ID/],
    [{ colour: "red" }, /unknown field "colour"/],
  ])("admin seed %j → 400 with the rule", async (change, msg) => {
    const res = await raw(current.emulator.url, "POST", "/__admin/shares", {}, JSON.stringify({ ownerId: USER_ID, ...change }));
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(msg);
  });

  it.each([
    [{ status: 7 }, /status must be 0 \(active\), 1 \(files deleted\) or 2 \(invalid\)/],
    [{ viewCnt: -1 }, /viewCnt must be a non-negative integer/],
    [{ viewCnt: 1e300 }, /viewCnt must be a non-negative integer/],
    [{ expireTime: "+275760-09-13T00:00:00.000Z" }, /expireTime must be ISO-8601/],
    [{ expireTime: 5 }, /expireTime must be ISO-8601/],
    [{ extractCode: 12345678 }, /extractCode must be 8 characters/],
    ["text", /must be a JSON object/],
  ])("admin PATCH %j → 400 with the rule, share unchanged", async (change, msg) => {
    const before = current.emulator.getShare(current.shareId);
    const res = await raw(current.emulator.url, "PATCH", `/__admin/shares/${current.shareId}`, {}, JSON.stringify(change));
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(msg);
    expect(current.emulator.getShare(current.shareId)).toEqual(before);
  });

  it("a handler failure becomes a 500 answer, not a crash", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-crash-"));
    const withState = await testEmulator({ stateFile: path.join(dir, "state.json") });
    try {
      const id = withState.seedShare({ ownerId: USER_ID }).shareId as string;
      fs.rmSync(dir, { recursive: true, force: true }); // the next save cannot write its file
      const res = await raw(withState.url, "PUT", `${SHARE}/${id}`, tokenHeaders(TOKEN, USER_ID), JSON.stringify({ validDays: 1 }));
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ code: 13000201, msg: "inner server invoke failure" });
      expect((await raw(withState.url, "GET", `${SHARE}/${id}`, tokenHeaders(TOKEN, USER_ID))).status).toBe(200);
    } finally {
      await withState.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("an emulator embedded in a host process", () => {
  it("never takes the host down: every former crash request is answered and the host keeps running", async () => {
    const host = spawn(process.execPath, [
      "-e",
      `
      const { startEmulator } = require(${JSON.stringify(path.join(__dirname, "../dist/index.js"))});
      startEmulator({ tokens: [${JSON.stringify(TOKEN)}], apps: { ${JSON.stringify(APP_ID)}: "s3cret-app" } }).then((e) => {
        e.seedShare({ ownerId: ${JSON.stringify(USER_ID)}, shareId: "5" });
        console.log(e.url);
      });
      setInterval(() => {}, 1000);
    `,
    ]);
    try {
      const url = await new Promise<string>((resolve) => readline.createInterface({ input: host.stdout }).once("line", resolve));
      let exited = false;
      host.once("exit", () => (exited = true));
      for (const [, request] of CRASHES) expect(statusOf(await sendRaw(url, request))).toEqual(expect.any(Number));
      await new Promise((r) => setTimeout(r, 200));
      expect(exited).toBe(false);
      expect((await raw(url, "GET", `${SHARE}/5`, tokenHeaders(TOKEN, USER_ID))).status).toBe(200);
    } finally {
      host.kill("SIGKILL");
    }
  });
});
