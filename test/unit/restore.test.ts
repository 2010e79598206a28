import { restoreBody, restoreValidDays } from "../../src/resources/common/originals";
import { keptNotice, restoreCaveat, restorePlan } from "../../src/resources/shareSettings/restore";
import { upgradeShareSettingsState } from "../../src/resources/shareSettings/state";

const now = new Date("2025-01-01T00:00:00.000Z");

describe("restore", () => {
  it.each([
    [undefined, 0],
    ["", 0],
    ["2025-01-01T12:00:00.000Z", 1],
    ["2025-01-02T00:00:00.000Z", 1],
    ["2025-01-02T00:00:00.001Z", 2],
    ["2025-01-31T00:00:00.000Z", 30],
    ["2024-12-01T00:00:00.000Z", 1],
    ["2030-01-01T00:00:00.000Z", 365],
    ["20250108T000000Z", 7],
    ["2025-01-08 00:00:00", 7],
    [String(Date.parse("2025-01-08T00:00:00.000Z")), 7],
  ])("original expiry %j restores as validDays %d", (expireTime, days) => {
    expect(restoreValidDays(expireTime, now)).toBe(days);
  });

  it.each(["not a date", "2025-13-45 10:00:00", "2025-02-30T00:00:00Z", "1e10"])(
    'an original expiry in no documented form (%j) fails: it never becomes "never expires"',
    (expireTime) => {
      expect(() => restoreValidDays(expireTime, now)).toThrow(/no form KooDrive documents.*widen access/);
    },
  );

  it("says when a restore cannot be exact: an original expiry more than 365 days out comes back as 365 days", () => {
    expect(restoreCaveat({ expireTime: "2030-01-01T00:00:00.000Z" }, "carrier", now)).toBe(
      "the original link was to expire at 2030-01-01T00:00:00.000Z, beyond the API's longest validity (365 days): it is restored to expire at about 2026-01-01T00:00:00.000Z",
    );
    expect(restoreCaveat({ expireTime: "2025-12-31T00:00:00.000Z" }, "carrier", now)).toBeUndefined();
  });

  it("puts back the original access code and comment", () => {
    expect(restoreBody({ extractCode: "AAAA1111", comment: "orig", expireTime: "2025-01-08T00:00:00.000Z" }, now)).toEqual({
      validDays: 7,
      extractCode: "AAAA1111",
      comment: "orig",
    });
  });

  it("clears the comment when the original had none, and cannot remove an access code", () => {
    expect(restoreBody({}, now)).toEqual({ validDays: 0, comment: "" });
  });
});

describe("restorePlan", () => {
  const state = upgradeShareSettingsState({
    stateVersion: 2,
    shareId: "1",
    validDays: 5,
    onDelete: "restore",
    comment: "mine",
    managedFields: ["comment"],
    expireTime: "2025-01-06T00:00:00.000Z",
    updateTime: "2025-01-01T00:00:00.000Z",
  });
  const live = { shareId: "1", comment: "mine", expireTime: "2025-01-06T00:00:00.000Z", updateTime: "2025-01-01T00:00:00.000Z", extractCode: "ANYcode1" };
  const originals = { comment: "orig", extractCode: "ORIGcode", expireTime: "2025-01-08T00:00:00.000Z" };
  const everything = { kind: "restore", fields: ["extractCode", "comment"], kept: [] };

  it("restores every original when the share holds what the resource wrote and nobody wrote since (unmanaged fields may differ)", () => {
    expect(restorePlan(state, live, originals)).toEqual(everything);
  });

  it("reads the expiry as a time: another page's form of the same instant is the same", () => {
    expect(restorePlan(state, { ...live, expireTime: "2025-01-06 00:00:00" }, originals)).toEqual(everything);
    expect(restorePlan(state, { ...live, expireTime: "20250106T000000Z" }, originals)).toEqual(everything);
    expect(restorePlan(state, { ...live, expireTime: "2025-01-06T00:00:00.005Z" }, originals)).toEqual({ kind: "refuse", what: "expireTime" });
  });

  it.each([
    ["a managed setting", { comment: "theirs" }, "comment"],
    ["the expiry (another PUT restarted it)", { expireTime: "2025-01-07T00:00:00.000Z" }, "expireTime"],
    ["both", { comment: "theirs", expireTime: "2025-01-07T00:00:00.000Z" }, "comment, expireTime"],
  ])("refuses naming %s when someone else wrote it since", (_name, change, what) => {
    expect(restorePlan(state, { ...live, ...change }, originals)).toEqual({ kind: "refuse", what });
  });

  it("after a write by someone else that changed nothing the resource manages, restores only what it manages and keeps the rest", () => {
    const writtenSince = { ...live, updateTime: "2025-01-02T00:00:00.000Z" };
    // The access code is not managed and differs from its original: the writer's, kept.
    expect(restorePlan(state, writtenSince, originals)).toEqual({ kind: "restore", fields: ["comment"], kept: ["extractCode"] });
    // A write that shows in no setting (another stack's of the same settings, whose expiry a refresh by an earlier
    // version copied into state) is not undone: unmanaged settings that hold their originals...
    expect(restorePlan(state, { ...writtenSince, extractCode: "ORIGcode" }, originals)).toEqual({ kind: "refuse", what: "updateTime" });
    // ...or an access code where the original had none, which no restore could take away anyway.
    expect(restorePlan(state, writtenSince, { comment: "orig" })).toEqual({ kind: "refuse", what: "updateTime" });
    // Nothing managed but the validity: the comment someone wrote is kept too.
    const validityOnly = { ...state, managedFields: [] };
    expect(restorePlan(validityOnly, { ...writtenSince, comment: "the owner's" }, originals)).toEqual({
      kind: "restore",
      fields: [],
      kept: ["extractCode", "comment"],
    });
  });

  it("an unknown updateTime (the list API shows none) counts as no write since", () => {
    const { updateTime: _, ...unknown } = live;
    expect(restorePlan(state, unknown, originals)).toEqual(everything);
  });

  it("the restore body then leaves the kept settings out, and the notice never shows an access code", () => {
    expect(restoreBody(originals, now, ["comment"])).toEqual({ validDays: 7, comment: "orig" });
    expect(restoreBody(originals, now, [])).toEqual({ validDays: 7 });
    const notice = keptNotice(["extractCode", "comment"], originals);
    expect(notice).toBe(
      'restored the original settings this resource manages, and the validity; kept the access code and the comment (its original was "orig") as the share holds them: someone wrote the share since this resource\'s last write, and this resource does not manage those settings',
    );
    expect(notice).not.toContain("ORIGcode");
  });
});
