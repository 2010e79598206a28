import { checkShareInputs } from "../../src/resources/share/checkInputs";
import { OwnerShares, SEND_TOLERANCE_MS, madeByCreate } from "../../src/resources/share/createShare";
import { planShareChange } from "../../src/resources/share/plan";
import { upgradeShareState } from "../../src/resources/share/state";
import { UNKNOWN_VALUE } from "../../src/resources/common/unknownValue";

/** `koodrive:userId` as configured now. */
const CONFIGURED = "1505084218764547200";
const valid = { fileIds: ["FryfD0bDk0aWSfrlCgZVJG7hxDMCY5hkl"], containerId: "IAAB5thdWzxEoAsiA1681759183084696448", scope: 1, validDays: 30 };
const failuresOf = (news: Record<string, unknown>, edition: "carrier" | "enterprise" = "carrier") => checkShareInputs(news, edition).failures;

describe("checkShareInputs", () => {
  it("accepts valid inputs and defaults onDelete to cancel", () => {
    expect(checkShareInputs({ ...valid, comment: "Q3", extractCode: "MDg2K0vU" }, "carrier")).toEqual({
      inputs: { ...valid, comment: "Q3", extractCode: "MDg2K0vU", onDelete: "cancel" },
      failures: [],
    });
  });

  it.each([
    [{ fileIds: [] }, "fileIds", /at least 1 file/],
    [{ fileIds: Array.from({ length: 101 }, (_, i) => `f${i}`) }, "fileIds", /at most 100 files/],
    [{ fileIds: "abc" }, "fileIds", /must be an array of 1 to 100 file IDs, got a string/],
    [{ fileIds: ["ok", "a/b"] }, "fileIds", /^fileIds\[1\] must be 1 to 64 characters/],
    [{ fileIds: ["ok", 7] }, "fileIds", /^fileIds\[1\] must be a string, got a number$/],
    [{ fileIds: ["a", "b", "a"] }, "fileIds", /must not name a file twice/],
    [{ containerId: undefined }, "containerId", /^containerId is required$/],
    [{ scope: 2 }, "scope", /^scope must be 1 \(anyone with the link\) or 3 \(specified enterprise users\) on the carrier edition, got another number$/],
    [{ scope: "1" }, "scope", /scope must be 1 \(anyone with the link\) or 3 \(specified enterprise users\) on the carrier edition, got a string/],
    [{ validDays: 0 }, "validDays", /integer from 1 to 365 .*validity period.*got a smaller number$/],
    [{ validDays: 366 }, "validDays", /integer from 1 to 365/],
    [{ renewBeforeDays: 30 }, "renewBeforeDays", /less than validDays \(30\)/],
    [{ onDelete: "restore" }, "onDelete", /"cancel" or "retain"/],
    [{ userId: "x y" }, "userId", /userId must be 1 to 64/],
    [{ userId: 42 }, "userId", /^userId must be a string, got a number$/],
    [{ extractCode: "short" }, "extractCode", /exactly 8 characters/],
  ])("rejects %j naming %s", (change, property, reason) => {
    const failures = failuresOf({ ...valid, ...change });
    expect(failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  it("scope 2 is valid on the enterprise edition only; 4 on neither", () => {
    expect(failuresOf({ ...valid, scope: 2 }, "enterprise")).toEqual([]);
    expect(failuresOf({ ...valid, scope: 4 }, "enterprise")).toEqual([
      {
        property: "scope",
        reason:
          "scope must be 1 (anyone with the link), 2 (users inside the enterprise) or 3 (specified enterprise users) on the enterprise edition, got another number",
      },
    ]);
  });

  it("lets unknown values through (preview), including unknown elements of fileIds", () => {
    expect(failuresOf({ ...valid, fileIds: UNKNOWN_VALUE, scope: UNKNOWN_VALUE, validDays: UNKNOWN_VALUE, renewBeforeDays: 5 })).toEqual([]);
    expect(failuresOf({ ...valid, fileIds: ["a", UNKNOWN_VALUE, UNKNOWN_VALUE] })).toEqual([]);
  });

  it("never echoes a rejected access code", () => {
    const [failure] = failuresOf({ ...valid, extractCode: "secret-code!" });
    expect(failure!.reason).not.toContain("secret-code!");
  });
});

const now = new Date("2026-11-29T12:00:00.000Z");
const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(now.getTime() + days * DAY).toISOString();
const state = upgradeShareState({
  stateVersion: 1,
  shareId: "100",
  fileIds: ["a", "b"],
  containerId: "c1",
  scope: 1,
  validDays: 30,
  onDelete: "cancel",
  comment: "hello",
  managedFields: ["comment"],
  expireTime: inDays(20),
  status: 0,
});
const same = { fileIds: ["a", "b"], containerId: "c1", scope: 1, validDays: 30, comment: "hello", onDelete: "cancel" };

describe("planShareChange", () => {
  it.each([
    ["nothing changed", {}, { replaces: [], changed: [], put: false }],
    ["same files in another order → nothing", { fileIds: ["b", "a"] }, { replaces: [], put: false }],
    ["a file added → replace", { fileIds: ["a", "b", "c"] }, { replaces: ["fileIds"], put: false }],
    ["unknown file element → replace", { fileIds: ["a", UNKNOWN_VALUE] }, { replaces: ["fileIds"] }],
    ["containerId → replace", { containerId: "c2" }, { replaces: ["containerId"] }],
    ["scope → replace", { scope: 3 }, { replaces: ["scope"] }],
    ["userId → replace", { userId: "42" }, { replaces: ["userId"] }],
    ["userId declared as the configured user the share was made as → state only", { userId: CONFIGURED }, { replaces: [], changed: ["userId"], put: false }],
    ["comment → one PUT", { comment: "bye" }, { replaces: [], changed: ["comment"], put: true }],
    ["validDays → one PUT", { validDays: 7 }, { changed: ["validDays"], put: true }],
    ["extractCode declared → one PUT", { extractCode: "MDg2K0vU" }, { changed: ["extractCode"], put: true }],
    ["onDelete → state only", { onDelete: "retain" }, { changed: ["onDelete"], put: false }],
  ])("%s", (_name, change, expected) => {
    expect(planShareChange(state, { ...same, ...change }, now, CONFIGURED)).toMatchObject(expected);
  });

  it("an expired link is a renewal PUT; one inside renewBeforeDays too, and not a day before", () => {
    expect(planShareChange({ ...state, expireTime: inDays(-1), status: 2 }, same, now, CONFIGURED)).toMatchObject({
      put: true,
      renewal: expect.stringMatching(/expired/),
    });
    expect(planShareChange({ ...state, expireTime: inDays(2.5) }, { ...same, renewBeforeDays: 3 }, now, CONFIGURED)).toMatchObject({
      put: true,
      renewal: expect.stringMatching(/expires within 3 days \(renewBeforeDays 3\): due for renewal/),
    });
    expect(planShareChange({ ...state, expireTime: inDays(3.5), renewBeforeDays: 3 }, { ...same, renewBeforeDays: 3 }, now, CONFIGURED)).toMatchObject({
      put: false,
      changed: [],
    });
  });

  it("a share whose files were deleted is a problem, not a renewal", () => {
    expect(planShareChange({ ...state, status: 1 }, same, now, CONFIGURED)).toMatchObject({ put: false, problem: expect.stringMatching(/files were deleted/) });
  });
});

describe("OwnerShares.post", () => {
  it("refuses an answer naming a share another resource of this run holds: two resources recording one share would cancel each other's", async () => {
    const shares = new OwnerShares();
    shares.owned.add("S1");
    const body = { scope: 1, fileIds: ["a"], containerId: "c1", validDays: 30 };
    await expect(shares.post({ body, sentAt: () => 0 }, async () => ({ shareId: "S1" }))).rejects.toThrow(
      "KooDrive answered a share create with share S1, which another resource of this run already holds; nothing was recorded",
    );
    expect(await shares.post({ body, sentAt: () => 0 }, async () => ({ shareId: "S2" }))).toEqual({ shareId: "S2" });
    expect([...shares.owned]).toEqual(["S1", "S2"]);
  });
});

describe("madeByCreate (which listed share a lost create made)", () => {
  const sentAt = now.getTime();
  const body = { scope: 1, fileIds: ["a", "b"], containerId: "c1", validDays: 30, comment: "Q3", extractCode: "MDg2K0vU" };
  const item = {
    shareId: "9",
    containerId: "c1",
    scope: 1,
    comment: "Q3",
    extractCode: "MDg2K0vU",
    shareTime: new Date(sentAt + 200).toISOString(),
    expireTime: new Date(sentAt + 200 + 30 * DAY).toISOString(),
  };

  it("matches the share the POST describes", () => {
    expect(madeByCreate(item, body, sentAt)).toBe("made");
    expect(madeByCreate({ ...item, files: [{ id: "b" }, { id: "a" }] }, body, sentAt)).toBe("made");
  });

  it.each([
    ["another space", { containerId: "c2" }],
    ["another scope", { scope: 3 }],
    ["another message", { comment: "Q4" }],
    ["no message", { comment: undefined }],
    ["another access code", { extractCode: "ZZZZ9999" }],
    ["no access code (a create that sent one makes none without it: an open link is someone else's)", { extractCode: undefined }],
    ["other files (when listed)", { files: [{ id: "a" }] }],
    ["shared well before the send", { shareTime: new Date(sentAt - 16 * 60 * 1000).toISOString() }],
    ["an expiry that is not validDays after the share time", { expireTime: new Date(sentAt + 7 * DAY).toISOString() }],
  ])("rejects a share with %s", (_name, change) => {
    expect(madeByCreate({ ...item, ...change }, body, sentAt)).toBe("not made");
  });

  it.each([
    ["no share time", { shareTime: undefined }],
    ["a share time in no documented form", { shareTime: "yesterday" }],
    ["an expiry in no documented form", { expireTime: "2026-13-45T99:99:99Z" }],
  ])("cannot tell for a share with %s (the caller must not guess: adopting or sending again)", (_name, change) => {
    expect(madeByCreate({ ...item, ...change }, body, sentAt)).toBe("cannot tell");
  });

  it("without a share time, an expiry no write since the send gives still rules a share out", () => {
    const listedAt = sentAt + 5_000;
    const expiring = (ms: number) => ({ ...item, shareTime: undefined, expireTime: new Date(ms).toISOString() });
    expect(madeByCreate(expiring(sentAt - 20 * DAY + 30 * DAY), body, sentAt, SEND_TOLERANCE_MS, listedAt)).toBe("not made");
    expect(madeByCreate(expiring(sentAt + 200 * DAY), body, sentAt, SEND_TOLERANCE_MS, listedAt)).toBe("not made");
    expect(madeByCreate(expiring(sentAt + 1_000 + 30 * DAY), body, sentAt, SEND_TOLERANCE_MS, listedAt)).toBe("cannot tell");
  });

  it("a share made within the clock tolerance before the send still matches (KooDrive's clock may lag)", () => {
    const early = sentAt - 10 * 60 * 1000;
    expect(madeByCreate({ ...item, shareTime: new Date(early).toISOString(), expireTime: new Date(early + 30 * DAY).toISOString() }, body, sentAt)).toBe(
      "made",
    );
  });

  it("on KooDrive's learned clock the window is narrow: a share made minutes before the send is not this create's", () => {
    const stamped = (msBefore: number) => ({
      ...item,
      shareTime: new Date(sentAt - msBefore).toISOString(),
      expireTime: new Date(sentAt - msBefore + 30 * DAY).toISOString(),
    });
    expect(madeByCreate(stamped(5 * 60 * 1000), body, sentAt, SEND_TOLERANCE_MS)).toBe("not made");
    expect(madeByCreate(stamped(30 * 1000), body, sentAt, SEND_TOLERANCE_MS)).toBe("made");
  });

  it("the expiry must be exactly validDays after the share time: a share of validDays + 1 (another stack's, say) is not this create's", () => {
    expect(madeByCreate({ ...item, expireTime: new Date(sentAt + 200 + 31 * DAY).toISOString() }, body, sentAt)).toBe("not made");
    expect(madeByCreate({ ...item, expireTime: new Date(sentAt + 200 + 30 * DAY + 20 * 60_000).toISOString() }, body, sentAt)).toBe("not made");
  });

  it("a file list it cannot read whole (an entry without an ID) counts as not shown, as no list does: it cannot tell the share apart", () => {
    expect(madeByCreate({ ...item, files: [{ id: "a" }, { name: "b.pdf" }] }, body, sentAt)).toBe("made");
    expect(madeByCreate({ ...item, files: ["b", "a"] }, body, sentAt)).toBe("made");
  });

  it("with no access code sent, any code KooDrive generated matches", () => {
    expect(madeByCreate({ ...item, extractCode: "GENcode1" }, { ...body, extractCode: undefined }, sentAt)).toBe("made");
  });
});
