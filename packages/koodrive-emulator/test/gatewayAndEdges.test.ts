import { parseExpireTime } from "../src/bodyRules";
import { MAX_JSON_DEPTH } from "../src/transport";
import { APP_ID, TOKEN, USER_ID, useEmulatorWithShare } from "./support/fixtures";
import { raw, tokenHeaders, xDate } from "./support/rawHttp";

const SHARE = "/koodrive/ose/v1/share";

/** `{"validDays":3,"x":[[…]]}` with the array nested `depth` levels below the body object. */
function nestedBody(depth: number): string {
  return `{"validDays":3,"x":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;
}

describe("gateway answers and edge inputs", () => {
  const fx = useEmulatorWithShare();

  it("a path no API is published at answers the gateway's 404 before any authentication", async () => {
    const res = await raw(fx.emulator.url, "GET", "/koodrive/ose/v1/nope");
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: "APIGW.0101", error_msg: expect.any(String) });
    const wrongMethod = await raw(fx.emulator.url, "DELETE", `${SHARE}/${fx.shareId}`);
    expect(wrongMethod.json.error_code).toBe("APIGW.0101");
  });

  it("a body over 1 MiB answers the gateway's 413, authenticated or not", async () => {
    const big = JSON.stringify({ validDays: 1, comment: "x".repeat(1_100_000) });
    for (const headers of [{}, tokenHeaders(TOKEN, USER_ID)]) {
      const res = await raw(fx.emulator.url, "PUT", `${SHARE}/${fx.shareId}`, headers, big);
      expect(res.status).toBe(413);
      expect(res.json.error_code).toBe("APIGW.0201");
    }
  });

  it(`a body nested deeper than ${MAX_JSON_DEPTH} levels is refused naming the rule, and the request log stays readable`, async () => {
    const accepted = await raw(fx.emulator.url, "PUT", `${SHARE}/${fx.shareId}`, tokenHeaders(TOKEN, USER_ID), nestedBody(MAX_JSON_DEPTH));
    expect(accepted.status).toBe(200);
    for (const depth of [MAX_JSON_DEPTH + 1, 5_000]) {
      const res = await raw(fx.emulator.url, "PUT", `${SHARE}/${fx.shareId}`, tokenHeaders(TOKEN, USER_ID), nestedBody(depth));
      expect(res.status).toBe(400);
      expect(res.json.code).toBe(13000102);
      expect(res.json.msg).toMatch(/must not nest arrays and objects deeper than 1000 levels/);
    }
    const log = await raw(fx.emulator.url, "GET", "/__admin/requests");
    expect(log.status).toBe(200);
    expect(log.json.requests.map((r: { status: number }) => r.status)).toEqual([200, 400, 400]);
    const admin = await raw(fx.emulator.url, "PUT", "/__admin/faults", {}, `{"latencyMs":${"[".repeat(5_000)}${"]".repeat(5_000)}}`);
    expect(admin.status).toBe(400);
    expect(admin.json.error).toMatch(/deeper than 1000 levels/);
  });

  it("a signed-header list naming constructor or __proto__ fails authentication (400), not the server (500)", async () => {
    for (const name of ["constructor", "__proto__", "tostring"]) {
      const headers = {
        ...tokenHeaders(TOKEN, USER_ID),
        Authorization: `HMAC-SHA256 AppId=${APP_ID},SignedHeaders=${name};x-date;x-user-id,Signature=${"0".repeat(64)}`,
        "X-Date": xDate(),
      };
      const res = await raw(fx.emulator.url, "GET", SHARE, headers);
      expect(res.status).toBe(400);
      expect(res.json.msg).toMatch(/authentication failed/i);
    }
    expect(fx.emulator.requests.all().map((r) => r.status)).toEqual([400, 400, 400]);
  });

  it("throttling starts a fresh window when the clock is moved back, instead of refusing until it catches up", async () => {
    fx.emulator.faults.set({ throttleRps: 1 });
    const get = () => raw(fx.emulator.url, "GET", `${SHARE}/${fx.shareId}`, tokenHeaders(TOKEN, USER_ID, { "X-Date": xDate(fx.emulator.clock.now()) }));
    expect((await get()).status).toBe(200);
    const refused = await get();
    expect(refused.status).toBe(429);
    expect(refused.headers["retry-after"]).toBe("1");
    fx.emulator.clock.setOffset(-3_600_000);
    expect((await get()).status).toBe(200);
  });

  it("a cancel that cancels nothing changes no state: it is not logged as applied and leaves after-apply faults for a real write", async () => {
    fx.emulator.faults.set({ dropAfterApplyNext: 1 });
    const res = await raw(fx.emulator.url, "POST", `${SHARE}/cancel`, tokenHeaders(TOKEN, USER_ID), JSON.stringify({ shareIds: ["424242"] }));
    expect(res.status).toBe(200);
    expect(res.json.subResponseList).toEqual([{ shareId: "424242", code: 13000309, msg: expect.any(String) }]);
    expect(fx.emulator.requests.all()[0]).not.toHaveProperty("applied");
    expect(fx.emulator.faults.current().dropAfterApplyNext).toBe(1);
    await expect(raw(fx.emulator.url, "POST", `${SHARE}/cancel`, tokenHeaders(TOKEN, USER_ID), JSON.stringify({ shareIds: [fx.shareId] }))).rejects.toThrow();
    expect(fx.emulator.requests.all()[1]).toMatchObject({ applied: true, fault: "dropAfterApply" });
    expect(fx.emulator.getShare(fx.shareId)).toBeUndefined();
  });

  it("a PUT's expireTime must be a real date in a documented form (it is otherwise ignored, as documented)", async () => {
    for (const expireTime of ["not a date", "2030-02-30T00:00:00Z", 5]) {
      const res = await raw(fx.emulator.url, "PUT", `${SHARE}/${fx.shareId}`, tokenHeaders(TOKEN, USER_ID), JSON.stringify({ validDays: 3, expireTime }));
      expect(res.status).toBe(400);
      expect(res.json.msg).toMatch(/expireTime must be yyyy-MM-dd HH:mm:ss \(UTC\) or ISO-8601/);
    }
    const ok = await raw(
      fx.emulator.url,
      "PUT",
      `${SHARE}/${fx.shareId}`,
      tokenHeaders(TOKEN, USER_ID),
      JSON.stringify({ validDays: 3, expireTime: "2025-05-29T02:00:39.952Z" }),
    );
    expect(ok.status).toBe(200);
  });
});

describe("parseExpireTime", () => {
  const zone = process.env.TZ;
  // A host far from UTC: a time without a zone must still be UTC.
  beforeAll(() => {
    process.env.TZ = "Asia/Singapore";
  });
  afterAll(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it.each([
    ["2027-01-01 10:00:00", Date.UTC(2027, 0, 1, 10)],
    ["2027-01-01T10:00:00", Date.UTC(2027, 0, 1, 10)],
    ["2027-01-01T10:00:00Z", Date.UTC(2027, 0, 1, 10)],
    ["2027-01-01T10:00:00.5Z", Date.UTC(2027, 0, 1, 10, 0, 0, 500)],
    ["2025-05-29T02:00:39.952Z", Date.UTC(2025, 4, 29, 2, 0, 39, 952)],
    ["2027-01-01T18:00:00+08:00", Date.UTC(2027, 0, 1, 10)],
    ["2027-01-01T05:30:00-04:30", Date.UTC(2027, 0, 1, 10)],
  ])("%s is %d", (text, ms) => {
    expect(parseExpireTime(text)).toBe(ms);
  });

  it.each([
    "2027-02-30T00:00:00Z",
    "2027-02-30 00:00:00",
    "2027-01-01 10:00:00Z",
    "2027-01-01T10:00Z",
    "2027-01-01",
    "2027-01-01T25:00:00Z",
    "2027-01-01T10:00:00+15:00",
    "27/05/2025",
  ])("%s is no documented form or no real date", (text) => {
    expect(parseExpireTime(text)).toBeUndefined();
  });
});
