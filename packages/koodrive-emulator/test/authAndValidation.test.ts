import type { Emulator } from "../src";
import { APP_ID, APP_SECRET, OTHER_USER_ID, TOKEN, USER_ID, testEmulator } from "./support/fixtures";
import { appHeaders, raw, tokenHeaders, xDate } from "./support/rawHttp";

let emulator: Emulator;
let shareId: string;
const SHARE = "/koodrive/ose/v1/share";

beforeEach(async () => {
  emulator = await testEmulator();
  shareId = emulator.seedShare({ ownerId: USER_ID, comment: "untouched", extractCode: "AAAA1111", validDays: 10 }).shareId as string;
});
afterEach(() => emulator.close());

const put = (headers: Record<string, string>, body: string) => raw(emulator.url, "PUT", `${SHARE}/${shareId}`, headers, body);
const goodBody = JSON.stringify({ validDays: 3, comment: "changed" });

/** Sends a bad request and asserts the documented answer and that the share did not change. */
async function expectRejected(send: () => Promise<{ status: number; json: any }>, status: number, code: number, msg?: RegExp) {
  const before = emulator.getShare(shareId);
  const res = await send();
  expect(res.status).toBe(status);
  expect(res.json.code).toBe(code);
  expect(typeof res.json.msg).toBe("string");
  if (msg) expect(res.json.msg).toMatch(msg);
  expect(emulator.getShare(shareId)).toEqual(before);
}

describe("authentication rules", () => {
  it.each([
    ["X-Hw-Agentname missing", { "X-Hw-Agentname": undefined }, 400, 13000102, /X-Hw-Agentname/],
    ["X-Traceid not 58 characters", { "X-Traceid": "abc" }, 400, 13000102, /X-Traceid/],
    ["X-User-Id missing", { "X-User-Id": undefined }, 400, 13000102, /X-User-Id/],
    ["X-User-Id not numeric", { "X-User-Id": "alice" }, 400, 13000102, /X-User-Id/],
    ["X-Date missing", { "X-Date": undefined }, 400, 13000102, /X-Date/],
    ["X-Date in ISO format", { "X-Date": new Date().toISOString() }, 400, 13000102, /X-Date/],
    ["X-Date not a real date", { "X-Date": "20250231T000000Z" }, 400, 13000102, /X-Date/],
    ["X-Date 16 minutes old", { "X-Date": xDate(Date.now() - 16 * 60 * 1000) }, 400, 13000103, /15 minutes/],
    ["X-Date one minute ahead", { "X-Date": xDate(Date.now() + 60 * 1000) }, 400, 13000103, /future/],
    ["Authorization missing", { Authorization: undefined }, 401, 13000104, /Authorization/],
    ["unknown token", { Authorization: "Bearer nope" }, 401, 13000104, /unknown access token/],
  ])("%s → HTTP %d, code %d, share unchanged", async (_name, overrides, status, code, msg) => {
    await expectRejected(() => put(tokenHeaders(TOKEN, USER_ID, overrides), goodBody), status, code, msg);
  });

  it.each([`Bearer ${TOKEN}`, `Bearer+${TOKEN}`, TOKEN])("accepts token form %j", async (authorization) => {
    const res = await put(tokenHeaders(TOKEN, USER_ID, { Authorization: authorization }), goodBody);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ code: 0, msg: "Success.", shareLink: { shareId, comment: "changed" } });
  });

  it("accepts an X-Date 14 minutes old and a request without X-Traceid", async () => {
    expect((await put(tokenHeaders(TOKEN, USER_ID, { "X-Date": xDate(Date.now() - 14 * 60 * 1000), "X-Traceid": undefined }), goodBody)).status).toBe(200);
  });

  it("expires tokens after their sliding lifetime", async () => {
    let now = Date.now();
    const timed = await testEmulator({ tokenTtlSeconds: 1200, now: () => now });
    try {
      const id = timed.seedShare({ ownerId: USER_ID }).shareId as string;
      const get = () => raw(timed.url, "GET", `${SHARE}/${id}`, tokenHeaders(TOKEN, USER_ID, { "X-Date": xDate(now) }));
      expect((await get()).status).toBe(200);
      now += 19 * 60 * 1000;
      expect((await get()).status).toBe(200); // each call slides the window
      now += 21 * 60 * 1000;
      const res = await get();
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ code: 13000104, msg: "Unauthorized: access token expired." });
    } finally {
      await timed.close();
    }
  });

  it("accepts a correctly signed app-auth request", async () => {
    const res = await put(appHeaders(emulator.url, "PUT", `${SHARE}/${shareId}`, goodBody, APP_ID, APP_SECRET, USER_ID), goodBody);
    expect(res.status).toBe(200);
    expect(emulator.requests.all()[0]!.auth).toBe("app");
  });

  it.each([
    ["a wrong secret", () => appHeaders(emulator.url, "PUT", `${SHARE}/${shareId}`, goodBody, APP_ID, "wrong-secret", USER_ID), /signature mismatch/],
    ["an unknown AppId", () => appHeaders(emulator.url, "PUT", `${SHARE}/${shareId}`, goodBody, "unknown-app", APP_SECRET, USER_ID), /unknown AppId/],
    ["a signature over another body", () => appHeaders(emulator.url, "PUT", `${SHARE}/${shareId}`, "{}", APP_ID, APP_SECRET, USER_ID), /signature mismatch/],
    [
      "a signature for another user",
      () => ({ ...appHeaders(emulator.url, "PUT", `${SHARE}/${shareId}`, goodBody, APP_ID, APP_SECRET, USER_ID), "X-User-Id": OTHER_USER_ID }),
      /signature mismatch/,
    ],
    [
      "SignedHeaders without x-user-id",
      () => {
        const h = appHeaders(emulator.url, "PUT", `${SHARE}/${shareId}`, goodBody, APP_ID, APP_SECRET, USER_ID);
        return { ...h, Authorization: h.Authorization!.replace("host;x-date;x-user-id", "host;x-date") };
      },
      /must include x-date and x-user-id/,
    ],
    [
      "a malformed Authorization",
      () => ({ ...appHeaders(emulator.url, "PUT", `${SHARE}/${shareId}`, goodBody, APP_ID, APP_SECRET, USER_ID), Authorization: "HMAC-SHA256 junk" }),
      /AppId, SignedHeaders and Signature/,
    ],
  ])("rejects app auth with %s → HTTP 400, 13000103", async (_name, headers, msg) => {
    await expectRejected(() => put(headers(), goodBody), 400, 13000103, msg);
  });

  it("never logs a token or signature", async () => {
    await put(tokenHeaders(TOKEN, USER_ID), goodBody);
    await put(appHeaders(emulator.url, "PUT", `${SHARE}/${shareId}`, goodBody, APP_ID, APP_SECRET, USER_ID), goodBody);
    const log = JSON.stringify(emulator.requests.all());
    expect(log).not.toContain(TOKEN);
    expect(log).not.toMatch(/Signature=[0-9a-f]{64}/);
    expect(emulator.requests.all()[0]!.headers.authorization).toBe("Bearer [REDACTED]");
  });

  it("never logs an access code, nested, misspelt or in the query either", async () => {
    const nested = JSON.stringify({
      validDays: 3,
      share: { extractCode: "NeSt1234" },
      list: [{ EXTRACTCODE: "LiSt1234" }],
      extractcode: "CaSe1234",
      extract_code: "SnAk1234",
      "Extract-Code": "KeBa1234",
    });
    await raw(emulator.url, "PUT", `${SHARE}/${shareId}?extract_code=QuEr1234`, tokenHeaders(TOKEN, USER_ID), nested);
    const [logged] = emulator.requests.all();
    expect(JSON.stringify(logged)).not.toMatch(/NeSt1234|LiSt1234|CaSe1234|SnAk1234|KeBa1234|QuEr1234/);
    expect(logged).toMatchObject({
      query: { extract_code: "[REDACTED]" },
      body: { share: { extractCode: "[REDACTED]" }, extractcode: "[REDACTED]", extract_code: "[REDACTED]", "Extract-Code": "[REDACTED]" },
    });
  });

  it("never logs a proxy's credentials or cookies either", async () => {
    const proxyCredentials = Buffer.from("user:PrOxYpW-777").toString("base64");
    await put({ ...tokenHeaders(TOKEN, USER_ID), "Proxy-Authorization": `Basic ${proxyCredentials}`, Cookie: "session=CoOkIe-777" }, goodBody);
    const [logged] = emulator.requests.all();
    expect(JSON.stringify(logged)).not.toMatch(new RegExp(`${proxyCredentials}|CoOkIe-777`));
    expect(logged!.headers["proxy-authorization"]).toBe("Basic [REDACTED]");
    expect(logged!.headers.cookie).toBe("[REDACTED]");
  });
});

describe("modify-share validation", () => {
  it.each([
    ["validDays missing", { comment: "x" }, /validDays is mandatory/],
    ["validDays 366", { validDays: 366 }, /0 to 365/],
    ["validDays -1", { validDays: -1 }, /0 to 365/],
    ["validDays 1.5", { validDays: 1.5 }, /0 to 365/],
    ["validDays as a string", { validDays: "7" }, /0 to 365/],
    ["extractCode too short", { validDays: 1, extractCode: "abc" }, /extractCode/],
    ["extractCode with a symbol", { validDays: 1, extractCode: "abcdefg!" }, /extractCode/],
    ["extractCode with an underscore (a word character, not [0-9a-zA-Z])", { validDays: 1, extractCode: "abcd_123" }, /extractCode/],
    ["extractCode of 9 characters", { validDays: 1, extractCode: "abcdefghi" }, /extractCode/],
    ["extractCode as a number", { validDays: 1, extractCode: 12345678 }, /extractCode/],
    ["comment of 512 characters", { validDays: 1, comment: "x".repeat(512) }, /comment/],
    ["comment as a number", { validDays: 1, comment: 5 }, /comment/],
    ["a JSON array body", [1, 2], /JSON object/],
  ])("%s → 400 / 13000102, share unchanged", async (_name, body, msg) => {
    await expectRejected(() => put(tokenHeaders(TOKEN, USER_ID), JSON.stringify(body)), 400, 13000102, msg);
  });

  it("a body that is not JSON → 400 / 13000102", async () => {
    await expectRejected(() => put(tokenHeaders(TOKEN, USER_ID), "{validDays: 3"), 400, 13000102, /valid JSON/);
  });

  it("an unknown or foreign share → 400 / 13000309, and the foreign share is unchanged", async () => {
    const foreign = emulator.seedShare({ ownerId: OTHER_USER_ID, comment: "theirs" });
    for (const id of ["1234", foreign.shareId as string]) {
      const res = await raw(emulator.url, "PUT", `${SHARE}/${id}`, tokenHeaders(TOKEN, USER_ID), goodBody);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ code: 13000309, msg: "Resource not found." });
      expect((await raw(emulator.url, "GET", `${SHARE}/${id}`, tokenHeaders(TOKEN, USER_ID))).json.code).toBe(13000309);
    }
    expect(emulator.getShare(foreign.shareId as string)!.comment).toBe("theirs");
  });

  it("applies a valid PUT: validDays recomputes expiry, 0 removes it (carrier), omitted fields stay", async () => {
    const before = Date.now();
    const res = await put(tokenHeaders(TOKEN, USER_ID), JSON.stringify({ validDays: 9, expireTime: "2025-05-29T02:00:39.952Z" }));
    expect(res.status).toBe(200);
    const link = res.json.shareLink;
    expect(link).toMatchObject({ comment: "untouched", extractCode: "AAAA1111", viewCnt: "0", downloadCnt: "0", saveCnt: "0", status: 0, scope: 1 });
    const days = (Date.parse(link.expireTime) - before) / 86400000;
    expect(days).toBeGreaterThan(8.99);
    expect(days).toBeLessThan(9.01);
    const cleared = await put(tokenHeaders(TOKEN, USER_ID), JSON.stringify({ validDays: 0, comment: "" }));
    expect(cleared.json.shareLink.expireTime).toBeUndefined();
    expect(cleared.json.shareLink.comment).toBe("");
  });

  it("enterprise edition: no agent header needed and validDays 0 keeps the expiry", async () => {
    const ent = await testEmulator({ edition: "enterprise" });
    try {
      const share = ent.seedShare({ ownerId: USER_ID, validDays: 5 });
      const res = await raw(
        ent.url,
        "PUT",
        `${SHARE}/${share.shareId}`,
        tokenHeaders(TOKEN, USER_ID, { "X-Hw-Agentname": undefined }),
        JSON.stringify({ validDays: 0 }),
      );
      expect(res.status).toBe(200);
      expect(res.json.shareLink.expireTime).toBe(share.expireTime);
    } finally {
      await ent.close();
    }
  });

  it("reports an expired share with status 2", async () => {
    emulator.changeShare(shareId, { expireTime: "2020-01-01T00:00:00.000Z" });
    const res = await raw(emulator.url, "GET", `${SHARE}/${shareId}`, tokenHeaders(TOKEN, USER_ID));
    expect(res.json.shareLink.status).toBe(2);
  });

  it("answers unknown paths like the API gateway", async () => {
    const res = await raw(emulator.url, "DELETE", `${SHARE}/${shareId}`, tokenHeaders(TOKEN, USER_ID));
    expect(res.status).toBe(404);
    expect(res.json.error_code).toBe("APIGW.0101");
  });
});

describe("create, list and cancel", () => {
  const create = (body: unknown) => raw(emulator.url, "POST", SHARE, tokenHeaders(TOKEN, USER_ID), JSON.stringify(body));
  const valid = { scope: 1, fileIds: ["f1"], containerId: "space", validDays: 7 };

  it.each([
    ["scope 2 (not on the carrier edition)", { scope: 2 }, /scope/],
    ["no fileIds", { fileIds: [] }, /fileIds/],
    ["101 fileIds", { fileIds: Array.from({ length: 101 }, (_, i) => `f${i}`) }, /fileIds/],
    ["no containerId", { containerId: undefined }, /containerId/],
    ["validDays 0", { validDays: 0 }, /1 to 365/],
    ["expireTime in another format", { expireTime: "27/05/2025" }, /expireTime/],
    [
      "expireTime before 1970 (could not be stored)",
      { expireTime: "1969-12-31T00:00:00Z" },
      /expireTime must be yyyy-MM-dd HH:mm:ss \(UTC\) or ISO-8601, a real date between 1970 and 9999/,
    ],
    ["expireTime on a day that does not exist", { expireTime: "2030-02-30 00:00:00" }, /expireTime/],
    ["extractCode of 7 characters", { extractCode: "abcdefg" }, /extractCode/],
  ])("create with %s → 400 / 13000102, nothing created", async (_name, change, msg) => {
    const res = await create({ ...valid, ...change });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe(13000102);
    expect(res.json.msg).toMatch(msg);
    const list = await raw(emulator.url, "GET", SHARE, tokenHeaders(TOKEN, USER_ID));
    expect(list.json.shareLinks).toHaveLength(1);
  });

  it('creates a share with a 19-digit ID (scope may be the string "1", as in the docs\' example)', async () => {
    const res = await create({ ...valid, scope: "1", fileIds: ["a", "b"], expireTime: "2030-05-27 01:37:49", extractCode: "MDg2K0vU" });
    expect(res.status).toBe(200);
    expect(res.json.shareLink.shareId).toMatch(/^\d{19}$/);
    expect(res.json.shareLink.expireTime).toBe("2030-05-27T01:37:49.000Z");
    const detail = await raw(emulator.url, "GET", `${SHARE}/${res.json.shareLink.shareId}`, tokenHeaders(TOKEN, USER_ID));
    expect(detail.json.shareLink.displayName).toBe("a and more files");
  });

  it.each(["pageSize=0", "pageSize=101", "pageSize=abc", "pageCursor=xyz", "pageCursor=3", "sortDirection=3", "sortType=1"])(
    "list with %s → 400 / 13000102",
    async (query) => {
      const res = await raw(emulator.url, "GET", `${SHARE}?${query}`, tokenHeaders(TOKEN, USER_ID));
      expect(res.status).toBe(400);
      expect(res.json.code).toBe(13000102);
    },
  );

  it("lists only the caller's shares, newest first, with cursors", async () => {
    emulator.seedShare({ ownerId: OTHER_USER_ID });
    for (let i = 0; i < 3; i++) await create({ ...valid, fileIds: [`n${i}`] });
    const page1 = await raw(emulator.url, "GET", `${SHARE}?pageSize=3`, tokenHeaders(TOKEN, USER_ID));
    expect(typeof page1.json.nextCursor).toBe("string");
    const page2 = await raw(emulator.url, "GET", `${SHARE}?pageSize=3&pageCursor=${encodeURIComponent(page1.json.nextCursor)}`, tokenHeaders(TOKEN, USER_ID));
    expect(page2.json.nextCursor).toBeUndefined();
    const all = [...page1.json.shareLinks, ...page2.json.shareLinks];
    expect(all).toHaveLength(4);
    expect(all.every((s: { ownerId?: string }) => s.ownerId === undefined)).toBe(true); // list items carry no ownerId
    expect(all.map((s: { shareId: string }) => emulator.getShare(s.shareId)!.ownerId)).toEqual([USER_ID, USER_ID, USER_ID, USER_ID]);
    expect(all.map((s: { shareTime: string }) => s.shareTime)).toEqual([...all.map((s: { shareTime: string }) => s.shareTime)].sort().reverse());
  });

  it.each([
    ["no shareIds", {}],
    ["an empty list", { shareIds: [] }],
    ["101 ids", { shareIds: Array.from({ length: 101 }, (_, i) => String(i)) }],
  ])("cancel with %s → 400 / 13000102, nothing cancelled", async (_name, body) => {
    const res = await raw(emulator.url, "POST", `${SHARE}/cancel`, tokenHeaders(TOKEN, USER_ID), JSON.stringify(body));
    expect(res.status).toBe(400);
    expect(res.json.code).toBe(13000102);
    expect(emulator.getShare(shareId)).toBeDefined();
  });

  it("cancel answers per item: own shares go, foreign and unknown ones are not found", async () => {
    const foreign = emulator.seedShare({ ownerId: OTHER_USER_ID }).shareId as string;
    const res = await raw(emulator.url, "POST", `${SHARE}/cancel`, tokenHeaders(TOKEN, USER_ID), JSON.stringify({ shareIds: [shareId, foreign, "42"] }));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      code: 0,
      msg: "Success.",
      subResponseList: [
        { shareId, code: 0, msg: "success" },
        { shareId: foreign, code: 13000309, msg: "Resource not found." },
        { shareId: "42", code: 13000309, msg: "Resource not found." },
      ],
    });
    expect(emulator.getShare(shareId)).toBeUndefined();
    expect(emulator.getShare(foreign)).toBeDefined();
  });
});
