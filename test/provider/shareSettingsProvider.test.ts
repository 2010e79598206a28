import type { Emulator } from "koodrive-emulator";
import type * as pulumi from "@pulumi/pulumi";
import * as providerImpl from "../../src/provider/impl";
import { providerShim } from "../../src/provider/shim";
import { startNewRun } from "../../src/resources/common/restoredShares";
import { UNKNOWN_VALUE } from "../../src/resources/common/unknownValue";
import { APP_ID, APP_SECRET, AGENT, OTHER_USER_ID, TOKEN, USER_ID, answerRewritingProxy, configureRequest, testEmulator } from "../support/fixtures";

let emulator: Emulator;
let config: Record<string, string>;
/** A fresh provider instance per test, configured as the engine would (the shim keeps its context on itself). */
let provider: pulumi.dynamic.ResourceProvider;
let originalsProvider: pulumi.dynamic.ResourceProvider;

async function configured(kind: "shareSettings" | "shareOriginals") {
  const instance = providerShim(kind);
  await instance.configure!(configureRequest(config));
  // A delete here stands for a destroy, which the engine runs in a provider process of its own: this process's
  // record of the originals that resources of its run keep (see `startNewRun`) does not reach it.
  const deleteInThisRun = instance.delete!.bind(instance);
  instance.delete = (id, props) => {
    startNewRun();
    return deleteInThisRun(id, props);
  };
  return instance;
}

beforeEach(async () => {
  emulator = await testEmulator();
  config = {
    "koodrive:endpoint": emulator.url,
    "koodrive:userId": USER_ID,
    "koodrive:agentName": AGENT,
    "koodrive:accessToken": TOKEN,
    "koodrive:maxRetries": "0",
  };
  provider = await configured("shareSettings");
  originalsProvider = await configured("shareOriginals");
});
afterEach(() => emulator.close());

const puts = () => emulator.requests.all().filter((r) => r.method === "PUT");

async function adopt(inputs: Record<string, unknown>) {
  const checked = await provider.check!({}, inputs);
  expect(checked.failures ?? []).toEqual([]);
  const created = await provider.create(checked.inputs);
  return { inputs: checked.inputs!, created };
}

/** Adoption with `onDelete: "restore"` as the class does it: the originals resource first, then the settings. */
async function adoptRestoring(inputs: Record<string, unknown>) {
  const snapshot = await originalsProvider.create({ shareId: inputs.shareId });
  return adopt({ ...inputs, onDelete: "restore", originals: snapshot.outs!.originals });
}

/**
 * A share adopted with onDelete "restore" (by default with validDays 3 and comment "declared"); `destroy()` runs the
 * settings delete (from `settings`, by default the state the adoption left), then the companion's, as the engine does,
 * and returns the notices.
 */
async function adoptedForRestore(share: { shareId?: unknown }, declared: Record<string, unknown> = {}) {
  const shareId = share.shareId as string;
  const { created, inputs } = await adoptRestoring({ shareId, validDays: 3, comment: "declared", ...declared });
  const companion = (await originalsProvider.read!(shareId, { shareId, originals: created.outs!.originals })).props!;
  const destroy = (settings: Record<string, unknown> = created.outs!) =>
    noticesDuring(async () => {
      await provider.delete!(created.id, settings);
      await originalsProvider.delete!(shareId, companion);
    });
  return { created, inputs, companion, destroy };
}

/**
 * Providers of one engine command after the adoption's (a delete in it sees what that command's creates and diffs
 * noted): no startNewRun between their calls.
 */
async function sameRun() {
  startNewRun();
  const settings = providerShim("shareSettings");
  const originals = providerShim("shareOriginals");
  await settings.configure!(configureRequest(config));
  await originals.configure!(configureRequest(config));
  return { settings, originals };
}

/** Runs `action` and returns the notices it wrote for the engine (the provider writes them to stderr). */
async function noticesDuring(action: () => Promise<unknown>): Promise<string> {
  const notices: string[] = [];
  const spy = jest.spyOn(console, "error").mockImplementation((m: string) => void notices.push(m));
  try {
    await action();
  } finally {
    spy.mockRestore();
  }
  return notices.join("\n");
}

/** What 0.1.0 stored for a restoring resource whose declared comment it applied (the originals as `originalSettings`). */
function v1Restoring(shareId: string) {
  return { shareId, validDays: 5, onDelete: "restore", comment: "declared", managedFields: ["comment"], originalSettings: { comment: "true original" } };
}

describe("share-settings provider against the emulator", () => {
  it("check reports every bad property before anything is sent", async () => {
    const result = await provider.check!({}, { shareId: "", validDays: 400, extractCode: "abc", comment: "x".repeat(600) });
    expect(result.failures!.map((f) => f.property).sort()).toEqual(["comment", "extractCode", "shareId", "validDays"]);
    expect(emulator.requests.all()).toEqual([]);
  });

  it("create with onDelete retain adopts the share with exactly one request: the PUT", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "before", extractCode: "OLDcode1", validDays: 10 });
    const { created } = await adopt({ shareId: share.shareId, validDays: 30, extractCode: "MDg2K0vU", comment: "Q3 report" });
    expect(created.id).toBe(share.shareId);
    expect(emulator.requests.all().map((r) => r.method)).toEqual(["PUT"]);
    expect(puts()[0]!.body).toEqual({ validDays: 30, extractCode: "MDg2K0vU", comment: "Q3 report" });
    expect(created.outs).toEqual({
      stateVersion: 3,
      shareId: share.shareId,
      owner: USER_ID,
      validDays: 30,
      extractCode: "MDg2K0vU",
      comment: "Q3 report",
      onDelete: "retain",
      managedFields: ["extractCode", "comment"],
      shortUrl: share.shortUrl,
      linkUrl: share.linkUrl,
      status: 0,
      expireTime: expect.any(String),
      updateTime: expect.any(String),
    });
  });

  it("create with onDelete restore: the originals resource reads (GET), the settings resource writes (PUT)", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "before", extractCode: "OLDcode1", validDays: 10 });
    const { created } = await adoptRestoring({ shareId: share.shareId, validDays: 30, comment: "Q3 report" });
    expect(emulator.requests.all().map((r) => r.method)).toEqual(["GET", "PUT"]);
    expect(created.outs!.originals).toEqual({ extractCode: "OLDcode1", comment: "before", expireTime: share.expireTime });
  });

  it("create works with HMAC app auth", async () => {
    config = { ...config, "koodrive:appId": APP_ID, "koodrive:appSecret": APP_SECRET };
    delete config["koodrive:accessToken"];
    provider = await configured("shareSettings");
    const share = emulator.seedShare({ ownerId: USER_ID });
    await adopt({ shareId: share.shareId, validDays: 1 });
    expect(emulator.requests.all().every((r) => r.auth === "app" && r.status === 200)).toBe(true);
  });

  it("create of a missing or foreign share fails naming the shareId and the user, and changes nothing", async () => {
    const foreign = emulator.seedShare({ ownerId: OTHER_USER_ID, comment: "theirs" });
    for (const shareId of ["1234567890123456789", foreign.shareId as string]) {
      await expect(adopt({ shareId, validDays: 1, comment: "mine" })).rejects.toThrow(
        new RegExp(`share ${shareId} was not found, or is not owned by user ${USER_ID}`),
      );
      await expect(originalsProvider.create({ shareId })).rejects.toThrow(new RegExp(`share ${shareId} was not found, or is not owned by user ${USER_ID}`));
    }
    expect(emulator.getShare(foreign.shareId as string)!.comment).toBe("theirs");
  });

  it("a resource's own userId acts as that user", async () => {
    const theirs = emulator.seedShare({ ownerId: OTHER_USER_ID, comment: "theirs" });
    const { created } = await adopt({ shareId: theirs.shareId, userId: OTHER_USER_ID, validDays: 2, comment: "managed for them" });
    expect(puts()[0]!.headers["x-user-id"]).toBe(OTHER_USER_ID);
    expect(created.outs).toMatchObject({ userId: OTHER_USER_ID, comment: "managed for them" });
    emulator.changeShare(theirs.shareId as string, { comment: "edited by them" });
    const read = await provider.read!(created.id, created.outs);
    expect(read.inputs).toMatchObject({ userId: OTHER_USER_ID, comment: "edited by them" });
  });

  it("missing connection settings fail configure (so preview) with one error listing them, before any request", async () => {
    config = {};
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith("KOODRIVE_")) delete process.env[k];
    try {
      await expect(configured("shareSettings")).rejects.toThrow(/koodrive:endpoint[\s\S]*koodrive:userId[\s\S]*koodrive:agentName[\s\S]*koodrive:accessToken/);
    } finally {
      process.env = saved;
    }
    expect(emulator.requests.all()).toEqual([]);
  });

  it("malformed settings of every kind fail configure with one error listing them all", async () => {
    config = { ...config, "koodrive:maxRetries": "50", "koodrive:refreshStrategy": "fast" };
    const error = await configured("shareSettings").then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      /^KooDrive connection settings are missing or invalid:\n {2}- maxRetries must be .*\n {2}- refreshStrategy must be one of auto, get, list/,
    );
  });

  it("read reveals drift on managed fields as inputs, keeps validDays, and ignores unmanaged ones", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "c0", extractCode: "AAAA1111" });
    const { created } = await adopt({ shareId: share.shareId, validDays: 5, comment: "declared" });
    emulator.changeShare(share.shareId as string, { comment: "changed by hand", extractCode: "BBBB2222" });
    const read = await provider.read!(created.id, created.outs);
    expect(read.id).toBe(share.shareId);
    expect(read.inputs).toEqual({ shareId: share.shareId, validDays: 5, onDelete: "retain", comment: "changed by hand" });
    expect(read.props).toMatchObject({ comment: "changed by hand", extractCode: "BBBB2222", validDays: 5, status: 0 });
    const diff = await provider.diff!(created.id, read.props, { shareId: share.shareId, validDays: 5, comment: "declared", onDelete: "retain" });
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("a read that finds no managed setting changed returns no inputs (the engine keeps the stored ones); a later change does", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "c0", extractCode: "AAAA1111" });
    const { created } = await adopt({ shareId: share.shareId, validDays: 5, comment: "declared" });
    // Neither an unmanaged setting nor the expiry is an input.
    emulator.changeShare(share.shareId as string, { extractCode: "BBBB2222", expireTime: new Date(Date.now() + 86400_000).toISOString() });
    const quiet = await provider.read!(created.id, created.outs);
    expect(quiet.props).toMatchObject({ comment: "declared", extractCode: "BBBB2222" });
    expect(quiet.inputs).toBeUndefined();
    emulator.changeShare(share.shareId as string, { comment: "" });
    const changed = await provider.read!(created.id, quiet.props!);
    expect(changed.inputs).toEqual({ shareId: share.shareId, validDays: 5, onDelete: "retain", comment: "" });
    // Compared with what the last read recorded: the same value again is no change.
    expect((await provider.read!(created.id, changed.props!)).inputs).toBeUndefined();
  });

  it("an expired link is drift after refresh, and the update renews it with one PUT", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const { created, inputs } = await adopt({ shareId: share.shareId, validDays: 5 });
    emulator.changeShare(share.shareId as string, { expireTime: "2020-01-01T00:00:00.000Z" });
    const read = await provider.read!(created.id, created.outs);
    expect(read.props).toMatchObject({ status: 2, expireTime: "2020-01-01T00:00:00.000Z" });
    expect(await provider.diff!(created.id, read.props, inputs)).toMatchObject({ changes: true, replaces: [] });
    emulator.requests.clear();
    const updated = await provider.update!(created.id, read.props, inputs);
    expect(emulator.requests.all().map((r) => [r.method, r.body])).toEqual([["PUT", { validDays: 5 }]]);
    expect(Date.parse(updated.outs!.expireTime as string)).toBeGreaterThan(Date.now() + 4 * 24 * 60 * 60 * 1000);
    expect(updated.outs!.status).toBe(0);
  });

  it('works the same against the other documented wire forms (code "0", counters as strings, zone-less expireTime)', async () => {
    const alternate = await testEmulator({ alternateForms: true });
    try {
      config["koodrive:endpoint"] = alternate.url;
      provider = await configured("shareSettings");
      originalsProvider = await configured("shareOriginals");
      const share = alternate.seedShare({ ownerId: USER_ID, comment: "original", extractCode: "ORIG1234", validDays: 10 });
      const snapshot = await originalsProvider.create({ shareId: share.shareId });
      const inputs = {
        shareId: share.shareId,
        validDays: 3,
        comment: "declared",
        extractCode: "MDg2K0vU",
        onDelete: "restore",
        originals: snapshot.outs!.originals,
      };
      const checked = await provider.check!({}, inputs);
      const created = await provider.create(checked.inputs);
      // The wire form is zone-less; the output is ISO-8601 in UTC, the same instant.
      expect(created.outs!.expireTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const heldBySeconds = Math.floor(Date.parse(alternate.getShare(share.shareId as string)!.expireTime!) / 1000) * 1000;
      expect(Date.parse(created.outs!.expireTime as string)).toBe(heldBySeconds);
      const read = await provider.read!(created.id, created.outs);
      const notices = await noticesDuring(async () => expect(await provider.diff!(created.id, read.props, checked.inputs)).toMatchObject({ changes: false }));
      expect(notices).toBe("");
      alternate.changeShare(share.shareId as string, { expireTime: "2020-01-01T00:00:00.000Z" });
      const expired = await provider.read!(created.id, read.props);
      expect(await provider.diff!(created.id, expired.props, checked.inputs)).toMatchObject({ changes: true });
      const renewed = await provider.update!(created.id, expired.props, checked.inputs);
      expect(await provider.diff!(created.id, renewed.outs!, checked.inputs)).toMatchObject({ changes: false });
      await provider.delete!(created.id, renewed.outs);
      expect(alternate.getShare(share.shareId as string)).toMatchObject({ comment: "original", extractCode: "ORIG1234" });
    } finally {
      await alternate.close();
    }
  });

  it("a notice is shown once per process although the engine asks again (up --refresh: read, refresh diff, update diff)", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const { created, inputs } = await adopt({ shareId: share.shareId, validDays: 5 });
    emulator.changeShare(share.shareId as string, { status: 1 });
    const notices = await noticesDuring(async () => {
      const read = await provider.read!(created.id, created.outs);
      await provider.diff!(created.id, read.props, inputs);
      await provider.diff!(created.id, read.props, inputs);
    });
    expect(notices.match(/its files were deleted/g)).toHaveLength(1);
  });

  it("a renewal that KooDrive answers with a link still expired is warned about once, not renewed in silence on every run", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const { created, inputs } = await adopt({ shareId: share.shareId, validDays: 5 });
    expect(await noticesDuring(() => provider.update!(created.id, created.outs!, { ...inputs, validDays: 6 }))).not.toMatch(/renew again/);
    // A KooDrive that counts validDays from the share time (the API document leaves it open): a share made 40 days ago
    // stays expired after a PUT of validDays 5.
    const fromShareTime = await answerRewritingProxy(emulator.url, (method, _path, answer) => {
      const link = answer.shareLink as Record<string, unknown> | undefined;
      return method === "PUT" && link ? { ...answer, shareLink: { ...link, expireTime: "2020-01-06T00:00:00.000Z", status: 3 } } : undefined;
    });
    try {
      config["koodrive:endpoint"] = fromShareTime.url;
      provider = await configured("shareSettings");
      emulator.changeShare(share.shareId as string, { expireTime: "2020-01-01T00:00:00.000Z" });
      const read = await provider.read!(created.id, created.outs);
      let updated: pulumi.dynamic.UpdateResult = {};
      const notices = await noticesDuring(async () => (updated = await provider.update!(created.id, read.props, inputs)));
      expect(notices.match(/renew again/g)).toHaveLength(1);
      expect(notices).toMatch(
        /warning: KooDrive answered this write of validDays 5 with expireTime 2020-01-06T00:00:00.000Z and status 3, which the next run would renew again \(the link expired at 2020-01-06T00:00:00.000Z; due for a renewal of 5 days\)/,
      );
      // State records what KooDrive said, so the next plan renews again: the loop the warning names.
      expect(updated.outs).toMatchObject({ expireTime: "2020-01-06T00:00:00.000Z", status: 3 });
      expect(await provider.diff!(created.id, updated.outs!, inputs)).toMatchObject({ changes: true });
    } finally {
      await fromShareTime.close();
    }
  });

  it("expiry is judged on KooDrive's clock: 31 days on for KooDrive (not locally), refresh sees expiry and up renews", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const { created, inputs } = await adopt({ shareId: share.shareId, validDays: 30 });
    // KooDrive's clock moves 31 days on (the emulator's admin clock, as a pipeline moves it); the local one does not.
    // Its X-Date check then rejects the first request signed locally; the client learns KooDrive's clock from that.
    emulator.clock.advance(31 * 24 * 60 * 60 * 1000);
    const notices: string[] = [];
    const spy = jest.spyOn(console, "error").mockImplementation((m: string) => void notices.push(m));
    try {
      const read = await provider.read!(created.id, created.outs);
      expect(read.props).toMatchObject({ status: 2 });
      expect(notices.join("\n")).not.toMatch(/invalidated/);
      expect(await provider.diff!(created.id, read.props, inputs)).toMatchObject({ changes: true });
      expect(notices.join("\n")).toMatch(/the link expired at .*; due for a renewal of 30 days/);
      emulator.requests.clear();
      await provider.update!(created.id, read.props, inputs);
      expect(emulator.requests.all().map((r) => [r.method, r.status])).toEqual([["PUT", 200]]);
    } finally {
      spy.mockRestore();
    }
  });

  it("a process that has sent nothing yet (a preview) judges expiry by KooDrive's clock as the state recorded it", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    emulator.clock.advance(31 * 24 * 60 * 60 * 1000);
    const spy = jest.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      // Adopted, then refreshed, by a process that learned KooDrive's clock (31 days ahead of the local one).
      const { created, inputs } = await adopt({ shareId: share.shareId, validDays: 30 });
      expect(created.outs!.kooDriveClockAheadMs).toBeGreaterThan(30 * 24 * 60 * 60 * 1000);
      emulator.clock.advance(31 * 24 * 60 * 60 * 1000);
      const read = await provider.read!(created.id, created.outs);
      expect(read.props).toMatchObject({ status: 2, kooDriveClockAheadMs: expect.any(Number) });
      // `pulumi preview` (or the up after a separate refresh): a new process, which has sent no request. Fresh
      // modules stand for it: the process-wide clients (and what they learned) start empty.
      await jest.isolateModulesAsync(async () => {
        const { shareSettingsHandler } = await import("../../src/resources/shareSettings/handler");
        const { ProviderContext } = await import("../../src/provider/context");
        const fresh = () => new ProviderContext((key) => config[key]);
        // Renewal: expired on KooDrive's clock, though not yet on the local one.
        expect((await shareSettingsHandler.diff(fresh(), created.id, read.props!, inputs)).changes).toBe(true);
        // Without the record, the local clock calls the link invalidated and plans nothing.
        const { kooDriveClockAheadMs: _recorded, ...unrecorded } = read.props!;
        expect((await shareSettingsHandler.diff(fresh(), created.id, unrecorded, inputs)).changes).toBe(false);
        // Recorded by a machine whose clock was 3.5 h fast (KooDrive "behind" it), read on one that is right: a link
        // that expired 2 h ago by both KooDrive's clock and this one is renewed, not taken as valid for 1.5 h more.
        const expiredRecently = { ...unrecorded, status: 0, expireTime: new Date(Date.now() - 2 * 3600_000).toISOString(), kooDriveClockAheadMs: -12_600_000 };
        const plan = await shareSettingsHandler.diff(fresh(), created.id, expiredRecently, inputs);
        expect(plan.changes).toBe(true);
        expect(spy.mock.calls.map((call) => String(call[0])).join("\n")).toMatch(
          /expired at .* by this machine's clock \(KooDrive's was 210 minutes behind it when last recorded/,
        );
        // But a machine that really is 2 days fast (KooDrive 2 days behind, as recorded) judges renewBeforeDays on
        // KooDrive's clock: 30 days from the last renewal, 29 by its own clock, is not due, or every run would renew.
        const DAY = 24 * 3600_000;
        const renewedOnSlowKooDrive = {
          ...unrecorded,
          status: 0,
          renewBeforeDays: 29,
          expireTime: new Date(Date.now() - 2 * DAY + 30 * DAY - 60_000).toISOString(),
          kooDriveClockAheadMs: -2 * DAY,
        };
        expect((await shareSettingsHandler.diff(fresh(), created.id, renewedOnSlowKooDrive, { ...inputs, renewBeforeDays: 29 })).changes).toBe(false);
        // And a link KooDrive wrote for 30 days just now, read where the recorded offset (a runner 2 days fast, since
        // fixed) puts KooDrive's "now" 2 days back, is not taken for a validity longer than declared and shortened.
        const writtenJustNow = { ...unrecorded, status: 0, expireTime: new Date(Date.now() + 30 * DAY).toISOString(), kooDriveClockAheadMs: -2 * DAY };
        expect((await shareSettingsHandler.diff(fresh(), created.id, writtenJustNow, inputs)).changes).toBe(false);
      });
    } finally {
      spy.mockRestore();
    }
  });

  it("read of a share that no longer exists returns no id", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const { created } = await adopt({ shareId: share.shareId, validDays: 5 });
    await fetch(`${emulator.url}/__admin/shares/${share.shareId}`, { method: "DELETE" });
    expect(await provider.read!(created.id, created.outs)).toEqual({});
  });

  it.each([
    ["a server error (after the retries)", 500, /HTTP 500/],
    ["a gateway's 503", 503, /HTTP 503/],
  ])("read answered with %s fails the refresh instead of dropping the resource from state", async (_what, status, message) => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const { created } = await adopt({ shareId: share.shareId, validDays: 5 });
    emulator.faults.set({ failNext: 1, failStatus: status });
    await expect(provider.read!(created.id, created.outs)).rejects.toThrow(message);
    expect((await provider.read!(created.id, created.outs)).id).toBe(share.shareId); // the next one reads it
  });

  it("update sends one PUT with the declared fields and returns the full state", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const { created, inputs } = await adoptRestoring({ shareId: share.shareId, validDays: 5, comment: "a" });
    emulator.requests.clear();
    const news = { ...inputs, comment: "b" };
    const updated = await provider.update!(created.id, created.outs, news);
    expect(emulator.requests.all().map((r) => [r.method, r.body])).toEqual([["PUT", { validDays: 5, comment: "b" }]]);
    expect(updated.outs).toMatchObject({
      ...created.outs,
      comment: "b",
      updateTime: expect.any(String),
      expireTime: expect.any(String),
      appliedExpireTime: updated.outs!.expireTime,
    });
    expect(updated.outs!.originals).toEqual(created.outs!.originals);
  });

  it("update of onDelete only changes state, not the share; leaving restore forgets the originals", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const { created, inputs } = await adoptRestoring({ shareId: share.shareId, validDays: 5 });
    emulator.requests.clear();
    const updated = await provider.update!(created.id, { ...created.outs, __provider: "x" }, { ...inputs, onDelete: "retain", originals: undefined });
    expect(emulator.requests.all()).toEqual([]);
    const { originals: _, appliedExpireTime: __, originalsInInputs: ___, ...rest } = created.outs!;
    expect(updated.outs).toEqual({ ...rest, onDelete: "retain" });
  });

  it("an update keeps the originals already recorded (state of 0.1.0 upgraded), not those of a companion read later", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "declared" });
    const v1State = v1Restoring(share.shareId as string);
    const laterCompanion = { comment: "declared" };
    const updated = await provider.update!(share.shareId as string, v1State, {
      shareId: share.shareId,
      validDays: 6,
      comment: "declared",
      onDelete: "restore",
      originals: laterCompanion,
    });
    expect(updated.outs!.originals).toEqual({ comment: "true original" });
    expect(updated.outs!.stateVersion).toBe(3);
    expect(updated.outs!.owner).toBe(USER_ID);
  });

  it("state written by 0.1.0 keeps working: its stored provider calls configure, read and remove by name", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "true original" });
    // What 0.1.0 left: the declared comment applied, its outputs (with originalSettings) in state.
    const applied = emulator.changeShare(share.shareId as string, { comment: "declared" });
    const v1 = {
      ...v1Restoring(share.shareId as string),
      expireTime: applied.expireTime,
      updateTime: applied.updateTime,
      viewCnt: 0,
      displayName: "x",
      __provider: "exports.handler = __f0; // 0.1.0",
    };
    await providerImpl.configure({
      config: { get: (key: string) => config[key], require: (key: string) => config[key] ?? "" },
    } as pulumi.dynamic.ConfigureRequest);
    const read = (await providerImpl.read(share.shareId as string, v1)) as pulumi.dynamic.ReadResult;
    // Under the name that state declared secret (originalSettings) until an `up` stores the current names: a refresh
    // before that would otherwise write the original access code in plaintext.
    expect(read).toMatchObject({
      id: share.shareId,
      props: { stateVersion: 3, owner: USER_ID, comment: "declared", originalSettings: { comment: "true original" } },
    });
    expect(read.props).not.toHaveProperty("originals");
    expect(read.inputs).toBeUndefined(); // nothing changed: the engine keeps the stored inputs
    const again = (await providerImpl.read(share.shareId as string, read.props!)) as pulumi.dynamic.ReadResult;
    expect(again.props).toMatchObject({ originalSettings: { comment: "true original" } });
    expect(again.props).not.toHaveProperty("originals");
    await providerImpl.remove(share.shareId as string, v1);
    expect(emulator.getShare(share.shareId as string)!.comment).toBe("true original");
  });

  it("a resource whose stored provider text is another version's gets a state-only update that stores the current one", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const { created, inputs } = await adopt({ shareId: share.shareId, validDays: 5 });
    const same = await provider.diff!(created.id, { ...created.outs, __provider: "current" }, { ...inputs, __provider: "current" });
    expect(same.changes).toBe(false);
    const upgraded = await provider.diff!(created.id, { ...created.outs, __provider: "0.1.0 text" }, { ...inputs, __provider: "current" });
    expect(upgraded).toMatchObject({ changes: true, replaces: [] });
    emulator.requests.clear();
    await provider.update!(created.id, { ...created.outs, __provider: "0.1.0 text" }, { ...inputs, __provider: "current" });
    expect(emulator.requests.all()).toEqual([]);
  });

  it("an answer that leaves out a managed comment (enterprise modify answers have none) records what was sent: no perpetual diff", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const { created, inputs } = await adopt({ shareId: share.shareId, validDays: 5, comment: "" });
    const withoutComment = { ...created.outs };
    delete withoutComment.comment;
    const { linkSettingsState } = await import("../../src/resources/common/linkState");
    expect(linkSettingsState(share.shareId as string, inputs, { shareId: share.shareId as string }, USER_ID).comment).toBe("");
    expect((await provider.diff!(created.id, created.outs, inputs)).changes).toBe(false);
  });

  it("an answer with another access code or comment than was sent (a writer racing the PUT) records KooDrive's: the next plan shows the drift", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const { created, inputs } = await adopt({ shareId: share.shareId, validDays: 5, extractCode: "Mine1234", comment: "mine" });
    const { linkSettingsState } = await import("../../src/resources/common/linkState");
    const answered = { shareId: share.shareId as string, extractCode: "Their567", comment: "theirs" };
    const state = linkSettingsState(share.shareId as string, inputs, answered, USER_ID, created.outs as never);
    expect(state).toMatchObject({ extractCode: "Their567", comment: "theirs" });
    expect((await provider.diff!(created.id, { ...created.outs, ...state }, inputs)).changes).toBe(true);
  });

  it("refresh of a restoring resource returns its originals among the inputs, as the program declares them", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
    const { created, inputs } = await adoptRestoring({ shareId: share.shareId, validDays: 3, comment: "declared" });
    const read = await provider.read!(created.id, created.outs);
    expect(read.inputs).toBeUndefined();
    expect(await provider.diff!(created.id, read.props!, inputs)).toMatchObject({ changes: false });
    emulator.changeShare(share.shareId as string, { comment: "edited by hand" });
    const drifted = await provider.read!(created.id, read.props!);
    expect(drifted.inputs).toMatchObject({ comment: "edited by hand", originals: inputs.originals });
    // Only what the program declared: no owner it never named.
    expect(drifted.inputs).not.toHaveProperty("userId");
  });

  it("a refresh returns the originals among the inputs only when the stored inputs hold them (not after 0.2.0's refresh)", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
    const { created } = await adoptRestoring({ shareId: share.shareId, validDays: 3, comment: "declared" });
    expect(created.outs).toMatchObject({ originalsInInputs: true });
    // 0.2.0's refresh stored the inputs without the originals, and its state has no mark; the engine would store
    // originals returned now as a plain input.
    const { originalsInInputs: _, ...refreshedBy020 } = { ...created.outs, stateVersion: 2 };
    emulator.changeShare(share.shareId as string, { comment: "edited by hand" });
    const read = await provider.read!(created.id, refreshedBy020);
    expect(read.inputs).toMatchObject({ comment: "edited by hand" });
    expect(read.inputs).not.toHaveProperty("originals");
    expect(read.props).not.toHaveProperty("originalsInInputs");
    // The next up, with the program's originals among its inputs, marks them again.
    const updated = await provider.update!(created.id, read.props!, {
      shareId: share.shareId,
      validDays: 3,
      comment: "declared",
      onDelete: "restore",
      originals: created.outs!.originals,
    });
    expect(updated.outs).toMatchObject({ originalsInInputs: true });
  });

  it("a refresh of 0.1.0 state that finds a change returns it as an input, without the originals that state declared under another name", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "true original" });
    const applied = emulator.changeShare(share.shareId as string, { comment: "declared" });
    const v1 = { ...v1Restoring(share.shareId as string), expireTime: applied.expireTime, updateTime: applied.updateTime };
    emulator.changeShare(share.shareId as string, { comment: "edited by hand" });
    const read = await provider.read!(share.shareId as string, v1);
    expect(read.inputs).toMatchObject({ comment: "edited by hand" });
    // That state declared no secret input of that name: as an input the originals would be stored in plaintext.
    expect(read.inputs).not.toHaveProperty("originals");
    expect(read.inputs).not.toHaveProperty("originalSettings");
  });

  it("delete with retain sends nothing; with restore puts the original settings back", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", extractCode: "ORIG1234", validDays: 10 });
    const retained = await adopt({ shareId: share.shareId, validDays: 1, comment: "managed", extractCode: "MDg2K0vU" });
    emulator.requests.clear();
    await provider.delete!(retained.created.id, retained.created.outs);
    expect(emulator.requests.all()).toEqual([]);
    expect(emulator.getShare(share.shareId as string)).toMatchObject({ comment: "managed", extractCode: "MDg2K0vU" });

    const other = emulator.seedShare({ ownerId: USER_ID, comment: "original", extractCode: "ORIG1234", validDays: 10 });
    const restoring = await adoptRestoring({ shareId: other.shareId, validDays: 1, comment: "managed", extractCode: "MDg2K0vU" });
    emulator.requests.clear();
    await provider.delete!(restoring.created.id, restoring.created.outs);
    expect(emulator.requests.all().map((r) => r.method)).toEqual(["GET", "PUT"]);
    expect(puts()[0]!.body).toEqual({ validDays: 10, comment: "original", extractCode: "ORIG1234" });
    const restored = emulator.getShare(other.shareId as string)!;
    expect(restored).toMatchObject({ comment: "original", extractCode: "ORIG1234" });
    const drift = Math.abs(Date.parse(restored.expireTime as string) - Date.parse(other.expireTime as string));
    expect(drift).toBeLessThan(24 * 60 * 60 * 1000);
  });

  it("delete with restore of a share whose original expiry has passed restores it for 1 day, and warns that it is reachable again", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", extractCode: "ORIG1234", validDays: 10 });
    const { created } = await adoptRestoring({ shareId: share.shareId, validDays: 30, comment: "managed" });
    emulator.clock.advance(11 * 24 * 60 * 60 * 1000); // on KooDrive's clock the original link would have expired a day ago
    emulator.requests.clear();
    const notices = await noticesDuring(() => provider.delete!(created.id, created.outs));
    expect(puts().map((r) => r.body)).toEqual([{ validDays: 1, comment: "original" }]); // the access code was never managed: left as it is
    expect(notices).toMatch(
      new RegExp(
        `share ${share.shareId}: warning: the original link had expired \\(${share.expireTime}\\).*restored with the shortest validity, 1 day.*Cancel the share`,
      ),
    );
    expect(notices).not.toContain("ORIG1234");
  });

  it("a destroy killed after its restore landed: the next delete finds the originals in place, says so and sends no PUT", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", extractCode: "ORIG1234", validDays: 10 });
    const { created } = await adoptRestoring({ shareId: share.shareId, validDays: 3, comment: "declared", extractCode: "MDg2K0vU" });
    await provider.delete!(created.id, created.outs); // the restore lands; the engine never records the delete
    emulator.requests.clear();
    const notices = await noticesDuring(() => provider.delete!(created.id, created.outs));
    expect(emulator.requests.all().map((r) => r.method)).toEqual(["GET"]);
    expect(notices).toMatch(new RegExp(`share ${share.shareId}: already holds its original settings`));
    expect(notices).not.toMatch(/NOT restoring/);
  });

  /** This test's emulator and providers on the enterprise edition. */
  async function onEnterprise() {
    await emulator.close();
    emulator = await testEmulator({ edition: "enterprise" });
    config = { ...config, "koodrive:endpoint": emulator.url, "koodrive:edition": "enterprise" };
    provider = await configured("shareSettings");
    originalsProvider = await configured("shareOriginals");
  }

  it("enterprise: a restore of a never-expiring original onto a link that has expired warns that it stays expired", async () => {
    await onEnterprise();
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "forever", validDays: 0 });
    const { destroy } = await adoptedForRestore(share, { validDays: 2 });
    emulator.clock.advance(3 * 24 * 60 * 60 * 1000);
    const notices = await destroy();
    expect(emulator.getShare(share.shareId as string)!.comment).toBe("forever");
    expect(notices).toMatch(
      new RegExp(
        `share ${share.shareId}: warning: the original share never expired, which the enterprise API cannot set again: its current expiry is kept, and it passed at .*: the link stays expired`,
      ),
    );
  });

  it("enterprise: a restore of a never-expiring original onto a live link keeps its expiry, with a notice only", async () => {
    await onEnterprise();
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "forever", validDays: 0 });
    const { destroy } = await adoptedForRestore(share, { validDays: 2 });
    const notices = await destroy();
    expect(notices).toMatch(
      new RegExp(`share ${share.shareId}: the original share never expired, which the enterprise API cannot set again: its current expiry is kept$`, "m"),
    );
  });

  describe("a link without a validity (validDays 0), whose expiry cannot tell another writer", () => {
    it("is not restored under a successor of this run that does not restore (a replacement switched to retain)", async () => {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", extractCode: "ORIG1234", validDays: 10 });
      const { created: old } = await adoptRestoring({ shareId: share.shareId, validDays: 0, comment: "declared" });
      // One `up --replace` that also turns onDelete to "retain": the new resource is created, then the old one deleted,
      // in one provider process.
      const run = await sameRun();
      const checked = await run.settings.check!({}, { shareId: share.shareId, validDays: 0, comment: "declared" });
      await run.settings.create(checked.inputs);
      emulator.requests.clear();
      const notices = await noticesDuring(() => run.settings.delete!(old.id, old.outs));
      expect(puts()).toEqual([]);
      expect(emulator.getShare(share.shareId as string)?.comment).toBe("declared");
      expect(notices).toMatch(new RegExp(`share ${share.shareId}: not restoring: another KooDriveShareSettings .* with onDelete "retain"`));
    });

    it("is not restored over another writer's write, which only updateTime shows", async () => {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
      const { created } = await adoptRestoring({ shareId: share.shareId, validDays: 0, comment: "declared" });
      emulator.clock.advance(5_000);
      emulator.changeShare(share.shareId as string, { comment: "declared" }); // the same settings, written again by another stack
      emulator.requests.clear();
      const notices = await noticesDuring(() => provider.delete!(created.id, created.outs));
      expect(puts()).toEqual([]);
      expect(notices).toMatch(/NOT restoring the original settings: the share changed since this resource last applied its settings \(updateTime\)/);
    });
  });

  describe("one run (one provider process) with a successor", () => {
    it("up --replace of both with deleteBeforeReplace, validity only: the new adoption lists the true expiry its companion missed", async () => {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 2 });
      const { created: old } = await adoptRestoring({ shareId: share.shareId, validDays: 365 });
      const run = await sameRun();
      // The engine's order: the new companion, then the old resource's delete (it restores), then the new resource.
      const companion = await run.originals.create({ shareId: share.shareId });
      await run.settings.delete!(old.id, old.outs);
      // Restored as 2 days from now: the original expiry, to the restore's rounding.
      expect(Math.abs(Date.parse(emulator.getShare(share.shareId as string)!.expireTime!) - Date.parse(share.expireTime!))).toBeLessThan(60_000);
      const checked = await run.settings.check!({}, { shareId: share.shareId, validDays: 365, onDelete: "restore", originals: companion.outs!.originals });
      const notices = await noticesDuring(() => run.settings.create(checked.inputs));
      expect(notices).toMatch(
        new RegExp(
          `share ${share.shareId}: warning: a resource deleted earlier in this run \\(a replacement with deleteBeforeReplace\\) restored this share's original settings.*The share's originals were: comment "original", expiry ${share.expireTime}`,
        ),
      );
    });

    it("a companion that read the share after the restore recorded the true originals: no warning", async () => {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 2 });
      const { created: old } = await adoptRestoring({ shareId: share.shareId, validDays: 365, comment: "declared" });
      const run = await sameRun();
      await run.settings.delete!(old.id, old.outs);
      const companion = await run.originals.create({ shareId: share.shareId });
      const checked = await run.settings.check!(
        {},
        { shareId: share.shareId, validDays: 365, comment: "declared", onDelete: "restore", originals: companion.outs!.originals },
      );
      expect(await noticesDuring(() => run.settings.create(checked.inputs))).not.toMatch(/warning/);
    });

    it("onDelete turned from restore to retain: the companion's delete lists the originals the share no longer holds", async () => {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
      const { created, inputs } = await adoptRestoring({ shareId: share.shareId, validDays: 5, comment: "declared" });
      const companion = (await originalsProvider.read!(share.shareId as string, { shareId: share.shareId, originals: created.outs!.originals })).props!;
      const run = await sameRun();
      const news = { ...inputs, onDelete: "retain", originals: undefined };
      await run.settings.diff!(created.id, created.outs!, news);
      await run.settings.update!(created.id, created.outs!, news);
      const notices = await noticesDuring(() => run.originals.delete!(share.shareId as string, companion));
      expect(notices).toMatch(
        new RegExp(`share ${share.shareId}: warning: forgetting its original settings, which the share does not hold now.*They were: comment "original"`),
      );
    });
  });

  describe("the originals companion's delete", () => {
    const companionOf = async (shareId: string) => (await originalsProvider.create({ shareId })).outs!;

    it("is silent when the share holds its originals (restored, or never changed) or is gone, with one GET", async () => {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", extractCode: "ORIG1234", validDays: 10 });
      const outs = await companionOf(share.shareId as string);
      emulator.requests.clear();
      expect(await noticesDuring(() => originalsProvider.delete!(share.shareId as string, outs))).toBe("");
      expect(emulator.requests.all().map((r) => r.method)).toEqual(["GET"]);
      const gone = "1234567890123456789";
      expect(await noticesDuring(() => originalsProvider.delete!(gone, { ...outs, shareId: gone }))).toBe("");
    });

    it("right after the settings resource's restore in the same process, takes the restore's answer instead of reading the share again", async () => {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", extractCode: "ORIG1234", validDays: 10 });
      const { companion, destroy } = await adoptedForRestore(share);
      emulator.requests.clear();
      expect(await destroy()).toBe("");
      // The restore's read-back and its PUT; none for the companion.
      expect(emulator.requests.all().map((r) => r.method)).toEqual(["GET", "PUT"]);
      // Taken once: a later delete of the same companion (another run) reads the share.
      await originalsProvider.delete!(share.shareId as string, companion);
      expect(emulator.requests.all().map((r) => r.method)).toEqual(["GET", "PUT", "GET"]);
    });

    it("a share without an access code, before and after: the restore's answer, which shows none, is taken as it is", async () => {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
      const { destroy } = await adoptedForRestore(share);
      emulator.requests.clear();
      expect(await destroy()).toBe("");
      expect(emulator.requests.all().map((r) => r.method)).toEqual(["GET", "PUT"]);
    });

    it("reads the share after all when the restore's answer leaves out the comment (the documented modify answer has none)", async () => {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", extractCode: "ORIG1234", validDays: 10 });
      const { created } = await adoptRestoring({ shareId: share.shareId, validDays: 3, comment: "declared" });
      const companion = (await originalsProvider.read!(share.shareId as string, { shareId: share.shareId, originals: created.outs!.originals })).props!;
      const withoutComment = await answerRewritingProxy(emulator.url, (method, _path, answer) => {
        const { comment: _comment, ...link } = (answer.shareLink ?? {}) as Record<string, unknown>;
        return method === "PUT" ? { ...answer, shareLink: link } : undefined;
      });
      try {
        config["koodrive:endpoint"] = withoutComment.url;
        provider = await configured("shareSettings");
        originalsProvider = await configured("shareOriginals");
        emulator.requests.clear();
        const notices = await noticesDuring(async () => {
          await provider.delete!(created.id, created.outs);
          await originalsProvider.delete!(share.shareId as string, companion);
        });
        expect(emulator.getShare(share.shareId as string)).toMatchObject({ comment: "original" });
        expect(notices).toBe(""); // no "does not hold its originals" read off an answer that does not show them
        expect(emulator.requests.all().map((r) => r.method)).toEqual(["GET", "PUT", "GET"]);
      } finally {
        await withoutComment.close();
      }
    });

    it("after a restore of a share that had no access code, says once that the code Pulumi set stays", async () => {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
      const { destroy } = await adoptedForRestore(share, { extractCode: "MDg2K0vU" });
      const notices = await destroy();
      expect(emulator.getShare(share.shareId as string)).toMatchObject({ comment: "original", extractCode: "MDg2K0vU" });
      expect(notices.match(/had no access code before Pulumi, and the API cannot remove one/g)).toHaveLength(1);
      expect(notices).not.toMatch(/MDg2K0vU|forgetting/);
    });

    it("never fails the delete when the share cannot be read: it lists the originals instead, never the access code", async () => {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "the true original", extractCode: "Orig1234", validDays: 20 });
      const outs = await companionOf(share.shareId as string);
      emulator.faults.set({ failNext: 1, failStatus: 401 });
      let deleted: unknown = "not run";
      const notices = await noticesDuring(async () => (deleted = await originalsProvider.delete!(share.shareId as string, outs)));
      expect(deleted).toBeUndefined();
      expect(notices).toMatch(
        new RegExp(
          `share ${share.shareId}: warning: forgetting its original settings without checking the share \\(.*\\); they were: comment "the true original", expiry `,
        ),
      );
      expect(notices).not.toMatch(/Orig1234/);
    });

    it("lists what the originals were when no restore put them back (an interrupted adoption, then destroy), never the access code", async () => {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "the true original", extractCode: "Orig1234", validDays: 20 });
      const outs = await companionOf(share.shareId as string);
      // The adoption's PUT landed, and the settings resource was never recorded: destroy deletes only the companion.
      await adopt({ shareId: share.shareId, validDays: 3, comment: "declared", extractCode: "Decl4567" });
      const notices = await noticesDuring(() => originalsProvider.delete!(share.shareId as string, outs));
      const expiry = new Date(Date.parse(share.expireTime as string)).toISOString();
      expect(notices).toContain(
        `share ${share.shareId}: warning: forgetting its original settings, which the share does not hold now: no restore put them back`,
      );
      expect(notices).toContain(`They were: comment "the true original", expiry ${expiry}, an access code (a secret, not shown:`);
      expect(notices).not.toMatch(/Orig1234/);
      expect(puts()).toHaveLength(1); // the adoption's: the companion never writes
    });
  });

  it("delete with restore does not clobber a share someone else wrote since (by hand, another stack), and says so", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
    const { created } = await adoptRestoring({ shareId: share.shareId, validDays: 3, comment: "declared" });
    // Another resource (the renamed one) applies the same declared settings 1.5 s later: the PUT restarts the
    // validity. (Milliseconds apart, an expiry that falls on a whole second is compared to the second only.)
    emulator.changeShare(share.shareId as string, { expireTime: new Date(Date.now() + 3 * 86400_000 + 1_500).toISOString() });
    const notices = await noticesDuring(() => provider.delete!(created.id, created.outs));
    expect(puts().length).toBe(1);
    expect(emulator.getShare(share.shareId as string)!.comment).toBe("declared");
    expect(notices).toMatch(new RegExp(`share ${share.shareId}: warning: NOT restoring.*expireTime`));
  });

  /**
   * An emulator on which the next delete's restore (the PUT after its GET) meets `fault`, and `afterRestore` runs as
   * its answer leaves: the share's id is set by the test.
   */
  async function restoreMeets(fault: Record<string, number>, afterRestore: (emulator: Emulator, shareId: string) => void) {
    const at = { shareId: "", phase: "adopting" as "adopting" | "deleting" | "restoring" | "done" };
    const watched = await testEmulator({
      onRequest: (entry) => {
        if (at.phase === "deleting" && entry.method === "GET") {
          watched.faults.set(fault);
          at.phase = "restoring";
        } else if (at.phase === "restoring" && entry.method === "PUT") {
          afterRestore(watched, at.shareId);
          at.phase = "done";
        }
      },
    });
    return { watched, at };
  }

  it("a restore that landed, its answer lost, on a KooDrive that rounds the expiry is not taken for another writer's change", async () => {
    const { watched, at } = await restoreMeets({ dropAfterApplyNext: 1 }, (emulator, shareId) => {
      const rounded = new Date(emulator.getShare(shareId)!.expireTime as string);
      rounded.setUTCHours(23, 59, 59, 0);
      emulator.changeShare(shareId, { expireTime: rounded.toISOString() });
    });
    try {
      config["koodrive:endpoint"] = watched.url;
      provider = await configured("shareSettings");
      originalsProvider = await configured("shareOriginals");
      const shareId = watched.seedShare({ ownerId: USER_ID, comment: "original", extractCode: "ORIG1234", validDays: 10 }).shareId as string;
      at.shareId = shareId;
      const { created } = await adoptRestoring({ shareId, validDays: 3, comment: "declared" });
      const companion = (await originalsProvider.read!(shareId, { shareId, originals: created.outs!.originals })).props!;
      at.phase = "deleting";
      const notices = await noticesDuring(async () => {
        await provider.delete!(created.id, created.outs);
        await originalsProvider.delete!(shareId, companion);
      });
      expect(notices).not.toMatch(/NOT restoring/);
      expect(watched.getShare(shareId)).toMatchObject({ comment: "original", extractCode: "ORIG1234" });
    } finally {
      await watched.close();
    }
  });

  it.each([
    ["answered 503 before it applied", { failNext: 1, failStatus: 503 }],
    ["whose answer was lost after it applied", { dropAfterApplyNext: 1 }],
  ])("a restore %s is not sent again over a write someone made meanwhile, and says so", async (_name, fault) => {
    // The delete reads the share (GET), then restores (PUT) with `fault`; the owner edits the message while the
    // restore's answer is on its way back.
    let shareId = "";
    const { watched, at } = await restoreMeets(fault, (emulator, id) => emulator.changeShare(id, { comment: "the owner's new message" }));
    try {
      config["koodrive:endpoint"] = watched.url;
      provider = await configured("shareSettings");
      originalsProvider = await configured("shareOriginals");
      shareId = watched.seedShare({ ownerId: USER_ID, comment: "original", extractCode: "ORIG1234", validDays: 10 }).shareId as string;
      at.shareId = shareId;
      const { created } = await adoptRestoring({ shareId, validDays: 3, comment: "declared" });
      const companion = (await originalsProvider.read!(shareId, { shareId, originals: created.outs!.originals })).props!;
      watched.requests.clear();
      at.phase = "deleting";
      const notices = await noticesDuring(async () => {
        await provider.delete!(created.id, created.outs);
        await originalsProvider.delete!(shareId, companion);
      });
      expect(watched.getShare(shareId)!.comment).toBe("the owner's new message");
      expect(watched.requests.all().filter((r) => r.method === "PUT")).toHaveLength(1);
      expect(notices).toMatch(
        new RegExp(
          `share ${shareId}: warning: NOT restoring the original settings: the share changed .*\\(comment, seen when the restore's lost answer was checked\\)`,
        ),
      );
      expect(notices).not.toMatch(/ORIG1234/);
    } finally {
      await watched.close();
    }
  });

  describe("settings the resource does not manage are left as the share holds them", () => {
    const KEPT_COMMENT = 'kept the comment (its original was "orig comment") as the share holds it: this resource does not manage that setting';

    /** A share adopted for its access code and validity only, whose owner then edits the message (not managed). */
    async function ownerEditsMessageAfterAdoption() {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "orig comment", extractCode: "Orig0000", validDays: 100 });
      const adopted = await adoptedForRestore(share, { comment: undefined, extractCode: "Mana9999" });
      await new Promise((r) => setTimeout(r, 5));
      emulator.changeShare(share.shareId as string, { comment: "owner edited the message" });
      return { shareId: share.shareId as string, share, ...adopted };
    }

    it("the owner's new message, before or after a later write of this resource: destroy restores the access code and validity, and keeps the message", async () => {
      for (const laterWrite of [false, true]) {
        const { share, shareId, created, inputs, destroy } = await ownerEditsMessageAfterAdoption();
        // Not drift (the comment is not managed): refresh and the next plan change nothing.
        let settings = (await provider.read!(created.id, created.outs)).props!;
        expect(settings.writtenSinceApplied).toBeUndefined();
        expect((await provider.diff!(created.id, settings, inputs)).changes).toBe(false);
        // A write of this resource's after the owner's (a renewal, a changed validDays) leaves the message out too.
        if (laterWrite) settings = (await provider.update!(created.id, settings, { ...inputs, validDays: 4 })).outs!;
        emulator.requests.clear();
        const notices = await destroy(settings);
        expect(puts().map((r) => r.body)).toEqual([{ validDays: 100, extractCode: "Orig0000" }]);
        const restored = emulator.getShare(shareId)!;
        expect(restored).toMatchObject({ comment: "owner edited the message", extractCode: "Orig0000" });
        expect(Math.abs(Date.parse(restored.expireTime as string) - Date.parse(share.expireTime as string))).toBeLessThan(86400_000);
        expect(notices).toBe(`koodrive: share ${shareId}: restored the original access code and the validity, and ${KEPT_COMMENT}`);
        expect(notices).not.toMatch(/Orig0000|Mana9999/);
      }
    });

    it("a comment the program managed and then dropped is no longer restored: destroy says what it was", async () => {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "orig comment", validDays: 100 });
      const shareId = share.shareId as string;
      const { created, inputs, destroy } = await adoptedForRestore(share, { comment: "Pulumi's message" });
      const { comment: _dropped, ...withoutComment } = inputs;
      const dropped = await provider.update!(created.id, created.outs, withoutComment); // state only
      emulator.requests.clear();
      const notices = await destroy(dropped.outs!);
      expect(puts().map((r) => r.body)).toEqual([{ validDays: 100 }]);
      expect(emulator.getShare(shareId)!.comment).toBe("Pulumi's message");
      expect(notices).toBe(`koodrive: share ${shareId}: restored the validity, and ${KEPT_COMMENT}`);
    });

    it("such a restore whose answer is lost after it landed is read back and counted as done: one PUT, the message still kept", async () => {
      const { shareId, created, destroy } = await ownerEditsMessageAfterAdoption();
      emulator.requests.clear();
      emulator.faults.set({ dropAfterApplyNext: 1 });
      const notices = await destroy(created.outs!);
      // The PUT without the comment, its read-back, and no second PUT: the read-back shows it applied.
      expect(puts().map((r) => r.body)).toEqual([{ validDays: 100, extractCode: "Orig0000" }]);
      expect(emulator.getShare(shareId)).toMatchObject({ comment: "owner edited the message", extractCode: "Orig0000" });
      expect(notices).toBe(
        [
          `koodrive: share ${shareId}: the write's outcome is unknown (network error ECONNRESET); the share, read back, shows it applied`,
          `koodrive: share ${shareId}: restored the original access code and the validity, and ${KEPT_COMMENT}`,
        ].join("\n"),
      );
    });

    it("an access code the program dropped is kept with a warning that says where the original can be read, never the code", async () => {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "orig comment", extractCode: "Orig0000", validDays: 100 });
      const { created, inputs, destroy } = await adoptedForRestore(share, { comment: undefined, extractCode: "Mana9999" });
      const { extractCode: _dropped, ...withoutCode } = inputs;
      const dropped = await provider.update!(created.id, created.outs, withoutCode);
      const notices = await destroy(dropped.outs!);
      expect(emulator.getShare(share.shareId as string)!.extractCode).toBe("Mana9999");
      expect(notices).toMatch(
        new RegExp(
          `^koodrive: share ${share.shareId}: warning: restored the validity, and kept the access code, which is not its original \\(a secret, not shown: \`pulumi stack history\``,
        ),
      );
      expect(notices).not.toMatch(/Orig0000|Mana9999/);
    });

    it("a destroy killed after such a restore landed: the next one finds the managed originals in place, sends no PUT and names the kept comment", async () => {
      const { shareId, created, destroy } = await ownerEditsMessageAfterAdoption();
      await provider.delete!(created.id, created.outs); // lands; the engine never records it
      // The next destroy runs in a new provider process.
      provider = await configured("shareSettings");
      originalsProvider = await configured("shareOriginals");
      emulator.requests.clear();
      const notices = await destroy(created.outs!);
      expect(puts()).toEqual([]);
      expect(notices).toBe(
        `koodrive: share ${shareId}: already holds its original settings (an interrupted destroy restored them, or another writer, such as another stack managing this share, applied the same): nothing to restore\nkoodrive: share ${shareId}: ${KEPT_COMMENT}`,
      );
    });
  });

  describe("the expiry of the resource's own last write, which a refresh keeps", () => {
    /** Another stack's PUT of the same settings: it restarts the validity (here to 5 days). */
    const anotherWriter = async (shareId: string) => {
      await new Promise((r) => setTimeout(r, 5));
      emulator.changeShare(shareId, { expireTime: new Date(Date.now() + 5 * 86400_000).toISOString() });
    };

    it.each([
      ["truncated to whole seconds (.000Z)", (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString()],
      ["rounded to the second, in the zone-less form", (ms: number) => new Date(Math.round(ms / 1000) * 1000).toISOString().slice(0, 19).replace("T", " ")],
    ])(
      "reads that show the expiry %s, where the write's answer had milliseconds, are the same expiry: no warning, and destroy restores",
      async (_name, coarse) => {
        const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
        const shareId = share.shareId as string;
        const wholeSecondReads = await answerRewritingProxy(emulator.url, (method, _path, answer) => {
          const link = answer.shareLink as Record<string, unknown> | undefined;
          return method === "GET" && link?.expireTime
            ? { ...answer, shareLink: { ...link, expireTime: coarse(Date.parse(link.expireTime as string)) } }
            : undefined;
        });
        try {
          config["koodrive:endpoint"] = wholeSecondReads.url;
          provider = await configured("shareSettings");
          originalsProvider = await configured("shareOriginals");
          // A write landing in the second half of a second: its answer's expiry has milliseconds a rounding read loses.
          while (Date.now() % 1000 < 600) await new Promise((r) => setTimeout(r, 20));
          const { created } = await adoptRestoring({ shareId, validDays: 3, comment: "declared" });
          expect(created.outs!.expireTime).not.toMatch(/\.000Z$/);
          const notices = await noticesDuring(async () => {
            const refreshed = await provider.read!(created.id, created.outs);
            await provider.delete!(created.id, refreshed.props!);
          });
          expect(notices).not.toMatch(/restarted|NOT restoring/);
          expect(emulator.getShare(shareId)!.comment).toBe("original");
        } finally {
          await wholeSecondReads.close();
        }
      },
    );

    it("onDelete turned to restore without a write records it from the companion's read: another writer is told at refresh, and not restored over", async () => {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
      const shareId = share.shareId as string;
      const { created, inputs } = await adopt({ shareId, validDays: 3, comment: "declared" });
      const companion = await originalsProvider.create({ shareId });
      emulator.requests.clear();
      const switched = await provider.update!(created.id, created.outs, { ...inputs, onDelete: "restore", originals: companion.outs!.originals });
      expect(puts()).toEqual([]);
      expect(switched.outs!.appliedExpireTime).toBe(created.outs!.expireTime);
      await anotherWriter(shareId);
      const notices: string[] = [];
      const spy = jest.spyOn(console, "error").mockImplementation((m: string) => void notices.push(m));
      try {
        const refreshed = await provider.read!(created.id, switched.outs!);
        expect(notices.join("\n")).toMatch(/warning: the share's validity was restarted by a write that is not this resource's/);
        await provider.delete!(created.id, refreshed.props!);
      } finally {
        spy.mockRestore();
      }
      expect(puts()).toEqual([]);
      expect(notices.join("\n")).toMatch(/NOT restoring the original settings: .*\(expireTime\)/);
    });

    it("a link without a validity (carrier validDays 0) records that it has none: another writer giving it one is told at refresh", async () => {
      const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
      const shareId = share.shareId as string;
      const { created } = await adoptRestoring({ shareId, validDays: 0, comment: "declared" });
      expect(created.outs!.appliedExpireTime).toBe("");
      await anotherWriter(shareId);
      const notices = await noticesDuring(() => provider.read!(created.id, created.outs));
      expect(notices).toMatch(/warning: the share's validity was restarted by a write that is not this resource's \(it expires at .*, not never\)/);
    });
  });

  it("a write that landed but was never recorded: refresh marks the share, the next update writes it again, destroy restores", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
    const first = await adoptRestoring({ shareId: share.shareId, validDays: 3, comment: "v1" });
    const v2 = { ...first.inputs, comment: "v2" };
    // The update's PUT applies, but the engine never records its result (the CLI was killed after it, or its answer
    // and the read-back were both lost): state stays at v1, with v1's updateTime.
    await new Promise((r) => setTimeout(r, 5));
    await provider.update!(first.created.id, first.created.outs, v2);
    expect(emulator.getShare(share.shareId as string)!.comment).toBe("v2");

    const notices: string[] = [];
    const spy = jest.spyOn(console, "error").mockImplementation((m: string) => void notices.push(m));
    try {
      const refreshed = await provider.read!(first.created.id, first.created.outs);
      expect(refreshed.props).toMatchObject({ comment: "v2", writtenSinceApplied: true });
      // The program declares v2, as the share now holds: without the mark there would be nothing to do, and delete
      // would refuse to restore for ever (the updateTime is not this resource's). The diff says why, once.
      expect(notices).toEqual([]);
      const diff = await provider.diff!(first.created.id, refreshed.props!, v2);
      expect(diff.changes).toBe(true);
      expect(notices).toEqual([expect.stringMatching(/the share's settings were changed since .*`pulumi up` writes the declared settings again/)]);
      emulator.requests.clear();
      const updated = await provider.update!(first.created.id, refreshed.props!, v2);
      expect(puts()).toHaveLength(1);
      expect(updated.outs!.writtenSinceApplied).toBeUndefined();
      expect((await provider.diff!(first.created.id, updated.outs!, v2)).changes).toBe(false);
      await provider.delete!(first.created.id, updated.outs!);
    } finally {
      spy.mockRestore();
    }
    expect(emulator.getShare(share.shareId as string)!.comment).toBe("original");
    expect(notices.join("\n")).not.toMatch(/NOT restoring/);
  });

  it("another writer of the same settings (a second stack) is not rewritten after refresh, and destroy still refuses to restore", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
    const { created, inputs } = await adoptRestoring({ shareId: share.shareId, validDays: 3, comment: "same" });
    // The other stack's PUT of the same settings restarts the validity: only the times change.
    await new Promise((r) => setTimeout(r, 5));
    emulator.changeShare(share.shareId as string, { expireTime: new Date(Date.now() + 3 * 86400_000).toISOString() });
    const notices: string[] = [];
    const spy = jest.spyOn(console, "error").mockImplementation((m: string) => void notices.push(m));
    try {
      const refreshed = await provider.read!(created.id, created.outs);
      expect(refreshed.props!.writtenSinceApplied).toBeUndefined();
      // Said at the refresh, where a scheduled drift check sees it, not first at destroy.
      expect(notices).toEqual([
        expect.stringMatching(/warning: the share's validity was restarted by a write that is not this resource's .* destroy will not restore/),
      ]);
      // No rewrite: otherwise the two stacks would take turns writing, and this one would restore under the other.
      expect((await provider.diff!(created.id, refreshed.props!, inputs)).changes).toBe(false);
      emulator.requests.clear();
      await provider.delete!(created.id, refreshed.props!);
    } finally {
      spy.mockRestore();
    }
    expect(puts()).toEqual([]);
    expect(emulator.getShare(share.shareId as string)!.comment).toBe("same");
    expect(notices.join("\n")).toMatch(/NOT restoring/);
  });

  it("a refresh that finds the share as this resource left it marks nothing", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
    const { created, inputs } = await adoptRestoring({ shareId: share.shareId, validDays: 3, comment: "v1" });
    const refreshed = await provider.read!(created.id, created.outs);
    expect(refreshed.props!.writtenSinceApplied).toBeUndefined();
    expect((await provider.diff!(created.id, refreshed.props!, inputs)).changes).toBe(false);
  });

  it("turning onDelete to restore on a share already adopted warns that the originals recorded now are its own settings", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
    const { created, inputs } = await adopt({ shareId: share.shareId, validDays: 3, comment: "managed" });
    const snapshot = await originalsProvider.create({ shareId: share.shareId });
    expect(snapshot.outs!.originals).toMatchObject({ comment: "managed" });
    const notices: string[] = [];
    const spy = jest.spyOn(console, "error").mockImplementation((m: string) => void notices.push(m));
    try {
      await provider.diff!(created.id, created.outs, { ...inputs, onDelete: "restore", originals: snapshot.outs!.originals });
      await provider.diff!(created.id, { ...created.outs, onDelete: "restore" }, { ...inputs, onDelete: "restore", originals: snapshot.outs!.originals });
    } finally {
      spy.mockRestore();
    }
    expect(notices.filter((n) => /onDelete "restore" is set on a share this resource already changed/.test(n))).toHaveLength(1);
    // A replacement adopts another share, whose companion reads its true originals: no warning.
    notices.length = 0;
    const other = emulator.seedShare({ ownerId: USER_ID, comment: "other original" });
    const spy2 = jest.spyOn(console, "error").mockImplementation((m: string) => void notices.push(m));
    try {
      const diff = await provider.diff!(created.id, created.outs, {
        ...inputs,
        shareId: other.shareId,
        onDelete: "restore",
        originals: { comment: "other original" },
      });
      expect(diff.replaces).toEqual(["shareId"]);
    } finally {
      spy2.mockRestore();
    }
    expect(notices.join("\n")).not.toMatch(/already changed/);
  });

  it("a restoring write whose originals were not read in this run (the companion excluded: unknown) is refused before any request", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
    const refusal = /share \d+: onDelete "restore" needs the share's original settings[\s\S]*nothing was written/;
    const inputs = { shareId: share.shareId, validDays: 3, comment: "declared", onDelete: "restore" };
    // What the program sends when the companion holds another share's originals (null), or none: check refuses.
    for (const originals of [null, undefined]) {
      const checked = await provider.check!({}, { ...inputs, originals });
      expect(checked.failures).toEqual([{ property: "onDelete", reason: expect.stringMatching(/do not leave the companion out with --exclude or --target/) }]);
    }
    await expect(provider.create({ ...inputs, originals: UNKNOWN_VALUE })).rejects.toThrow(refusal);
    await expect(provider.create({ ...inputs, originals: { comment: UNKNOWN_VALUE } })).rejects.toThrow(refusal);
    expect(emulator.requests.all()).toHaveLength(0);
    // Turned to restore on an adopted share: the same, also when the update would send no PUT.
    const { created } = await adopt({ shareId: share.shareId, validDays: 3, comment: "declared" });
    emulator.requests.clear();
    await expect(provider.update!(created.id, created.outs, { ...inputs, originals: UNKNOWN_VALUE })).rejects.toThrow(refusal);
    await expect(provider.update!(created.id, created.outs, { ...inputs, comment: "changed", originals: UNKNOWN_VALUE })).rejects.toThrow(refusal);
    expect(emulator.requests.all()).toHaveLength(0);
    // Originals already recorded are what a write keeps: an unknown companion output does not stop it.
    const restoring = await adoptRestoring({ shareId: share.shareId, validDays: 3, comment: "declared" });
    const updated = await provider.update!(restoring.created.id, restoring.created.outs, { ...restoring.inputs, comment: "again", originals: UNKNOWN_VALUE });
    expect(updated.outs!.originals).toEqual(restoring.created.outs!.originals);
  });

  it("delete with restore and no originals recorded sends nothing and warns that the share keeps its settings", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "declared" });
    const notices = await noticesDuring(() =>
      provider.delete!(share.shareId as string, { shareId: share.shareId, onDelete: "restore", managedFields: ["comment"] }),
    );
    expect(notices).toBe(
      `koodrive: share ${share.shareId}: warning: not restoring: no original settings were recorded for this share, so it keeps the settings it has`,
    );
    expect(emulator.requests.all()).toHaveLength(0);
  });

  it("delete with restore of a share that is gone succeeds", async () => {
    await expect(provider.delete!("1234567890123456789", { onDelete: "restore", originals: {}, managedFields: [] })).resolves.toBeUndefined();
  });

  it("a write whose first attempt failed is read back and sent again only if it did not apply", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    emulator.faults.set({ failNext: 1, failStatus: 500 });
    const { created } = await adopt({ shareId: share.shareId, validDays: 2, comment: "after a 500" });
    expect(emulator.requests.all().map((r) => `${r.method} ${r.status}`)).toEqual(["PUT 500", "GET 200", "PUT 200"]);
    expect(created.outs!.comment).toBe("after a 500");
  });

  it("a failed PUT surfaces a redacted KooDrive error", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    emulator.faults.set({ failNext: 3, failStatus: 500 });
    await expect(
      provider.update!(
        share.shareId as string,
        { shareId: share.shareId, validDays: 1, managedFields: [] },
        { shareId: share.shareId, validDays: 2, extractCode: "MDg2K0vU", onDelete: "retain" },
      ),
    ).rejects.toThrow(/^KooDrive PUT \/koodrive\/ose\/v1\/share\/\d+ as user \d+ failed with HTTP 500, code 13000201/);
  });
});

describe("against a details answer with only the documented fields (the emulator's answers: documented)", () => {
  beforeEach(async () => {
    await emulator.close();
    emulator = await testEmulator({ answers: "documented" });
    config["koodrive:endpoint"] = emulator.url;
    config["koodrive:refreshStrategy"] = "get"; // reads by the details answer
    provider = await configured("shareSettings");
    originalsProvider = await configured("shareOriginals");
  });

  it("adopts, refreshes and restores without ownerId, containerId, counters or updateTime", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", extractCode: "Orig1234", validDays: 10 });
    const { created, destroy } = await adoptedForRestore(share);
    expect(emulator.getShare(share.shareId as string)?.comment).toBe("declared");
    emulator.requests.clear();
    const read = await provider.read!(created.id, created.outs);
    expect(read.props).toMatchObject({ shareId: share.shareId, comment: "declared", expireTime: created.outs!.expireTime });
    expect(emulator.requests.all().map((r) => `${r.method} ${r.path}`)).toEqual([`GET /koodrive/ose/v1/share/${share.shareId}`]);
    const notices = await destroy();
    expect(emulator.getShare(share.shareId as string)?.comment).toBe("original");
    expect(notices).not.toMatch(/NOT restoring/);
  });

  it("a modify answer without the comment (§6.2's table has none) keeps an unmanaged comment as refresh read it", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "written by hand", validDays: 10 });
    const inputs = { shareId: share.shareId, validDays: 3, onDelete: "retain" };
    const created = await provider.create!(inputs);
    const read = await provider.read!(created.id, created.outs);
    expect(read.props).toMatchObject({ comment: "written by hand" });
    const updated = await provider.update!(created.id, read.props, { ...inputs, validDays: 5 });
    expect(updated.outs).toMatchObject({ comment: "written by hand", linkUrl: read.props!.linkUrl });
  });

  it("as the README says, a link left without a validity (validDays 0) cannot tell an identical write by another: restored over it", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
    const { created } = await adoptRestoring({ shareId: share.shareId, validDays: 0, comment: "declared" });
    emulator.clock.advance(5_000);
    emulator.changeShare(share.shareId as string, { comment: "declared" }); // the same settings, written again by another stack
    await noticesDuring(() => provider.delete!(created.id, created.outs));
    expect(emulator.getShare(share.shareId as string)?.comment).toBe("original");
  });
});

describe("against the leanest answers KooDrive's pages show (the emulator's answers: lean)", () => {
  beforeEach(async () => {
    await emulator.close();
    emulator = await testEmulator({ answers: "lean", edition: "enterprise" });
    config["koodrive:endpoint"] = emulator.url;
    config["koodrive:edition"] = "enterprise";
    provider = await configured("shareSettings");
  });

  it("a modify answer without linkUrl or status is completed from the share: outputs keep the link's URL and status", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", validDays: 10 });
    emulator.requests.clear();
    const created = await provider.create!({ shareId: share.shareId, validDays: 3, comment: "declared", onDelete: "retain" });
    expect(created.outs).toMatchObject({ linkUrl: emulator.getShare(share.shareId as string)?.linkUrl, status: 0, comment: "declared" });
    expect(emulator.requests.all().map((r) => `${r.method} ${r.status}`)).toEqual(["PUT 200", "GET 200"]);
    const updated = await provider.update!(created.id, created.outs, { shareId: share.shareId, validDays: 5, comment: "v2", onDelete: "retain" });
    expect(updated.outs).toMatchObject({ linkUrl: created.outs!.linkUrl, status: 0, comment: "v2" });
  });
});

describe("the share owner is recorded: a change of koodrive:userId does not strand the share", () => {
  /** App (HMAC) auth, which acts as any user through X-User-Id. */
  async function asConfiguredUser(userId: string) {
    config = { ...config, "koodrive:userId": userId, "koodrive:appId": APP_ID, "koodrive:appSecret": APP_SECRET };
    delete config["koodrive:accessToken"];
    provider = await configured("shareSettings");
    originalsProvider = await configured("shareOriginals");
  }
  const actedAs = () => emulator.requests.all().map((r) => `${r.method} ${r.headers["x-user-id"]} ${r.status}`);

  it("refresh, preview, update and delete (restore) act as the owner recorded at adoption, with one notice at preview", async () => {
    await asConfiguredUser(USER_ID);
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original", extractCode: "ORIG1234", validDays: 10 });
    const { created, inputs } = await adoptRestoring({ shareId: share.shareId, validDays: 3, comment: "managed" });
    expect(created.outs).toMatchObject({ owner: USER_ID });
    expect(created.outs).not.toHaveProperty("userId");

    await asConfiguredUser(OTHER_USER_ID);
    emulator.requests.clear();
    const read = await provider.read!(created.id, created.outs);
    expect(read).toMatchObject({ id: share.shareId, props: { owner: USER_ID, comment: "managed" } });
    expect(read.inputs).toBeUndefined();
    expect(actedAs()).toEqual([`GET ${USER_ID} 200`]);

    const notices: string[] = [];
    const spy = jest.spyOn(console, "error").mockImplementation((m: string) => void notices.push(m));
    try {
      expect(await provider.diff!(created.id, read.props, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
      // The companion holding the originals stays too.
      expect(await originalsProvider.diff!(share.shareId as string, { shareId: share.shareId, owner: USER_ID }, { shareId: share.shareId })).toMatchObject({
        changes: false,
        replaces: [],
      });
    } finally {
      spy.mockRestore();
    }
    expect(notices).toEqual([
      `koodrive: share ${share.shareId}: stays managed as its owner, user ${USER_ID}, although koodrive:userId is now ${OTHER_USER_ID} ` +
        `(a share belongs to its owner for good). Declare userId: "${USER_ID}" on the resource to make this explicit (no change to the share)`,
    ]);

    emulator.requests.clear();
    const updated = await provider.update!(created.id, read.props!, { ...inputs, comment: "managed, v2" });
    expect(actedAs()).toEqual([`PUT ${USER_ID} 200`]);
    expect(updated.outs).toMatchObject({ owner: USER_ID, comment: "managed, v2" });

    // Declaring the recorded owner makes it explicit: no replacement, and no notice any more.
    const declared = { ...inputs, comment: "managed, v2", userId: USER_ID };
    expect(await provider.diff!(created.id, updated.outs, declared)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });

    emulator.requests.clear();
    await provider.delete!(created.id, updated.outs);
    expect(actedAs()).toEqual([`GET ${USER_ID} 200`, `PUT ${USER_ID} 200`]);
    expect(emulator.getShare(share.shareId as string)).toMatchObject({ comment: "original", extractCode: "ORIG1234" });
  });

  it("state from before the owner was recorded acts as the configured user, and a refresh records it", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "c" });
    const { created } = await adopt({ shareId: share.shareId, validDays: 5, comment: "c" });
    const { owner: _, ...v2 } = { ...created.outs, stateVersion: 2 };
    const read = await provider.read!(created.id, v2);
    expect(read.props).toMatchObject({ stateVersion: 3, owner: USER_ID });
    const declaredV2 = { ...v2, userId: OTHER_USER_ID };
    // With a declared userId, that user is the owner (who does not own this share: gone).
    expect(await provider.read!(created.id, declaredV2)).toEqual({});
    expect(emulator.requests.all().at(-1)!.headers["x-user-id"]).toBe(OTHER_USER_ID);
  });

  it("0.1.0 state: KooDrive's ownerId it kept is the owner, even after koodrive:userId changed", async () => {
    await asConfiguredUser(USER_ID);
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "c" });
    const { created } = await adopt({ shareId: share.shareId, validDays: 5, comment: "c" });
    const { owner: _, stateVersion: __, ...v1 } = { ...created.outs, ownerId: USER_ID };
    await asConfiguredUser(OTHER_USER_ID);
    emulator.requests.clear();
    const read = await provider.read!(created.id, v1);
    expect(actedAs()).toEqual([`GET ${USER_ID} 200`]);
    expect(read.props).toMatchObject({ stateVersion: 3, owner: USER_ID });
    expect(read.props).not.toHaveProperty("ownerId");
  });

  it("an update that sends nothing records no owner it did not check (state from before owners were recorded)", async () => {
    await asConfiguredUser(USER_ID);
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "c" });
    const { created, inputs } = await adopt({ shareId: share.shareId, validDays: 5, comment: "c" });
    const { owner: _, ...v2 } = { ...created.outs, stateVersion: 2 };
    await asConfiguredUser(OTHER_USER_ID);
    emulator.requests.clear();
    const updated = await provider.update!(created.id, v2, { ...inputs, renewBeforeDays: 1 });
    expect(emulator.requests.all()).toEqual([]);
    expect(updated.outs).toMatchObject({ renewBeforeDays: 1 });
    expect(updated.outs).not.toHaveProperty("owner");
    // Back to the user who adopted it: a refresh then finds the share and records that user.
    await asConfiguredUser(USER_ID);
    expect((await provider.read!(created.id, updated.outs!)).props).toMatchObject({ owner: USER_ID });
  });

  it("the companion holding the originals is never replaced for a userId change: reading again would find Pulumi's settings", async () => {
    await asConfiguredUser(OTHER_USER_ID);
    const shareId = "1689743054514187776";
    // Written before owners were recorded (no owner), now declared explicitly as the user who adopted it.
    expect(await originalsProvider.diff!(shareId, { shareId, stateVersion: 1 }, { shareId, userId: USER_ID })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const updated = await originalsProvider.update!(shareId, { shareId, stateVersion: 1, originals: { comment: "o" } }, { shareId, userId: USER_ID });
    expect(updated.outs).toMatchObject({ userId: USER_ID, originals: { comment: "o" } });
    expect(updated.outs).not.toHaveProperty("owner");
    expect(await originalsProvider.diff!(shareId, { shareId }, { shareId: "42" })).toMatchObject({ replaces: ["shareId"] });
  });
});
