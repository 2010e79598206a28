import { expectedSignature } from "../src/requestAuth";
import { APP_ID, APP_SECRET, USER_ID, useEmulatorWithShare } from "./support/fixtures";
import { appHeaders, raw } from "./support/rawHttp";

const SHARE = "/koodrive/ose/v1/share";
const body = JSON.stringify({ validDays: 3, comment: "changed" });
const fx = useEmulatorWithShare();

/** Correctly signed headers whose Authorization is rewritten by `spell` (signature = the real, valid one). */
function spelled(spell: (signature: string) => string): Record<string, string> {
  const headers = appHeaders(fx.emulator.url, "PUT", `${SHARE}/${fx.shareId}`, body, APP_ID, APP_SECRET, USER_ID);
  const signature = /Signature=([0-9a-f]{64})$/.exec(headers.Authorization!)![1]!;
  return { ...headers, Authorization: spell(signature) };
}

/** Headers signed over exactly `names` (in that order), with a valid signature for that order. */
function signedOver(names: string[], extra: Record<string, string> = {}): Record<string, string> {
  const base = { ...appHeaders(fx.emulator.url, "PUT", `${SHARE}/${fx.shareId}`, body, APP_ID, APP_SECRET, USER_ID), ...extra };
  const lower = Object.fromEntries(Object.entries({ ...base, host: new URL(fx.emulator.url).host }).map(([k, v]) => [k.toLowerCase(), v]));
  const signature = expectedSignature(
    { method: "PUT", path: `${SHARE}/${fx.shareId}`, rawQuery: "", headers: lower, body: Buffer.from(body) },
    names,
    APP_SECRET,
  );
  return { ...base, Authorization: `HMAC-SHA256 AppId=${APP_ID},SignedHeaders=${names.join(";")},Signature=${signature}` };
}

describe("app auth: only the documented Authorization form, and the log never keeps a signature", () => {
  it.each([
    ["Signature = sig", (s: string) => `HMAC-SHA256 AppId=${APP_ID},SignedHeaders=host;x-date;x-user-id,Signature = ${s}`],
    ["Signature=  sig", (s: string) => `HMAC-SHA256 AppId=${APP_ID},SignedHeaders=host;x-date;x-user-id,Signature=  ${s}`],
    ["Signature =sig", (s: string) => `HMAC-SHA256 AppId=${APP_ID},SignedHeaders=host;x-date;x-user-id,Signature =${s}`],
    ["signature=sig", (s: string) => `HMAC-SHA256 AppId=${APP_ID},SignedHeaders=host;x-date;x-user-id,signature=${s}`],
    ["SIGNATURE=sig", (s: string) => `HMAC-SHA256 AppId=${APP_ID},SignedHeaders=host;x-date;x-user-id,SIGNATURE=${s}`],
    ["a space after the commas", (s: string) => `HMAC-SHA256 AppId=${APP_ID}, SignedHeaders=host;x-date;x-user-id, Signature=${s}`],
    ["two spaces after the scheme", (s: string) => `HMAC-SHA256  AppId=${APP_ID},SignedHeaders=host;x-date;x-user-id,Signature=${s}`],
    ["upper-case hex", (s: string) => `HMAC-SHA256 AppId=${APP_ID},SignedHeaders=host;x-date;x-user-id,Signature=${s.toUpperCase()}`],
    ["Signature twice", (s: string) => `HMAC-SHA256 AppId=${APP_ID},SignedHeaders=host;x-date;x-user-id,Signature=${s},Signature=${s}`],
  ])("%s → 400 13000103, share unchanged, signature not logged", async (name, spell) => {
    const headers = spelled(spell);
    const signature = /([0-9a-fA-F]{64})/.exec(headers.Authorization!.replace(APP_ID, ""))![1]!;
    const before = fx.emulator.getShare(fx.shareId);
    const res = await raw(fx.emulator.url, "PUT", `${SHARE}/${fx.shareId}`, headers, body);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe(13000103);
    expect(res.json.msg).toMatch(/^Authentication failed: /);
    expect(fx.emulator.getShare(fx.shareId)).toEqual(before);
    const log = JSON.stringify(fx.emulator.requests.all());
    expect(log.toLowerCase()).not.toContain(signature.toLowerCase());
    // Only a value in the documented form has fields to keep; upper-case hex is in that form, with a wrong signature.
    const logged =
      name === "upper-case hex" ? `HMAC-SHA256 AppId=${APP_ID},SignedHeaders=host;x-date;x-user-id,Signature=[REDACTED]` : "HMAC-SHA256 [REDACTED]";
    expect(fx.emulator.requests.all()[0]!.headers.authorization).toBe(logged);
  });

  it("a valid request is logged with scheme, AppId and SignedHeaders, the signature redacted", async () => {
    const headers = spelled((s) => `HMAC-SHA256 AppId=${APP_ID},SignedHeaders=host;x-date;x-user-id,Signature=${s}`);
    expect((await raw(fx.emulator.url, "PUT", `${SHARE}/${fx.shareId}`, headers, body)).status).toBe(200);
    expect(fx.emulator.requests.all()[0]!.headers.authorization).toBe(`HMAC-SHA256 AppId=${APP_ID},SignedHeaders=host;x-date;x-user-id,Signature=[REDACTED]`);
  });

  it("the sorted signed-header list with a correct signature passes; unsorted, or naming a header not sent, does not", async () => {
    expect((await raw(fx.emulator.url, "PUT", `${SHARE}/${fx.shareId}`, signedOver(["host", "x-date", "x-user-id"]), body)).status).toBe(200);
    const unsorted = await raw(fx.emulator.url, "PUT", `${SHARE}/${fx.shareId}`, signedOver(["x-user-id", "x-date", "host"]), body);
    expect(unsorted.status).toBe(400);
    expect(unsorted.json).toEqual({ code: 13000103, msg: "Authentication failed: SignedHeaders must be sorted ascending, each name once." });
    const absent = await raw(fx.emulator.url, "PUT", `${SHARE}/${fx.shareId}`, signedOver(["host", "x-absent", "x-date", "x-user-id"]), body);
    expect(absent.status).toBe(400);
    expect(absent.json).toEqual({ code: 13000103, msg: "Authentication failed: signed header x-absent is not in the request." });
    const sent = await raw(fx.emulator.url, "PUT", `${SHARE}/${fx.shareId}`, signedOver(["host", "x-date", "x-extra", "x-user-id"], { "X-Extra": "1" }), body);
    expect(sent.status).toBe(200);
  });
});
