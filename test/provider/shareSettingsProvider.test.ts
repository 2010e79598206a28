import { Emulator } from "koodrive-emulator";
import { shareSettingsProvider as provider } from "../../src/resource/provider";
import { setConfigLookup } from "../../src/resource/providerImpl";
import { APP_ID, APP_SECRET, AGENT, OTHER_USER_ID, TOKEN, USER_ID, testEmulator } from "../support/fixtures";

let emulator: Emulator;
let config: Record<string, string>;

beforeEach(async () => {
  emulator = await testEmulator();
  config = { "koodrive:endpoint": emulator.url, "koodrive:userId": USER_ID, "koodrive:agentName": AGENT, "koodrive:accessToken": TOKEN, "koodrive:maxRetries": "0" };
  setConfigLookup((key) => config[key]);
});
afterEach(() => emulator.close());

const puts = () => emulator.requests.all().filter((r) => r.method === "PUT");

async function adopt(inputs: Record<string, unknown>) {
  const checked = await provider.check!({}, inputs);
  expect(checked.failures ?? []).toEqual([]);
  const created = await provider.create(checked.inputs);
  return { inputs: checked.inputs!, created };
}

describe("share-settings provider against the emulator", () => {
  it("check reports every bad property before anything is sent", async () => {
    const result = await provider.check!({}, { shareId: "", validDays: 400, extractCode: "abc", comment: "x".repeat(600) });
    expect(result.failures!.map((f) => f.property).sort()).toEqual(["comment", "extractCode", "shareId", "validDays"]);
    expect(emulator.requests.all()).toEqual([]);
  });

  it("create adopts the share: one GET, one PUT, id = shareId, full outputs", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "before", extractCode: "OLDcode1", validDays: 10 });
    const { created } = await adopt({ shareId: share.shareId, validDays: 30, extractCode: "MDg2K0vU", comment: "Q3 report" });
    expect(created.id).toBe(share.shareId);
    expect(emulator.requests.all().map((r) => r.method)).toEqual(["GET", "PUT"]);
    expect(puts()[0]!.body).toEqual({ validDays: 30, extractCode: "MDg2K0vU", comment: "Q3 report" });
    expect(created.outs).toMatchObject({
      shareId: share.shareId, validDays: 30, extractCode: "MDg2K0vU", comment: "Q3 report", onDelete: "retain",
      shortUrl: share.shortUrl, linkUrl: share.linkUrl, status: 0, scope: 1, displayName: share.displayName, ownerId: USER_ID,
      containerId: share.containerId, viewCnt: 0, downloadCnt: 0, saveCnt: 0, managedFields: ["extractCode", "comment"],
      originalSettings: { extractCode: "OLDcode1", comment: "before", expireTime: share.expireTime },
    });
    expect(Object.values(created.outs!)).not.toContain(undefined);
  });

  it("create works with HMAC app auth", async () => {
    config = { ...config, "koodrive:accessToken": "", "koodrive:appId": APP_ID, "koodrive:appSecret": APP_SECRET };
    delete config["koodrive:accessToken"];
    const share = emulator.seedShare({ ownerId: USER_ID });
    await adopt({ shareId: share.shareId, validDays: 1 });
    expect(emulator.requests.all().every((r) => r.auth === "app" && r.status === 200)).toBe(true);
  });

  it("create of a missing or foreign share fails naming the shareId and changes nothing", async () => {
    const foreign = emulator.seedShare({ ownerId: OTHER_USER_ID, comment: "theirs" });
    for (const shareId of ["1234567890123456789", foreign.shareId as string]) {
      await expect(adopt({ shareId, validDays: 1, comment: "mine" })).rejects.toThrow(new RegExp(`share ${shareId} was not found`));
    }
    expect(puts()).toEqual([]);
    expect(emulator.getShare(foreign.shareId as string)!.comment).toBe("theirs");
  });

  it("missing connection settings give one error listing them, before any request", async () => {
    config = {};
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith("KOODRIVE_")) delete process.env[k];
    try {
      await expect(provider.create({ shareId: "1", validDays: 1, onDelete: "retain" })).rejects.toThrow(/koodrive:endpoint[\s\S]*koodrive:userId[\s\S]*koodrive:agentName[\s\S]*koodrive:accessToken/);
    } finally {
      process.env = saved;
    }
    expect(emulator.requests.all()).toEqual([]);
  });

  it("read reveals drift on managed fields as inputs, keeps validDays, and ignores unmanaged ones", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "c0", extractCode: "AAAA1111" });
    const { created } = await adopt({ shareId: share.shareId, validDays: 5, comment: "declared" });
    emulator.changeShare(share.shareId as string, { comment: "changed by hand", extractCode: "BBBB2222", expireTime: "2020-01-01T00:00:00.000Z" });
    const read = await provider.read!(created.id, created.outs);
    expect(read.id).toBe(share.shareId);
    expect(read.inputs).toEqual({ shareId: share.shareId, validDays: 5, onDelete: "retain", comment: "changed by hand" });
    expect(read.props).toMatchObject({ comment: "changed by hand", extractCode: "BBBB2222", validDays: 5, status: 2, expireTime: "2020-01-01T00:00:00.000Z" });
    const diff = await provider.diff!(created.id, read.props, { shareId: share.shareId, validDays: 5, comment: "declared", onDelete: "retain" });
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("read of a share that no longer exists returns no id", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const { created } = await adopt({ shareId: share.shareId, validDays: 5 });
    await fetch(`${emulator.url}/__admin/shares/${share.shareId}`, { method: "DELETE" });
    expect(await provider.read!(created.id, created.outs)).toEqual({});
  });

  it("update sends one PUT with the declared fields and returns the full output set", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const { created, inputs } = await adopt({ shareId: share.shareId, validDays: 5, comment: "a" });
    emulator.requests.clear();
    const news = { ...inputs, comment: "b" };
    const updated = await provider.update!(created.id, created.outs, news);
    expect(emulator.requests.all().map((r) => [r.method, r.body])).toEqual([["PUT", { validDays: 5, comment: "b" }]]);
    expect(updated.outs).toMatchObject({ ...created.outs, comment: "b", updateTime: expect.any(String), expireTime: expect.any(String) });
    expect(updated.outs!.originalSettings).toEqual(created.outs!.originalSettings);
  });

  it("update of onDelete only changes state, not the share", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const { created, inputs } = await adopt({ shareId: share.shareId, validDays: 5 });
    emulator.requests.clear();
    const updated = await provider.update!(created.id, { ...created.outs, __provider: "x" }, { ...inputs, onDelete: "restore" });
    expect(emulator.requests.all()).toEqual([]);
    expect(updated.outs).toEqual({ ...created.outs, onDelete: "restore" });
  });

  it("delete with retain sends nothing; with restore puts the original settings back", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", extractCode: "ORIG1234", validDays: 10 });
    const retained = await adopt({ shareId: share.shareId, validDays: 1, comment: "managed", extractCode: "MDg2K0vU" });
    emulator.requests.clear();
    await provider.delete!(retained.created.id, retained.created.outs);
    expect(emulator.requests.all()).toEqual([]);
    expect(emulator.getShare(share.shareId as string)).toMatchObject({ comment: "managed", extractCode: "MDg2K0vU" });

    await provider.delete!(retained.created.id, { ...retained.created.outs, onDelete: "restore" });
    expect(puts()[0]!.body).toEqual({ validDays: 10, comment: "original", extractCode: "ORIG1234" });
    const restored = emulator.getShare(share.shareId as string)!;
    expect(restored).toMatchObject({ comment: "original", extractCode: "ORIG1234" });
    const drift = Math.abs(Date.parse(restored.expireTime as string) - Date.parse(share.expireTime as string));
    expect(drift).toBeLessThan(24 * 60 * 60 * 1000);
  });

  it("delete with restore of a share that is gone succeeds", async () => {
    await expect(provider.delete!("1234567890123456789", { onDelete: "restore", originalSettings: {} })).resolves.toBeUndefined();
  });

  it("a failed PUT surfaces a redacted KooDrive error", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    emulator.faults.set({ failNext: 1, failStatus: 500 });
    await expect(provider.update!(share.shareId as string, { shareId: share.shareId, validDays: 1 }, { shareId: share.shareId, validDays: 2, extractCode: "MDg2K0vU", onDelete: "retain" }))
      .rejects.toThrow(/^KooDrive PUT \/koodrive\/ose\/v1\/share\/\d+ failed with HTTP 500, code 13000201/);
  });
});
