import { TOKEN, USER_ID, useEmulatorWithShare } from "./support/fixtures";
import { raw, tokenHeaders } from "./support/rawHttp";

const SHARE = "/koodrive/ose/v1/share";
const fixture = useEmulatorWithShare({}, { comment: "before" });
const body = JSON.stringify({ validDays: 3, comment: "after" });

describe("a body must be JSON declared as such, in UTF-8", () => {
  it.each([
    ["text/plain", { "Content-Type": "text/plain" }],
    ["form-encoded", { "Content-Type": "application/x-www-form-urlencoded" }],
    ["missing", { "Content-Type": "" }],
    ["another charset", { "Content-Type": "application/json; charset=ISO-8859-1" }],
    ["application/jsonp", { "Content-Type": "application/jsonp" }],
  ])("Content-Type %s → 400 13000102 naming the rule; nothing changes", async (_name, headers) => {
    const { emulator, shareId } = fixture;
    const send = { ...tokenHeaders(TOKEN, USER_ID), ...headers };
    if (send["Content-Type"] === "") delete (send as Record<string, string>)["Content-Type"];
    const res = await rawNoDefaultType(emulator.url, `${SHARE}/${shareId}`, send, body);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ code: 13000102, msg: expect.stringMatching(/header Content-Type must be application\/json/) });
    expect(emulator.getShare(shareId)!.comment).toBe("before");
  });

  it.each(["application/json", "application/json;charset=UTF-8", "application/json; charset=utf-8", 'Application/JSON; charset="UTF-8"'])(
    "Content-Type %s is accepted",
    async (type) => {
      const { emulator, shareId } = fixture;
      const res = await raw(emulator.url, "PUT", `${SHARE}/${shareId}`, { ...tokenHeaders(TOKEN, USER_ID), "Content-Type": type }, body);
      expect(res.status).toBe(200);
    },
  );

  it("a request without a body needs no Content-Type", async () => {
    const { emulator, shareId } = fixture;
    expect((await raw(emulator.url, "GET", `${SHARE}/${shareId}`, tokenHeaders(TOKEN, USER_ID))).status).toBe(200);
  });

  it("invalid UTF-8 is refused (400 13000102), not replaced and stored", async () => {
    const { emulator, shareId } = fixture;
    const bytes = Buffer.concat([Buffer.from('{"validDays":3,"comment":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    const res = await rawNoDefaultType(emulator.url, `${SHARE}/${shareId}`, { ...tokenHeaders(TOKEN, USER_ID), "Content-Type": "application/json" }, bytes);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ code: 13000102, msg: "Verify parameters failed: the body must be valid UTF-8" });
    expect(emulator.getShare(shareId)!.comment).toBe("before");
  });
});

/** A PUT with exactly these headers (the raw helper would add a JSON Content-Type) and body bytes. */
async function rawNoDefaultType(baseUrl: string, path: string, headers: Record<string, string>, payload: string | Buffer) {
  const http = await import("node:http");
  return new Promise<{ status: number; json: any }>((resolve, reject) => {
    const req = http.request(new URL(path, baseUrl), { method: "PUT", headers }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on("error", reject);
    req.end(payload);
  });
}
