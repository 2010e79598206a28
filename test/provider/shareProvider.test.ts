import type * as pulumi from "@pulumi/pulumi";
import { type CreateShareBody, KooDriveClient } from "../../src/client/koodriveClient";
import { KooDriveError } from "../../src/client/koodriveError";
import { providerShim } from "../../src/provider/shim";
import { cancelShare } from "../../src/resources/share/cancelShare";
import { OwnerShares, createShareReconciled } from "../../src/resources/share/createShare";
import {
  APP_ID,
  APP_SECRET,
  AGENT,
  OTHER_USER_ID,
  TOKEN,
  USER_ID,
  answerRewritingProxy,
  configureRequest,
  settingsFor,
  testEmulator,
} from "../support/fixtures";

/** The emulator the fixtures start (typed from them, wherever the emulator package lives). */
type Emulator = Awaited<ReturnType<typeof testEmulator>>;

let emulator: Emulator;
let config: Record<string, string>;
let provider: pulumi.dynamic.ResourceProvider;
let notices: string[];

async function configured() {
  const instance = providerShim("share");
  await instance.configure!(configureRequest(config));
  return instance;
}

async function start(options: Parameters<typeof testEmulator>[0] = {}, extraConfig: Record<string, string> = {}) {
  emulator = await testEmulator(options);
  config = {
    "koodrive:endpoint": emulator.url,
    "koodrive:userId": USER_ID,
    "koodrive:agentName": AGENT,
    "koodrive:accessToken": TOKEN,
    "koodrive:maxRetries": "0",
    ...extraConfig,
  };
  provider = await configured();
}

beforeEach(async () => {
  notices = [];
  jest.spyOn(console, "error").mockImplementation((message: string) => void notices.push(message));
  await start();
});
afterEach(async () => {
  jest.restoreAllMocks();
  await emulator.close();
});

const CONTAINER = "IAAB5thdWzxEoAsiA1681759183084696448";
const declared = {
  fileIds: ["FryfD0bDk0aWSfrlCgZVJG7hxDMCY5hkl"],
  containerId: CONTAINER,
  scope: 1,
  validDays: 30,
  extractCode: "MDg2K0vU",
  comment: "Q3 report",
};
/** A share made outside this create with everything `declared` asks for. */
const lookalikeOfDeclared = {
  ownerId: USER_ID,
  containerId: CONTAINER,
  fileIds: declared.fileIds,
  comment: declared.comment,
  extractCode: declared.extractCode,
  validDays: declared.validDays,
};
const posts = () => emulator.requests.all().filter((r) => r.method === "POST" && r.path === "/koodrive/ose/v1/share");
const DAY = 24 * 60 * 60 * 1000;

async function create(inputs: Record<string, unknown> = declared) {
  const checked = await provider.check!({}, inputs);
  expect(checked.failures ?? []).toEqual([]);
  return { inputs: checked.inputs!, created: await provider.create(checked.inputs) };
}

/** The user's shares as KooDrive lists them (all pages). */
/** A client whose create answers arrive only once `answer()` is called (KooDrive makes the share at once). */
function answeredLater(client: KooDriveClient): { client: KooDriveClient; answer: () => void } {
  let answer!: () => void;
  const answered = new Promise<void>((resolve) => {
    answer = resolve;
  });
  const slow: KooDriveClient = Object.assign(Object.create(client), {
    async createShare(body: CreateShareBody) {
      const share = await client.createShare(body);
      await answered;
      return share;
    },
  });
  return { client: slow, answer };
}

async function listed(userId = USER_ID) {
  const client = new KooDriveClient(settingsFor(emulator, { userId }));
  const all = [];
  let cursor: string | undefined;
  do {
    const page = await client.listShares({ pageCursor: cursor });
    all.push(...page.shareLinks);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return all;
}

describe("KooDriveShare provider against the emulator", () => {
  it("check reports every bad property before anything is sent", async () => {
    const result = await provider.check!({}, { fileIds: [], containerId: "", scope: 2, validDays: 0, extractCode: "abc" });
    expect(result.failures!.map((f) => f.property).sort()).toEqual(["containerId", "extractCode", "fileIds", "scope", "validDays"]);
    expect(emulator.requests.all()).toEqual([]);
  });

  it("create is one POST carrying the declared body; the outputs are the new share", async () => {
    const { created } = await create();
    expect(emulator.requests.all().map((r) => `${r.method} ${r.path}`)).toEqual(["POST /koodrive/ose/v1/share"]);
    expect(posts()[0]!.body).toEqual({
      scope: 1,
      fileIds: declared.fileIds,
      containerId: CONTAINER,
      validDays: 30,
      extractCode: "MDg2K0vU",
      comment: "Q3 report",
    });
    const live = emulator.getShare(created.id)!;
    expect(created.outs).toEqual({
      stateVersion: 2,
      shareId: created.id,
      owner: USER_ID,
      fileIds: declared.fileIds,
      containerId: CONTAINER,
      scope: 1,
      validDays: 30,
      onDelete: "cancel",
      extractCode: "MDg2K0vU",
      comment: "Q3 report",
      managedFields: ["extractCode", "comment"],
      expireTime: live.expireTime,
      status: 0,
      shortUrl: live.shortUrl,
      linkUrl: live.linkUrl,
    });
    expect(Date.parse(live.expireTime as string) - Date.now()).toBeGreaterThan(29.9 * DAY);
  });

  it("a create or renewal that KooDrive answers with an expiry beyond validDays from now is warned about, not rewritten in silence", async () => {
    await create();
    expect(notices.join("\n")).not.toMatch(/renew again/);
    // A KooDrive that adds validDays to the expiry it had, rather than counting from the write: 60 days for 30.
    const addsToExpiry = await answerRewritingProxy(emulator.url, (method, _path, answer) => {
      const link = answer.shareLink as Record<string, unknown> | undefined;
      return (method === "POST" || method === "PUT") && link
        ? { ...answer, shareLink: { ...link, expireTime: new Date(Date.now() + 60 * DAY).toISOString() } }
        : undefined;
    });
    try {
      config["koodrive:endpoint"] = addsToExpiry.url;
      provider = await configured();
      const { created, inputs } = await create();
      expect(notices.filter((n) => /renew again \(it expires at .*, more than validDays 30 from now/.test(n))).toHaveLength(1);
      await provider.update!(created.id, created.outs!, { ...inputs, comment: "changed" });
      expect(notices.filter((n) => /renew again/.test(n))).toHaveLength(2);
    } finally {
      await addsToExpiry.close();
    }
  });

  it("create with HMAC auth and another owner (userId) makes the share that user's", async () => {
    config = { ...config, "koodrive:appId": APP_ID, "koodrive:appSecret": APP_SECRET };
    delete config["koodrive:accessToken"];
    provider = await configured();
    const { created } = await create({ ...declared, userId: OTHER_USER_ID });
    expect(posts()[0]).toMatchObject({ auth: "app", status: 200, headers: expect.objectContaining({ "x-user-id": OTHER_USER_ID }) });
    expect(emulator.getShare(created.id)!.ownerId).toBe(OTHER_USER_ID);
    expect(created.outs!.userId).toBe(OTHER_USER_ID);
  });

  it("scope 2 is created on the enterprise edition (no agent header) and refused by check on the carrier edition", async () => {
    expect((await provider.check!({}, { ...declared, scope: 2 })).failures).toEqual([
      { property: "scope", reason: "scope must be 1 (anyone with the link) or 3 (specified enterprise users) on the carrier edition, got another number" },
    ]);
    await emulator.close();
    await start({ edition: "enterprise" }, { "koodrive:edition": "enterprise" });
    const { created } = await create({ ...declared, scope: 2 });
    expect(emulator.getShare(created.id)!.scope).toBe(2);
  });

  it("update of comment is one PUT; an onDelete change alone sends nothing", async () => {
    const { inputs, created } = await create();
    emulator.requests.clear();
    const news = { ...inputs, comment: "Q3 final" };
    expect(await provider.diff!(created.id, created.outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = await provider.update!(created.id, created.outs, news);
    expect(emulator.requests.all().map((r) => [r.method, r.body])).toEqual([["PUT", { validDays: 30, extractCode: "MDg2K0vU", comment: "Q3 final" }]]);
    expect(updated.outs).toMatchObject({ comment: "Q3 final", shareId: created.id, fileIds: declared.fileIds });
    emulator.requests.clear();
    const retained = await provider.update!(created.id, updated.outs, { ...news, onDelete: "retain" });
    expect(emulator.requests.all()).toEqual([]);
    expect(retained.outs).toMatchObject({ onDelete: "retain", comment: "Q3 final" });
  });

  it("a changed access code is named by a notice at diff (Pulumi's display shows no change of a secret), without either code", async () => {
    const { inputs, created } = await create();
    notices.length = 0;
    expect(await provider.diff!(created.id, created.outs, { ...inputs, extractCode: "N3wC0de9" })).toMatchObject({ changes: true, replaces: [] });
    expect(notices).toEqual([
      `koodrive: share ${created.id}: the access code differs from the declared one: \`pulumi up\` sets it, unless the resource's ignoreChanges lists extractCode (Pulumi's display does not show a change of a secret value)`,
    ]);
  });

  it("a fileIds change is a replacement; the same files in another order are no change", async () => {
    const { inputs, created } = await create({ ...declared, fileIds: ["f1", "f2"] });
    expect(await provider.diff!(created.id, created.outs, { ...inputs, fileIds: ["f2", "f1"] })).toMatchObject({ changes: false });
    expect(await provider.diff!(created.id, created.outs, { ...inputs, fileIds: ["f1", "f3"] })).toEqual({
      changes: true,
      replaces: ["fileIds"],
      deleteBeforeReplace: false,
    });
  });

  it("an expired link is drift that update renews with one PUT (restarting the validity)", async () => {
    const { inputs, created } = await create();
    emulator.changeShare(created.id, { expireTime: new Date(Date.now() - DAY).toISOString() });
    const refreshed = await provider.read!(created.id, created.outs);
    expect(refreshed.props).toMatchObject({ status: 2 });
    expect(await provider.diff!(created.id, refreshed.props, inputs)).toMatchObject({ changes: true, replaces: [] });
    expect(notices.join("\n")).toMatch(new RegExp(`share ${created.id}: the link expired at .*; due for a renewal of 30 days`));
    emulator.requests.clear();
    const renewed = await provider.update!(created.id, refreshed.props, inputs);
    expect(emulator.requests.all().map((r) => r.method)).toEqual(["PUT"]);
    expect(Date.parse(renewed.outs!.expireTime as string) - Date.now()).toBeGreaterThan(29.9 * DAY);
  });

  it("with KooDrive's clock moved 31 days, a process that has sent nothing yet plans the renewal from the state's record", async () => {
    emulator.clock.advance(31 * DAY);
    const { inputs, created } = await create();
    expect(created.outs!.kooDriveClockAheadMs).toBeGreaterThan(30 * DAY);
    emulator.clock.advance(31 * DAY); // expired on KooDrive's clock, not on the local one
    const refreshed = await provider.read!(created.id, created.outs);
    // A new process (preview, or the up after a separate refresh): fresh modules, nothing learned yet.
    await jest.isolateModulesAsync(async () => {
      const { shareHandler } = await import("../../src/resources/share/handler");
      const { ProviderContext } = await import("../../src/provider/context");
      const plan = await shareHandler.diff(new ProviderContext((key) => config[key]), created.id, refreshed.props!, inputs);
      expect(plan).toMatchObject({ changes: true, replaces: [] });
    });
    expect(notices.join("\n")).toMatch(new RegExp(`share ${created.id}: the link expired at .*; due for a renewal of 30 days`));
  });

  it("refresh reports edits made outside Pulumi as inputs (drift) and a cancelled share as gone", async () => {
    const { created } = await create();
    expect((await provider.read!(created.id, created.outs)).inputs).toBeUndefined(); // unchanged: the stored inputs stay
    emulator.changeShare(created.id, { comment: "edited by hand" });
    const refreshed = await provider.read!(created.id, created.outs);
    expect(refreshed.inputs).toMatchObject({ comment: "edited by hand", fileIds: declared.fileIds, scope: 1 });
    await cancelShare(new KooDriveClient(settingsFor(emulator)), created.id);
    expect(await provider.read!(created.id, created.outs)).toEqual({});
  });

  it("delete cancels the share; already gone counts as done; retain sends nothing", async () => {
    const { created } = await create();
    emulator.requests.clear();
    await provider.delete!(created.id, created.outs);
    expect(emulator.requests.all().map((r) => [r.path, r.body])).toEqual([["/koodrive/ose/v1/share/cancel", { shareIds: [created.id] }]]);
    expect(emulator.getShare(created.id)).toBeUndefined();
    await provider.delete!(created.id, created.outs);
    expect(notices.join("\n")).toMatch(/was already cancelled or gone/);
    const kept = await create();
    emulator.requests.clear();
    await provider.delete!(kept.created.id, { ...kept.created.outs, onDelete: "retain" });
    expect(emulator.requests.all()).toEqual([]);
    expect(emulator.getShare(kept.created.id)).toBeDefined();
  });

  it("a cancel whose answer was lost is asked again, and the repeat's 'not found' counts as this run's cancel", async () => {
    const { created } = await create();
    emulator.faults.set({ dropAfterApplyNext: 1 });
    emulator.requests.clear();
    await provider.delete!(created.id, created.outs);
    expect(emulator.requests.all().map((r) => r.path)).toEqual(["/koodrive/ose/v1/share/cancel", "/koodrive/ose/v1/share/cancel"]);
    expect(emulator.getShare(created.id)).toBeUndefined();
    expect(notices.join("\n")).not.toMatch(/already cancelled or gone/);
    expect(notices.join("\n")).toMatch(/the cancel's answer was lost \(\w+\); asking again/);
  });

  it.each([
    [
      "a 503, then an answer cut short after it landed",
      { failNext: 1, failStatus: 503, truncateAfterApplyNext: 1 },
      3,
      /the cancel's answer arrived unusable \(cut short or garbled\); asking again/,
    ],
    ["three 503s", { failNext: 3, failStatus: 503 }, 4, undefined],
    ["a 500, then a lost answer after it landed", { failNext: 1, failStatus: 500, dropAfterApplyNext: 1 }, 3, undefined],
  ])("a cancel that fails more than once (%s) is retried like a PUT: cancelled, retries printed", async (_name, faults, calls, repeatLine) => {
    await emulator.close();
    await start({}, { "koodrive:maxRetries": "3", "koodrive:timeoutMs": "1000" });
    const { created } = await create();
    emulator.faults.set(faults);
    emulator.requests.clear();
    await provider.delete!(created.id, created.outs);
    expect(emulator.requests.all().map((r) => r.path)).toEqual(Array(calls).fill("/koodrive/ose/v1/share/cancel"));
    expect(emulator.getShare(created.id)).toBeUndefined();
    expect(notices.join("\n")).toMatch(/KooDrive POST \/koodrive\/ose\/v1\/share\/cancel got HTTP 50\d.* on attempt 1; retrying in/);
    expect(notices.join("\n")).not.toMatch(/already cancelled or gone/);
    // What the client retries it prints itself; what the provider asks again, it says too.
    if (repeatLine) expect(notices.join("\n")).toMatch(repeatLine);
    else expect(notices.join("\n")).not.toMatch(/asking again/);
  });

  it("a cancel answered with another per-item code fails naming the share and the code", async () => {
    const fake = {
      cancelShares: async (ids: string[]) => ids.map((shareId) => ({ shareId, code: "13000102", msg: "share is locked" })),
    } as unknown as KooDriveClient;
    await expect(cancelShare(fake, "42")).rejects.toThrow('KooDrive share 42 was not cancelled: KooDrive answered code 13000102 ("share is locked") for it');
    const silent = { cancelShares: async () => [{ shareId: "other", code: "0" }] } as unknown as KooDriveClient;
    await expect(cancelShare(silent, "42")).rejects.toThrow(/no result for this share/);
  });
});

describe("cancels of concurrent deletes share one call per owner; each gets its own per-item result", () => {
  it("five deletes at once are one cancel call with five IDs", async () => {
    const created = await Promise.all([1, 2, 3, 4, 5].map((n) => create({ ...declared, comment: `share ${n}` })));
    emulator.requests.clear();
    await Promise.all(created.map(({ created: c }) => provider.delete!(c.id, c.outs)));
    const cancels = emulator.requests.all();
    expect(cancels).toHaveLength(1);
    expect((cancels[0]!.body as { shareIds: string[] }).shareIds.sort()).toEqual(created.map(({ created: c }) => c.id).sort());
    for (const { created: c } of created) expect(emulator.getShare(c.id)).toBeUndefined();
  });

  it("shares of two owners are cancelled in one call per owner, each as its owner", async () => {
    const mine = await create();
    const theirs = await create({ ...declared, userId: OTHER_USER_ID });
    emulator.requests.clear();
    await Promise.all([mine, theirs].map(({ created: c }) => provider.delete!(c.id, c.outs)));
    const calls = emulator.requests.all().map((r) => [r.headers["x-user-id"], (r.body as { shareIds: string[] }).shareIds, r.status]);
    expect(calls.sort()).toEqual(
      [
        [USER_ID, [mine.created.id], 200],
        [OTHER_USER_ID, [theirs.created.id], 200],
      ].sort(),
    );
    expect(emulator.getShare(theirs.created.id)).toBeUndefined();
  });

  it("per-item results map back by shareId whatever their order; 150 cancels are two calls of 100 and 50", async () => {
    const calls: string[][] = [];
    const codes: Record<string, string> = { s1: "13000102", s2: "13000309" };
    const fake = {
      async cancelShares(ids: string[]) {
        calls.push(ids);
        return [...ids].reverse().map((shareId) => ({ shareId, code: codes[shareId] ?? "0", msg: codes[shareId] ? "refused" : "success" }));
      },
    } as unknown as KooDriveClient;
    const ids = Array.from({ length: 150 }, (_, i) => `s${i}`);
    const outcomes = await Promise.all(ids.map((id) => cancelShare(fake, id).catch((e: Error) => e.message)));
    expect(calls.map((c) => c.length)).toEqual([100, 50]);
    expect(outcomes[0]).toBe("cancelled");
    expect(outcomes[1]).toBe('KooDrive share s1 was not cancelled: KooDrive answered code 13000102 ("refused") for it');
    expect(outcomes[2]).toBe("already gone");
    expect(outcomes.filter((o) => o === "cancelled")).toHaveLength(148);
  });

  it("results that name no share (the enterprise table's form): all done is done; otherwise each share is read back", async () => {
    const fake = (codes: string[], live: string[], unreadable: string[] = []) => {
      const reads: string[] = [];
      const client = {
        async cancelShares() {
          return codes.map((code) => ({ code, msg: code === "0" ? "success" : "refused" }));
        },
        async getShare(shareId: string) {
          reads.push(shareId);
          if (unreadable.includes(shareId)) throw new Error(`KooDrive GET /koodrive/ose/v1/share/${shareId} failed with HTTP 503`);
          if (live.includes(shareId)) return { shareId };
          throw new KooDriveError({
            kind: "api",
            request: { method: "GET", path: `/koodrive/ose/v1/share/${shareId}`, traceId: "t", attempts: 1 },
            status: 400,
            code: "13000309",
          });
        },
      } as unknown as KooDriveClient;
      return { client, reads };
    };
    const done = fake(["0", "13000309", "0"], []);
    expect(await Promise.all(["a", "b", "c"].map((id) => cancelShare(done.client, id)))).toEqual(["cancelled", "cancelled", "cancelled"]);
    expect(done.reads).toEqual([]);
    // Every one "not found": each was already gone (a destroy after the shares were removed by hand), as named results say.
    const gone = fake(["13000309", "13000309"], []);
    expect(await Promise.all(["d", "e"].map((id) => cancelShare(gone.client, id)))).toEqual(["already gone", "already gone"]);
    expect(gone.reads).toEqual([]);
    // One refused, which the answer does not say: read back one at a time until the one still there is found.
    const partly = fake(["0", "13000102", "0"], ["b"]);
    const outcomes = await Promise.all(["a", "b", "c"].map((id) => cancelShare(partly.client, id).catch((e: Error) => e.message)));
    expect(outcomes).toEqual([
      "cancelled",
      "KooDrive share b was not cancelled: the cancel answer named no share and refused 1 (code 13000102 ×1), and this share, read back, is still there",
      "cancelled",
    ]);
    expect(partly.reads).toEqual(["a", "b"]);
    // 100 shares, the first one refused: one read, not a hundred.
    const ids = Array.from({ length: 100 }, (_, i) => `s${i}`);
    const first = fake(["13000102", ...Array(99).fill("0")], ["s0"]);
    const settled = await Promise.all(ids.map((id) => cancelShare(first.client, id).catch((e: Error) => e.message)));
    expect(settled.filter((o) => o === "cancelled")).toHaveLength(99);
    expect(first.reads).toEqual(["s0"]);
    // A read-back that fails (a throttle outlasting the retries): that share's delete fails with it; the next is read.
    const throttled = fake(["13000102", "0"], [], ["x"]);
    const afterFailedRead = await Promise.all(["x", "y"].map((id) => cancelShare(throttled.client, id).catch((e: Error) => e.message)));
    expect(afterFailedRead).toEqual(["KooDrive GET /koodrive/ose/v1/share/x failed with HTTP 503", "cancelled"]);
    expect(throttled.reads).toEqual(["x", "y"]);
  });

  it("against the emulator's lean answers, a destroy of several shares cancels each (results without shareId)", async () => {
    await emulator.close();
    await start({ answers: "lean" });
    const created = await Promise.all([1, 2, 3].map((n) => create({ ...declared, comment: `share ${n}` })));
    emulator.requests.clear();
    await Promise.all(created.map(({ created: c }) => provider.delete!(c.id, c.outs)));
    expect(emulator.requests.all().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(["POST /koodrive/ose/v1/share/cancel 200"]);
    for (const { created: c } of created) expect(emulator.getShare(c.id)).toBeUndefined();
  });

  it("cancels that arrive one by one while a call is out go together in the next call, not one call each", async () => {
    const created = await Promise.all([1, 2, 3, 4].map((n) => create({ ...declared, comment: `share ${n}` })));
    emulator.faults.set({ latencyMs: 300 });
    emulator.requests.clear();
    const [first, ...later] = created.map(({ created: c }) => c);
    const deletes = [provider.delete!(first!.id, first!.outs)];
    // The engine starts deletes as others finish: here 50 ms apart, each after the first call went out.
    for (const c of later) {
      await new Promise((r) => setTimeout(r, 50));
      deletes.push(provider.delete!(c.id, c.outs));
    }
    await Promise.all(deletes);
    const calls = emulator.requests.all().map((r) => (r.body as { shareIds: string[] }).shareIds);
    expect(calls).toEqual([[first!.id], later.map((c) => c.id)]);
    for (const c of created) expect(emulator.getShare(c.created.id)).toBeUndefined();
  });

  it("a failed call fails every cancel it carried, with KooDrive's error", async () => {
    const created = await Promise.all([1, 2].map((n) => create({ ...declared, comment: `share ${n}` })));
    emulator.faults.set({ failNext: 1, failStatus: 400 });
    const results = await Promise.all(created.map(({ created: c }) => provider.delete!(c.id, c.outs).catch((e: Error) => e)));
    for (const r of results) expect((r as Error).message).toMatch(/POST \/koodrive\/ose\/v1\/share\/cancel as user \d+ failed with HTTP 400/);
    for (const { created: c } of created) expect(emulator.getShare(c.id)).toBeDefined();
  });
});

describe("a create whose answer is lost: no orphan, no duplicate", () => {
  it.each([
    ["dropped after applying (connection reset)", { dropAfterApplyNext: 1 }],
    ["truncated after applying", { truncateAfterApplyNext: 1 }],
    ["answered 500 after applying", { failAfterApplyNext: 1 }],
    ["answered after the client's timeout", { delayAfterApplyNext: 1, afterApplyDelayMs: 1500 }],
  ])("%s: one POST, the share it made is adopted", async (_name, faults) => {
    config["koodrive:timeoutMs"] = "500";
    provider = await configured();
    emulator.seedShare({ ownerId: USER_ID, containerId: "OtherSpace1", comment: "Q3 report", extractCode: "MDg2K0vU", validDays: 30 });
    emulator.faults.set(faults);
    const { created } = await create();
    // A delayed answer is logged only once sent: wait for it, so "one POST" also covers that case.
    while (emulator.faults.current().delayAfterApplyNext || posts().length === 0) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, (faults as { afterApplyDelayMs?: number }).afterApplyDelayMs ?? 0));
    expect(posts()).toHaveLength(1);
    const mine = (await listed()).filter((s) => s.containerId === CONTAINER);
    expect(mine.map((s) => s.shareId)).toEqual([created.id]);
    expect(created.outs).toMatchObject({ shareId: created.id, comment: "Q3 report", extractCode: "MDg2K0vU", status: 0, linkUrl: expect.any(String) });
    expect(notices.join("\n")).toMatch(new RegExp(`share ${created.id}: the create's answer was lost \\(.+\\); found the share it made`));
    expect(notices.join("\n")).not.toContain("MDg2K0vU");
  });

  it("finds the share on a later page: listing follows nextCursor to the end", async () => {
    emulator.clock.setOffset(60_000); // older shares listed after newer ones: make 250 shares newer than the create
    for (let i = 0; i < 250; i++) emulator.seedShare({ ownerId: USER_ID, containerId: `Space${i}`, validDays: 30 });
    emulator.clock.setOffset(0);
    emulator.faults.set({ dropAfterApplyNext: 1 });
    const { created } = await create();
    const lists = emulator.requests.all().filter((r) => r.method === "GET");
    // Three pages of 100: the first without a cursor, each next one with the cursor the previous page handed out.
    expect(lists).toHaveLength(3);
    expect(lists[0]!.query.pageCursor).toBeUndefined();
    expect(new Set(lists.slice(1).map((r) => r.query.pageCursor)).size).toBe(2);
    expect(posts()).toHaveLength(1);
    expect(emulator.getShare(created.id)!.containerId).toBe(CONTAINER);
  });

  it("refuses to guess between two matching shares: fails naming both, and sends no second POST", async () => {
    const lookalike = emulator.seedShare(lookalikeOfDeclared);
    emulator.faults.set({ dropAfterApplyNext: 1 });
    const error = await create().catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const ids = (await listed()).map((s) => s.shareId);
    expect(ids).toHaveLength(2);
    expect((error as Error).message).toMatch(/2 of the user's shares match what it sent/);
    expect((error as Error).message).toMatch(/Before `pulumi up` runs again \(it makes a new share\), cancel the share\(s\) you do not want/);
    for (const id of ids) expect((error as Error).message).toContain(id);
    expect(ids).toContain(lookalike.shareId);
    expect((error as Error).message).not.toContain("MDg2K0vU");
    expect(posts()).toHaveLength(1);
  });

  it("an identical share made minutes before the send (KooDrive's clock) is not taken for this create's: no guess, no error", async () => {
    emulator.clock.setOffset(-5 * 60_000);
    const earlier = emulator.seedShare(lookalikeOfDeclared);
    emulator.clock.setOffset(0);
    emulator.faults.set({ dropAfterApplyNext: 1 });
    const { created } = await create();
    expect(created.id).not.toBe(earlier.shareId);
    expect(posts()).toHaveLength(1);
    expect((await listed()).map((s) => s.shareId).sort()).toEqual([created.id, earlier.shareId].sort());
  });

  it("a share another resource of this process owns is never adopted, so identical resources get one share each", async () => {
    const first = await create();
    emulator.faults.set({ dropAfterApplyNext: 1 });
    const second = await create();
    expect(second.created.id).not.toBe(first.created.id);
    expect((await listed()).map((s) => s.shareId).sort()).toEqual([first.created.id, second.created.id].sort());
  });

  it("a rename without aliases whose POST fails: the new name adopts the old name's identical share, whose delete then leaves it alive", async () => {
    // The old name's share, made by an earlier run seconds ago (so no resource of this process owns it).
    const earlier = emulator.seedShare(lookalikeOfDeclared);
    emulator.faults.set({ failNext: 1, failStatus: 503 });
    const newName = await create();
    expect(newName.created.id).toBe(earlier.shareId); // a 503 does not say whether the POST ran: the identical share is taken
    emulator.requests.clear();
    // Later in the same up, the old name's delete (its state holds the same share's settings).
    await provider.delete!(earlier.shareId, newName.created.outs!);
    expect(emulator.requests.all()).toEqual([]);
    expect((await listed()).map((x) => x.shareId)).toEqual([earlier.shareId]);
    expect(notices.join("\n")).toMatch(new RegExp(`share ${earlier.shareId}: not cancelled: another resource of this run adopted it`));
  });

  it("when the lost POST made nothing (reset before it ran), it is sent once more after three listings (1 s and 2 s apart) show no share", async () => {
    emulator.faults.set({ resetNext: 1 });
    const startedAt = Date.now();
    const { created } = await create();
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(3_000);
    expect(emulator.requests.all().map((r) => `${r.method} ${r.status}`)).toEqual(["POST 0", "GET 200", "GET 200", "GET 200", "POST 200"]);
    expect((await listed()).map((s) => s.shareId)).toEqual([created.id]);
    // Said as it happened: a second POST made the share, which no listing found (it did not say "found").
    expect(notices.join("\n")).toMatch(
      new RegExp(
        `share ${created.id}: the create's answer was lost \\(.+\\) and no listing of user ${USER_ID}'s shares showed a share it made, so it was sent again and made this one`,
      ),
    );
    expect(notices.join("\n")).not.toMatch(/found the share it made/);
  }, 15_000);

  it("a create answered with another share's settings is an unusable answer: the share it made is found by listing, the other is not recorded", async () => {
    const someoneElses = emulator.seedShare({ ownerId: USER_ID, containerId: "SomeoneElsesSpace", comment: "payroll link", validDays: 30 });
    const answersWithAnother = await answerRewritingProxy(emulator.url, (method, path, answer) =>
      method === "POST" && path === "/koodrive/ose/v1/share" ? { ...answer, shareLink: emulator.getShare(someoneElses.shareId as string) } : undefined,
    );
    try {
      config["koodrive:endpoint"] = answersWithAnother.url;
      provider = await configured();
      const { created } = await create();
      expect(created.id).not.toBe(someoneElses.shareId);
      expect(posts()).toHaveLength(1);
      expect(created.outs).toMatchObject({ comment: "Q3 report" });
      expect(notices.join("\n")).toMatch(
        new RegExp(
          `share ${created.id}: the create's answer was lost \\(.*the answer is about share ${someoneElses.shareId}, whose containerId is not what the create sent.*\\); found the share it made`,
        ),
      );
      // Two shares: the one it made (recorded) and the other, which nothing recorded and nothing changed.
      expect((await listed()).map((x) => x.shareId).sort()).toEqual([someoneElses.shareId, created.id].sort());
      expect(emulator.getShare(someoneElses.shareId as string)).toMatchObject({ comment: "payroll link", containerId: "SomeoneElsesSpace" });
    } finally {
      await answersWithAnother.close();
    }
  });

  it("a create answer whose message KooDrive wrote in another form (escaped) is still the create's answer: one POST, recorded", async () => {
    const escaped = (link: Record<string, unknown>) => ({ ...link, comment: String(link.comment ?? "").replace(/ /g, "&#32;") });
    const escaping = await answerRewritingProxy(emulator.url, (method, path, answer) => {
      if (method === "POST" && path === "/koodrive/ose/v1/share") return { ...answer, shareLink: escaped(answer.shareLink as Record<string, unknown>) };
      if (method === "GET" && Array.isArray(answer.shareLinks))
        return { ...answer, shareLinks: (answer.shareLinks as Array<Record<string, unknown>>).map(escaped) };
      return undefined;
    });
    try {
      config["koodrive:endpoint"] = escaping.url;
      provider = await configured();
      const { created } = await create();
      expect(posts()).toHaveLength(1);
      expect(notices).toEqual([]);
      expect((await listed()).map((x) => x.shareId)).toEqual([created.id]);
    } finally {
      await escaping.close();
    }
  });

  it("a lost create whose listing shows a matching share it cannot place in time (no share time) fails naming it: no second POST", async () => {
    const unplaced = emulator.seedShare(lookalikeOfDeclared);
    const withoutShareTime = await answerRewritingProxy(emulator.url, (method, _path, answer) =>
      method === "GET" && Array.isArray(answer.shareLinks)
        ? { ...answer, shareLinks: (answer.shareLinks as Array<Record<string, unknown>>).map(({ shareTime: _t, createTime: _c, ...link }) => link) }
        : undefined,
    );
    try {
      config["koodrive:endpoint"] = withoutShareTime.url;
      provider = await configured();
      emulator.faults.set({ resetNext: 1 });
      const checked = await provider.check!({}, declared);
      await expect(provider.create(checked.inputs)).rejects.toThrow(
        `match what it sent: ${unplaced.shareId} (the listing does not show when they were made: no readable share time, or an expiry in no documented form). Refusing to guess`,
      );
      expect(posts().filter((r) => r.status !== 0)).toHaveLength(0);
    } finally {
      await withoutShareTime.close();
    }
  }, 15_000);

  it("a local clock 40 minutes ahead of KooDrive's: the share is matched on KooDrive's clock, so one share, no second POST", async () => {
    await emulator.close();
    await start({ clockOffsetMs: -40 * 60_000 });
    emulator.faults.set({ dropAfterApplyNext: 1 });
    const { created } = await create();
    // The first POST is signed before the client knows KooDrive's clock: refused (X-Date in the future), re-signed.
    expect(posts().filter((r) => r.status !== 400)).toHaveLength(1);
    const made = (await listed()).filter((s) => s.containerId === CONTAINER);
    expect(made.map((s) => s.shareId)).toEqual([created.id]);
    expect(notices.join("\n")).toMatch(/the create's answer was lost/);
  });

  it("a listing that lags the write: listed again after a wait, the share it made is adopted, no second POST", async () => {
    const client = new KooDriveClient(settingsFor(emulator));
    const before = new Set((await listed()).map((s) => s.shareId));
    let listings = 0;
    // KooDrive's listing shows the new share only from the third page request on (eventual consistency).
    const lagging: KooDriveClient = Object.assign(Object.create(client), {
      async listShares(page: { pageSize?: number; pageCursor?: string }) {
        listings += 1;
        const real = await client.listShares(page);
        return listings < 3 ? { ...real, shareLinks: real.shareLinks.filter((s) => before.has(s.shareId)) } : real;
      },
    });
    const waits: number[] = [];
    emulator.faults.set({ dropAfterApplyNext: 1 });
    const body = { scope: 1, fileIds: declared.fileIds, containerId: CONTAINER, validDays: 30, comment: "lagging" };
    const result = await createShareReconciled(lagging, body, new OwnerShares(), { sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([1_000, 2_000]);
    expect(listings).toBe(3);
    expect(posts()).toHaveLength(1);
    expect(result.reconciledAfter).toMatch(/ECONNRESET/);
    expect((await listed()).filter((s) => s.comment === "lagging").map((s) => s.shareId)).toEqual([result.share.shareId]);
  });

  it("a listing that lags longer than the waits: the POST is sent once more (the remaining, documented risk)", async () => {
    const client = new KooDriveClient(settingsFor(emulator));
    const lagging: KooDriveClient = Object.assign(Object.create(client), { listShares: async () => ({ shareLinks: [] }) });
    emulator.faults.set({ dropAfterApplyNext: 1 });
    const body = { scope: 1, fileIds: declared.fileIds, containerId: CONTAINER, validDays: 30 };
    const waits: number[] = [];
    await createShareReconciled(lagging, body, new OwnerShares(), { sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([1_000, 2_000]);
    expect(posts()).toHaveLength(2);
  });

  it.each([
    [3, 2, 3],
    [0, 1, 2],
  ])(
    "with maxRetries %i, a create whose POST fails %i time(s) unapplied (listings show nothing) is sent again: %i POSTs, one share",
    async (maxRetries, failures, sent) => {
      const client = new KooDriveClient(settingsFor(emulator, { maxRetries }));
      const listingNothing: KooDriveClient = Object.assign(Object.create(client), { listShares: async () => ({ shareLinks: [] }) });
      emulator.faults.set({ failNext: failures, failStatus: 503 });
      const body = { scope: 1, fileIds: declared.fileIds, containerId: CONTAINER, validDays: 30 };
      const result = await createShareReconciled(listingNothing, body, new OwnerShares(), { sleep: async () => undefined });
      expect(posts()).toHaveLength(sent);
      expect(result.resentAfter).toMatch(/HTTP 503/);
      expect(emulator.getShare(result.share.shareId)).toBeDefined();
    },
  );

  it("a create whose POST fails more often than maxRetries allows resends fails saying how often, and that nothing was created", async () => {
    const client = new KooDriveClient(settingsFor(emulator, { maxRetries: 1 }));
    const listingNothing: KooDriveClient = Object.assign(Object.create(client), { listShares: async () => ({ shareLinks: [] }) });
    emulator.faults.set({ failNext: 2, failStatus: 503 });
    const body = { scope: 1, fileIds: declared.fileIds, containerId: CONTAINER, validDays: 30 };
    await expect(createShareReconciled(listingNothing, body, new OwnerShares(), { sleep: async () => undefined })).rejects.toThrow(
      /the share create failed 2 times without a usable answer \(the last: .*HTTP 503.*\), and listing the user's shares found no share it made; nothing was created/,
    );
    expect(posts()).toHaveLength(2);
  });

  const twin = { scope: 1, fileIds: declared.fileIds, containerId: CONTAINER, validDays: 30, comment: "twin" };
  it.each([
    ["an identical POST", twin, twin],
    ["a POST it cannot tell apart by listing (an access code it did not send)", { ...twin, extractCode: "Abcd1234" }, twin],
  ])("a lost create waits for %s still in flight and never adopts the share that one made", async (_case, bodyA, bodyB) => {
    const client = new KooDriveClient(settingsFor(emulator));
    const shares = new OwnerShares();
    // A: KooDrive makes its share at once; its answer reaches the provider only later.
    const { client: slowAnswer, answer: answerA } = answeredLater(client);
    const noWait = { sleep: async () => undefined };
    const first = createShareReconciled(slowAnswer, bodyA, shares, noWait);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(posts()).toHaveLength(1);
    // B: its connection resets before KooDrive runs it (nothing made), so B must find out by listing.
    emulator.faults.set({ resetNext: 1 });
    const second = createShareReconciled(client, bodyB, shares, noWait);
    setTimeout(answerA, 300);
    const [a, b] = await Promise.all([first, second]);
    expect(b.share.shareId).not.toBe(a.share.shareId);
    expect(b.resentAfter).toMatch(/ECONNRESET/); // nothing of its own was listed: sent again
    const made = (await listed()).filter((s) => s.comment === "twin").map((s) => s.shareId);
    expect(made.sort()).toEqual([a.share.shareId, b.share.shareId].sort());
    expect([...shares.owned].sort()).toEqual([a.share.shareId, b.share.shareId].sort());
  });

  /** Two creates to one space that differ only in their files; A's answer comes late, B's POST is reset unrun. */
  async function twoLostCreates(client: KooDriveClient) {
    await client.listShares(); // the credentials are known good: the POSTs go out together
    const shares = new OwnerShares();
    const noWait = { sleep: async () => undefined };
    const bodyA = { scope: 1, fileIds: ["FileForA"], containerId: CONTAINER, validDays: 30, comment: "pair" };
    const bodyB = { ...bodyA, fileIds: ["FileForB"] };
    emulator.faults.set({ delayAfterApplyNext: 1, afterApplyDelayMs: 1500 });
    const first = createShareReconciled(client, bodyA, shares, noWait);
    await new Promise((resolve) => setTimeout(resolve, 50));
    emulator.faults.merge({ resetNext: 1 });
    const second = createShareReconciled(client, bodyB, shares, noWait);
    const [a, b] = await Promise.allSettled([first, second]);
    return { a, b, made: (await listed()).filter((s) => s.comment === "pair") };
  }

  it("two lost creates that differ only in their files each get their own share when the listing shows the files", async () => {
    const { a, b, made } = await twoLostCreates(new KooDriveClient(settingsFor(emulator, { timeoutMs: 500, maxRetries: 0 })));
    expect(made).toHaveLength(2); // A's, found by its files; B's, posted again because none matched it
    const fileOf = (id: string) => made.find((s) => s.shareId === id)?.displayName;
    expect(a).toMatchObject({ status: "fulfilled" });
    expect(b).toMatchObject({ status: "fulfilled" });
    const ids = [a, b].map((r) => (r as PromiseFulfilledResult<{ share: { shareId: string } }>).value.share.shareId);
    expect(new Set(ids).size).toBe(2);
    expect(ids.map(fileOf)).toEqual(["FileForA", "FileForB"]);
  });

  it("two lost creates that the listing cannot tell apart (other files, a list without them) never take each other's share", async () => {
    const client = new KooDriveClient(settingsFor(emulator, { timeoutMs: 500, maxRetries: 0 }));
    // A KooDrive whose list pages leave out the files (the document lists them; a page may not).
    const withoutFiles: KooDriveClient = Object.assign(Object.create(client), {
      listShares: async (page: Parameters<KooDriveClient["listShares"]>[0]) => {
        const listedPage = await client.listShares(page);
        return { ...listedPage, shareLinks: listedPage.shareLinks.map(({ files: _files, ...link }) => link) };
      },
    });
    const { a, b, made } = await twoLostCreates(withoutFiles);
    expect(made).toHaveLength(1); // B made nothing, and A did not POST again
    expect(a).toMatchObject({ status: "fulfilled", value: { share: { shareId: made[0]!.shareId } } });
    expect(b.status).toBe("rejected");
    expect(String((b as PromiseRejectedResult).reason)).toMatch(/so did 1 other create\(s\) of this run in the same space.*Refusing to guess/);
    // The advice holds whether the other create recorded its share (here) or failed too and recorded none.
    expect(String((b as PromiseRejectedResult).reason)).toMatch(/may have recorded their shares, or failed like this one.*before `pulumi up` runs again/);
  });

  it("two identical lost creates share out the shares they made: none is left unrecorded", async () => {
    const client = new KooDriveClient(settingsFor(emulator, { maxRetries: 0 }));
    await client.listShares();
    const shares = new OwnerShares();
    const body = { scope: 1, fileIds: declared.fileIds, containerId: CONTAINER, validDays: 30, comment: "both lost" };
    emulator.faults.set({ dropAfterApplyNext: 2 });
    const results = await Promise.all([1, 2].map(() => createShareReconciled(client, body, shares, { sleep: async () => undefined })));
    const made = (await listed()).filter((s) => s.comment === "both lost").map((s) => s.shareId);
    expect(made).toHaveLength(2);
    expect(results.map((r) => r.share.shareId).sort()).toEqual([...made].sort());
  });

  it("a POST to the same space that starts while a lost create reconciles waits until it has listed and claimed", async () => {
    const client = new KooDriveClient(settingsFor(emulator));
    const shares = new OwnerShares();
    const body = { scope: 1, fileIds: declared.fileIds, containerId: CONTAINER, validDays: 30, comment: "meanwhile" };
    const before = new Set((await listed()).map((s) => s.shareId));
    let listings = 0;
    let startOther!: () => void;
    const firstListingDone = new Promise<void>((resolve) => {
      startOther = resolve;
    });
    // The lost create's first listing does not show its share yet (it lags), so it lists again after a wait.
    const lagging: KooDriveClient = Object.assign(Object.create(client), {
      async listShares(page: { pageSize?: number; pageCursor?: string }) {
        listings += 1;
        const real = await client.listShares(page);
        if (listings > 1) return real;
        startOther();
        return { ...real, shareLinks: real.shareLinks.filter((s) => before.has(s.shareId)) };
      },
    });
    emulator.faults.set({ dropAfterApplyNext: 1 });
    const lost = createShareReconciled(lagging, body, shares, { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms / 20)) });
    await firstListingDone;
    // An identical create starts while the lost one waits to list again: its POST must not go out before that listing.
    const other = createShareReconciled(client, body, shares);
    const [a, b] = await Promise.all([lost, other]);
    expect(a.share.shareId).not.toBe(b.share.shareId);
    expect(a.reconciledAfter).toBeDefined();
    expect(b.reconciledAfter).toBeUndefined();
    const order = emulator.requests.all().map((r) => `${r.method} ${r.status}`);
    // The listing before the test, the lost POST, its two listings, and only then the other POST.
    expect(order).toEqual(["GET 200", "POST 0", "GET 200", "GET 200", "POST 200"]);
  });

  it("a create refused by KooDrive (4xx) is not reconciled: the error is KooDrive's", async () => {
    const error = await provider.create({ ...declared, fileIds: Array.from({ length: 101 }, (_, i) => `f${i}`) }).catch((e: Error) => e);
    expect(String(error)).toMatch(/13000102/);
    expect(emulator.requests.all().map((r) => r.method)).toEqual(["POST"]);
  });
});

describe("refresh of many shares", () => {
  it("reads them as the settings resource does (koodrive:refreshStrategy list): one listing, no GET per share", async () => {
    await emulator.close();
    await start({}, { "koodrive:refreshStrategy": "list" });
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await create({ ...declared, comment: `share ${i}` }));
    emulator.requests.clear();
    const reads = await Promise.all(made.map(({ created }) => provider.read!(created.id, created.outs)));
    expect(reads.map((r) => r.props?.comment)).toEqual(made.map((_, i) => `share ${i}`));
    expect(emulator.requests.all().map((r) => `${r.method} ${r.path}`)).toEqual(["GET /koodrive/ose/v1/share"]);
  });
});

describe("the share owner is recorded: a change of koodrive:userId does not strand the share", () => {
  /** App (HMAC) auth, which acts as any user through X-User-Id. */
  async function asConfiguredUser(userId: string) {
    config = { ...config, "koodrive:userId": userId, "koodrive:appId": APP_ID, "koodrive:appSecret": APP_SECRET };
    delete config["koodrive:accessToken"];
    provider = await configured();
  }
  const actedAs = () => emulator.requests.all().map((r) => `${r.method} ${r.headers["x-user-id"]} ${r.status}`);

  it("refresh, preview, update and delete (cancel) act as the owner recorded at create, with one notice at preview", async () => {
    await asConfiguredUser(USER_ID);
    const { inputs, created } = await create();
    expect(created.outs).toMatchObject({ owner: USER_ID });

    await asConfiguredUser(OTHER_USER_ID);
    emulator.requests.clear();
    const read = await provider.read!(created.id, created.outs);
    expect(read).toMatchObject({ id: created.id, props: { owner: USER_ID, comment: "Q3 report" } });
    expect(actedAs()).toEqual([`GET ${USER_ID} 200`]);

    notices.length = 0;
    expect(await provider.diff!(created.id, read.props, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    // The same notice as for KooDriveShareSettings (its exact text is pinned in shareSettingsProvider.test.ts).
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      new RegExp(`^koodrive: share ${created.id}: stays managed as its owner, user ${USER_ID}, although koodrive:userId is now ${OTHER_USER_ID} `),
    );

    emulator.requests.clear();
    const updated = await provider.update!(created.id, read.props!, { ...inputs, comment: "Q3 final" });
    expect(actedAs()).toEqual([`PUT ${USER_ID} 200`]);
    expect(updated.outs).toMatchObject({ owner: USER_ID, comment: "Q3 final" });

    emulator.requests.clear();
    await provider.delete!(created.id, updated.outs!);
    expect(actedAs()).toEqual([`POST ${USER_ID} 200`]);
    expect(emulator.getShare(created.id)).toBeUndefined();
  });

  it("a lost create never adopts a share another resource of this process holds for the same recorded owner", async () => {
    await asConfiguredUser(OTHER_USER_ID);
    // A share USER_ID's resource made in an earlier run (so not in this process's memory), identical to the next one.
    const held = emulator.seedShare({ ownerId: USER_ID, ...declared });
    const heldState = {
      stateVersion: 2,
      shareId: held.shareId,
      owner: USER_ID,
      ...declared,
      onDelete: "cancel",
      managedFields: ["extractCode", "comment"],
      expireTime: held.expireTime,
      status: 0,
    };
    // Preview in the new configuration: the share is still USER_ID's, and held by its resource.
    await provider.diff!(held.shareId as string, heldState, { ...declared, onDelete: "cancel" });
    emulator.faults.set({ dropAfterApplyNext: 1 });
    const second = await create({ ...declared, userId: USER_ID });
    expect(second.created.id).not.toBe(held.shareId);
    expect(posts()).toHaveLength(1);
    expect((await listed(USER_ID)).map((s) => s.shareId).sort()).toEqual([held.shareId, second.created.id].sort());
  });
});

describe("a create that cannot have been sent", () => {
  it("an endpoint whose name does not resolve fails the create without claiming a share may exist, and lists nothing", async () => {
    config = { ...config, "koodrive:endpoint": "https://koodrive.invalid" };
    provider = await configured();
    const checked = await provider.check!({}, declared);
    const error = await provider.create(checked.inputs!).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/network error (ENOTFOUND|EAI_AGAIN) talking to koodrive\.invalid/);
    expect(error?.message).not.toMatch(/may have been created|may exist/);
    expect(notices.join("\n")).not.toMatch(/outcome is unknown|listing/);
  });
});
