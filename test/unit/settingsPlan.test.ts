import { planNotices } from "../../src/resources/common/linkPlan";
import { ownerNotice, recordedOwner } from "../../src/resources/common/owner";
import { UNKNOWN_VALUE } from "../../src/resources/common/unknownValue";
import { linkHealth, renewedAgainWarning } from "../../src/resources/common/linkHealth";
import { planSettingsChange } from "../../src/resources/shareSettings/plan";
import { type ShareSettingsState, originalsUnderStoredName, upgradeShareSettingsState } from "../../src/resources/shareSettings/state";

const now = new Date("2026-11-29T12:00:00.000Z");
/** `koodrive:userId` as configured now. */
const CONFIGURED = "1505084218764547200";
const OWNER_A = "1505084218764547111";
const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(now.getTime() + days * DAY).toISOString();

const olds = upgradeShareSettingsState({
  stateVersion: 2,
  shareId: "100",
  validDays: 30,
  extractCode: "MDg2K0vU",
  comment: "hello",
  onDelete: "retain",
  managedFields: ["extractCode", "comment"],
  expireTime: inDays(20),
  status: 0,
});
const same = { shareId: "100", validDays: 30, extractCode: "MDg2K0vU", comment: "hello", onDelete: "retain" };

describe("planSettingsChange", () => {
  it("a restoring share written since this resource's last write is written again; the notice says why only when nothing else does", () => {
    const written = { ...olds, onDelete: "restore" as const, writtenSinceApplied: true as const };
    const restoring = { ...same, onDelete: "restore" };
    expect(planSettingsChange(written, restoring, now, CONFIGURED)).toMatchObject({
      changed: [],
      put: true,
      rewrite: expect.stringMatching(/`pulumi up` writes/),
    });
    // Drifted from what the program declares: the diff shows the comment, which explains the PUT.
    const drifted = planSettingsChange(written, { ...restoring, comment: "declared" }, now, CONFIGURED);
    expect(drifted).toMatchObject({ changed: ["comment"], put: true });
    expect(drifted.rewrite).toBeUndefined();
    // Due for renewal: the renewal notice explains it.
    const due = planSettingsChange({ ...written, expireTime: inDays(-1) }, restoring, now, CONFIGURED);
    expect(due).toMatchObject({ put: true, renewal: expect.any(String) });
    expect(due.rewrite).toBeUndefined();
    // onDelete "retain" now: nothing to restore, no rewrite.
    expect(planSettingsChange(written, same, now, CONFIGURED)).toMatchObject({ put: false });
  });

  it("a changed access code is named by a notice (Pulumi's display shows no secret's change), without its value", () => {
    const plan = planSettingsChange(olds, { ...same, extractCode: "ZZZZ9999" }, now, CONFIGURED);
    expect(planNotices(plan)).toEqual([expect.stringMatching(/^the access code differs from the declared one: `pulumi up` sets it/)]);
    expect(planNotices(plan).join()).not.toMatch(/ZZZZ9999|MDg2K0vU/);
    // Other changes show in the diff itself: no notice.
    expect(planNotices(planSettingsChange(olds, { ...same, comment: "bye" }, now, CONFIGURED))).toEqual([]);
    // A code not known until the update (preview of a computed input) may be the same: no notice.
    expect(planNotices(planSettingsChange(olds, { ...same, extractCode: UNKNOWN_VALUE }, now, CONFIGURED))).toEqual([]);
    // Why the link is due, or cannot be kept alive, comes before the code change.
    const due = planSettingsChange({ ...olds, expireTime: inDays(-1) }, { ...same, extractCode: "ZZZZ9999" }, now, CONFIGURED);
    expect(planNotices(due)).toEqual([expect.stringMatching(/expired/), expect.stringMatching(/access code/)]);
    const filesDeleted = planSettingsChange({ ...olds, status: 1 }, { ...same, extractCode: "ZZZZ9999" }, now, CONFIGURED);
    expect(planNotices(filesDeleted)).toEqual([expect.stringMatching(/^warning: .*files were deleted/), expect.stringMatching(/access code/)]);
  });

  it.each([
    ["nothing changed", {}, { replaces: [], changed: [], put: false }],
    ["shareId changed → replace (no PUT: the share being left is not written)", { shareId: "200" }, { replaces: ["shareId"], put: false }],
    ["userId changed → replace", { userId: "42" }, { replaces: ["userId"] }],
    ["validDays changed → PUT", { validDays: 7 }, { replaces: [], changed: ["validDays"], put: true }],
    ["extractCode changed → PUT", { extractCode: "ZZZZ9999" }, { changed: ["extractCode"], put: true }],
    ["comment changed → PUT", { comment: "bye" }, { changed: ["comment"], put: true }],
    ['comment cleared with "" → PUT', { comment: "" }, { changed: ["comment"], put: true }],
    ["two fields changed → one update naming both", { comment: "bye", validDays: 1 }, { changed: ["comment", "validDays"], put: true }],
    ["onDelete changed → state only", { onDelete: "restore" }, { changed: ["onDelete"], put: false }],
    ["renewBeforeDays declared, not yet due → state only", { renewBeforeDays: 5 }, { changed: ["renewBeforeDays"], put: false }],
    ["comment removed from program → stop managing, no PUT", { comment: undefined }, { changed: ["comment"], put: false }],
    ["unknown validDays → PUT", { validDays: UNKNOWN_VALUE }, { changed: ["validDays"], put: true }],
    ["unknown shareId → replace", { shareId: UNKNOWN_VALUE }, { replaces: ["shareId"] }],
  ])("%s", (_name, change, expected) => {
    expect(planSettingsChange(olds, { ...same, ...change }, now, CONFIGURED)).toMatchObject(expected);
  });

  it("starting to manage a field that already has the declared value is a state-only update", () => {
    const unmanaged = { ...olds, managedFields: ["extractCode" as const] };
    expect(planSettingsChange(unmanaged, same, now, CONFIGURED)).toMatchObject({ changed: ["comment"], put: false });
  });

  it("an unmanaged field that drifted is not a change", () => {
    const unmanaged: ShareSettingsState = { ...olds, comment: "changed by hand", managedFields: ["extractCode"] };
    expect(planSettingsChange(unmanaged, { ...same, comment: undefined }, now, CONFIGURED)).toMatchObject({ changed: [], put: false });
  });
});

describe("expiry and renewal", () => {
  const at = (expireTime: string | undefined, status = 0): ShareSettingsState => ({ ...olds, expireTime, status });

  it.each([
    ["an active link, far from expiry", inDays(20), 0, undefined, undefined],
    ["a link past its expireTime (status still 0)", inDays(-1), 0, undefined, /expired at .*due for a renewal of 30 days/],
    ["a link reported expired (status 3)", inDays(1), 3, undefined, /expired/],
    ["a link reported invalid after its expiry (status 2)", inDays(-2), 2, undefined, /expired/],
    ["renewBeforeDays 7, 3 days left → due", inDays(3), 0, 7, /expires within 3 days \(renewBeforeDays 7\): due for renewal/],
    ["renewBeforeDays 7, 6.5 days left → due, and the notice agrees", inDays(6.5), 0, 7, /expires within 7 days \(renewBeforeDays 7\): due for renewal/],
    ["renewBeforeDays 7, 8 days left → not yet", inDays(8), 0, 7, undefined],
    ["renewBeforeDays 7, exactly 7 days left → not yet", inDays(7), 0, 7, undefined],
    ["no expiry although validDays 30 is declared", undefined, 0, undefined, /no expiry although validDays 30/],
    ["a validity extended by hand to a year, validDays 30", inDays(365), 0, undefined, /more than validDays 30 from now: validDays 30 is due again/],
    ["an expiry within a day's slack of validDays 30 from now", inDays(30.9), 0, undefined, undefined],
  ])("%s", (_name, expireTime, status, renewBeforeDays, renewal) => {
    const plan = planSettingsChange(at(expireTime, status), { ...same, renewBeforeDays }, now, CONFIGURED);
    if (renewal === undefined) {
      expect(plan.renewal).toBeUndefined();
    } else {
      expect(plan.renewal).toMatch(renewal);
      expect(plan.put).toBe(true);
    }
  });

  it("validDays 0 with an expiry on the share is drift; without one it is not", () => {
    expect(planSettingsChange(at(inDays(5)), { ...same, validDays: 0 }, now, CONFIGURED).renewal).toMatch(/although validDays 0 declares none/);
    const never = { ...at(undefined), validDays: 0 };
    expect(planSettingsChange(never, { ...same, validDays: 0 }, now, CONFIGURED)).toMatchObject({ put: false, changed: [] });
  });

  it("files deleted (status 1) and invalidated links (status 2 before expiry) are problems, never renewals", () => {
    for (const status of [1, 2]) {
      const plan = planSettingsChange(at(inDays(5), status), { ...same, renewBeforeDays: 10 }, now, CONFIGURED);
      expect(plan.renewal).toBeUndefined();
      expect(plan.problem).toMatch(status === 1 ? /files were deleted/ : /invalidated/);
      expect(plan.put).toBe(false);
    }
  });

  it("status 2 within KooDrive's clock tolerance of the expiry is an expiry (its clock may be ahead), not an invalidation", () => {
    const fiveMinutesAhead = new Date(now.getTime() + 5 * 60 * 1000).toISOString();
    expect(planSettingsChange(at(fiveMinutesAhead, 2), same, now, CONFIGURED)).toMatchObject({ renewal: expect.stringMatching(/expired/), put: true });
    expect(planSettingsChange(at(fiveMinutesAhead, 2), same, now, CONFIGURED).problem).toBeUndefined();
  });

  it("an expireTime in no documented form is a problem, not a renewal", () => {
    expect(linkHealth(at("next tuesday"), 30, 5, now)).toEqual({ problem: expect.stringMatching(/"next tuesday" is in no form/) });
  });

  it("a recorded clock offset that may be wrong: expired by this machine's clock counts, and a write just made by it is not too long", () => {
    const hourAhead = new Date(now.getTime() + 60 * 60 * 1000);
    const inTenMinutes = new Date(now.getTime() + 10 * 60 * 1000).toISOString();
    expect(linkHealth(at(inTenMinutes), 30, undefined, now)).toEqual({});
    expect(linkHealth(at(inTenMinutes), 30, undefined, now, hourAhead).renewal).toMatch(
      /expired .* by this machine's clock \(KooDrive's was 60 minutes behind/,
    );
    expect(linkHealth(at(inTenMinutes), 30, undefined, now, new Date(now.getTime() + 5 * 60 * 1000))).toEqual({});
    // Written 30 days from this machine's clock, two days fast: within what a write of validDays 30 gives by the later
    // clock; by KooDrive's recorded one alone, beyond the day of rounding slack.
    const twoDaysAhead = new Date(now.getTime() + 2 * DAY);
    const writtenByFastClock = new Date(twoDaysAhead.getTime() + 30 * DAY).toISOString();
    expect(linkHealth(at(writtenByFastClock), 30, undefined, now, twoDaysAhead)).toEqual({});
    expect(linkHealth(at(writtenByFastClock), 30, undefined, now).renewal).toMatch(/more than validDays 30 from now/);
  });

  it("every documented time form is understood", () => {
    const compact = inDays(-1)
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    const documented = inDays(-1)
      .replace("T", " ")
      .replace(/\.\d{3}Z$/, "");
    for (const form of [compact, documented, String(Date.parse(inDays(-1)))]) {
      expect(linkHealth(at(form), 30, undefined, now).renewal).toMatch(/expired/);
    }
  });
});

describe("a write's answer that the rules would renew again", () => {
  it.each([
    ["validDays 30 counted from the write", inDays(30), 0, undefined, undefined],
    ["the same, within the clocks' slack", inDays(30.5), 0, 7, undefined],
    ["validDays 0 and no expiry", undefined, 0, undefined, undefined],
    ["an answer without the expiry (a create answer may leave it out): nothing to judge", "", 0, undefined, undefined],
    ["validDays added to the current expiry", inDays(50), 0, undefined, /more than validDays 30 from now/],
    ["counted from a share time 40 days ago: still expired", inDays(-10), 3, undefined, /the link expired/],
    ["counted from a share time 25 days ago: due under renewBeforeDays 7", inDays(5), 0, 7, /expires within 5 days/],
  ])("%s", (_name, expireTime, status, renewBeforeDays, reason) => {
    const validDays = expireTime === undefined ? 0 : 30; // "" stands for an answer of validDays 30 without its expiry
    const warning = renewedAgainWarning({ expireTime, status }, validDays, renewBeforeDays, now);
    if (reason === undefined) {
      expect(warning).toBeUndefined();
    } else {
      expect(warning).toMatch(reason);
      expect(warning).toMatch(
        new RegExp(
          `^warning: KooDrive answered this write of validDays 30 with expireTime ${expireTime!.replace(/[.]/g, "\\.")} and status ${status}, which the next run would renew again`,
        ),
      );
      expect(warning).toMatch(/every run will write this share/);
    }
  });
});

describe("state upgrade", () => {
  it("a refresh keeps the originals under originalSettings only while the stored state has that name alone", () => {
    const outs = { shareId: "100", originals: { comment: "orig" } };
    expect(originalsUnderStoredName({ originalSettings: { comment: "orig" } }, outs)).toEqual({ shareId: "100", originalSettings: { comment: "orig" } });
    // Current state, or (hand-edited) state with both names: the current name, whose secrecy the resource declares.
    expect(originalsUnderStoredName({ originals: { comment: "orig" } }, outs)).toBe(outs);
    expect(originalsUnderStoredName({ originalSettings: { comment: "x" }, originals: { comment: "orig" } }, outs)).toBe(outs);
  });

  it("reads version 1 state (0.1.0): originalSettings become originals, volatile fields go", () => {
    const v1 = {
      shareId: "100",
      validDays: 5,
      onDelete: "restore",
      extractCode: "MDg2K0vU",
      managedFields: ["extractCode"],
      viewCnt: 3,
      displayName: "a.txt",
      originalSettings: { comment: "orig" },
      __provider: "exports.handler = ...",
    };
    expect(upgradeShareSettingsState(v1)).toEqual({
      stateVersion: 3,
      shareId: "100",
      validDays: 5,
      onDelete: "restore",
      extractCode: "MDg2K0vU",
      managedFields: ["extractCode"],
      originals: { comment: "orig" },
    });
  });
});

describe("the recorded owner", () => {
  const ownedByA = { ...olds, owner: OWNER_A };

  it.each([
    ["koodrive:userId changed alone (userId never declared) → nothing", ownedByA, {}, { replaces: [], changed: [], put: false }],
    ["declaring the recorded owner → state only, no replace", ownedByA, { userId: OWNER_A }, { replaces: [], changed: ["userId"], put: false }],
    ["declaring another owner → replace", ownedByA, { userId: "42" }, { replaces: ["userId"] }],
    ["declared owner changed → replace", { ...ownedByA, userId: OWNER_A }, { userId: "42" }, { replaces: ["userId"] }],
    [
      "declared owner removed, koodrive:userId is that owner → state only",
      { ...ownedByA, owner: CONFIGURED, userId: CONFIGURED },
      {},
      { replaces: [], changed: ["userId"], put: false },
    ],
    ["declared owner removed, koodrive:userId is someone else → replace", { ...ownedByA, userId: OWNER_A }, {}, { replaces: ["userId"] }],
    ["unknown userId → replace", ownedByA, { userId: UNKNOWN_VALUE }, { replaces: ["userId"] }],
  ])("%s", (_name, state, change, expected) => {
    expect(planSettingsChange(state, { ...same, ...change }, now, CONFIGURED)).toMatchObject(expected);
  });

  it("state from before owners were recorded: the declared userId is the owner, else it is unknown (the configured user acts)", () => {
    expect(upgradeShareSettingsState({ ...olds, stateVersion: 2, userId: OWNER_A })).toMatchObject({ stateVersion: 3, userId: OWNER_A, owner: OWNER_A });
    expect(upgradeShareSettingsState({ ...olds, stateVersion: 2 })).not.toHaveProperty("owner");
    expect(upgradeShareSettingsState({ ...olds, owner: OWNER_A, userId: undefined })).toMatchObject({ owner: OWNER_A });
    expect(recordedOwner(upgradeShareSettingsState({ ...olds, stateVersion: 2 }), CONFIGURED)).toBe(CONFIGURED);
  });

  it("raw stored state (the companion's) reads an empty owner or userId as unrecorded, as the upgraders do: never as user ''", () => {
    expect(recordedOwner({ userId: "" }, CONFIGURED)).toBe(CONFIGURED);
    expect(recordedOwner({ owner: "", userId: OWNER_A }, CONFIGURED)).toBe(OWNER_A);
  });

  it("a notice only when koodrive:userId names someone other than the recorded owner of a resource without userId", () => {
    expect(ownerNotice(ownedByA, undefined, CONFIGURED)).toBe(
      `stays managed as its owner, user ${OWNER_A}, although koodrive:userId is now ${CONFIGURED} (a share belongs to its owner for good). ` +
        `Declare userId: "${OWNER_A}" on the resource to make this explicit (no change to the share)`,
    );
    expect(ownerNotice(ownedByA, undefined, OWNER_A)).toBeUndefined();
    expect(ownerNotice(ownedByA, OWNER_A, CONFIGURED)).toBeUndefined();
    expect(ownerNotice({ ...ownedByA, userId: OWNER_A }, undefined, CONFIGURED)).toBeUndefined();
    expect(ownerNotice(olds, undefined, CONFIGURED)).toBeUndefined();
  });
});
