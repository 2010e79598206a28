import { TOKEN, USER_ID, useEmulatorWithShare } from "./support/fixtures";
import { raw, tokenHeaders } from "./support/rawHttp";

const SHARE = "/koodrive/ose/v1/share";
const fixture = useEmulatorWithShare({ edition: "enterprise" });
const put = (body: unknown) => raw(fixture.emulator.url, "PUT", `${SHARE}/${fixture.shareId}`, tokenHeaders(TOKEN, USER_ID), JSON.stringify(body));

describe("enterprise modify: permission, deptIds, groupIds, userIds are checked when present (and not applied)", () => {
  it.each([
    [{ validDays: 0, permission: "garbage" }, /permission must be an object of booleans/],
    [{ validDays: 0, permission: { edit: "yes" } }, /permission must be an object of booleans/],
    [{ validDays: 0, deptIds: 5 }, /deptIds must be an array of strings/],
    [{ validDays: 0, groupIds: [1] }, /groupIds must be an array of strings/],
    [{ validDays: 0, userIds: "u1" }, /userIds must be an array of strings/],
  ])("%j → 400 13000102", async (body, msg) => {
    const res = await put(body);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe(13000102);
    expect(res.json.msg).toMatch(msg);
  });

  it("well-typed values are accepted and, as documented, not applied", async () => {
    const before = fixture.emulator.getShare(fixture.shareId)!.permission;
    const res = await put({ validDays: 0, permission: { edit: true, download: false }, deptIds: ["d"], groupIds: [], userIds: ["u"] });
    expect(res.status).toBe(200);
    expect(fixture.emulator.getShare(fixture.shareId)!.permission).toEqual(before);
  });
});
