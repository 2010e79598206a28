import { TOKEN, USER_ID, useEmulatorWithShare } from "./support/fixtures";
import { raw, tokenHeaders } from "./support/rawHttp";

const SHARE = "/koodrive/ose/v1/share";
const fixture = useEmulatorWithShare({}, { comment: "kept", extractCode: "AAAA1111" });
const call = (method: string, path: string, body: unknown) => raw(fixture.emulator.url, method, path, tokenHeaders(TOKEN, USER_ID), JSON.stringify(body));

describe("null for an optional body field means 'not sent'", () => {
  it("modify with comment: null and extractCode: null changes neither", async () => {
    const res = await call("PUT", `${SHARE}/${fixture.shareId}`, { validDays: 1, comment: null, extractCode: null, expireTime: null });
    expect(res.status).toBe(200);
    expect(fixture.emulator.getShare(fixture.shareId)).toMatchObject({ comment: "kept", extractCode: "AAAA1111" });
  });

  it("create with null optional fields creates a share without them", async () => {
    const res = await call("POST", SHARE, { scope: 1, fileIds: ["f"], containerId: "c", validDays: 3, comment: null, extractCode: null, expireTime: null });
    expect(res.status).toBe(200);
    expect(fixture.emulator.getShare(res.json.shareLink.shareId)).not.toHaveProperty("comment");
  });

  it("a mandatory field sent as null is missing", async () => {
    const res = await call("PUT", `${SHARE}/${fixture.shareId}`, { validDays: null });
    expect(res.status).toBe(400);
    expect(res.json.msg).toBe("Verify parameters failed: validDays is mandatory");
  });
});
