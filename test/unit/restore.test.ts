import { holdsOriginals, restoreBody, restoreValidDays, settingsAsRestored } from "../../src/resources/common/originals";
import { appliedExpiry, keptNotice, restoreCaveat, restorePlan, validityRestartedWarning } from "../../src/resources/shareSettings/restore";
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
    expect(restoreCaveat({ expireTime: "2030-01-01T00:00:00.000Z" }, "carrier", now, { shareId: "1" })).toBe(
      "the original link was to expire at 2030-01-01T00:00:00.000Z, beyond the API's longest validity (365 days): it is restored to expire at about 2026-01-01T00:00:00.000Z",
    );
    expect(restoreCaveat({ expireTime: "2025-12-31T00:00:00.000Z" }, "carrier", now, { shareId: "1" })).toBeUndefined();
  });

  it("tells which settings of a share hold what a restore writes, and never one the restore leaves alone", () => {
    const original = { extractCode: "AAAA1111", comment: "orig", expireTime: "2025-01-08T00:00:00.000Z" };
    const restored = { shareId: "1", extractCode: "AAAA1111", comment: "orig", expireTime: "2025-01-08T00:00:00.000Z" };
    const fields = ["extractCode", "comment"] as const;
    expect(settingsAsRestored(original, restored, now, "carrier", fields)).toEqual(["extractCode", "comment", "expireTime"]);
    expect(holdsOriginals(original, restored, now, "carrier", fields)).toBe(true);
    // Someone else's access code and expiry: only the comment is the restore's.
    const theirs = { ...restored, extractCode: "BBBB2222", expireTime: "2025-03-01T00:00:00.000Z" };
    expect(settingsAsRestored(original, theirs, now, "carrier", fields)).toEqual(["comment"]);
    expect(holdsOriginals(original, theirs, now, "carrier", fields)).toBe(false);
    // A restore run up to a day earlier asked for up to a day less: still its expiry.
    expect(settingsAsRestored(original, { ...restored, expireTime: "2025-01-07T00:00:00.000Z" }, now, "carrier", fields)).toContain("expireTime");
    // No original access code: the restore writes none, so none is listed, whatever the share holds; the rest decides.
    const withoutCode = { comment: "orig", expireTime: original.expireTime };
    expect(settingsAsRestored(withoutCode, { ...restored, extractCode: undefined }, now, "carrier", fields)).toEqual(["comment", "expireTime"]);
    expect(holdsOriginals(withoutCode, theirs, now, "carrier", fields)).toBe(false);
    expect(holdsOriginals(withoutCode, { ...restored, extractCode: "BBBB2222" }, now, "carrier", fields)).toBe(true);
    // An original expiry that has passed was restored as one day, whenever from the day before it the restore ran: a
    // destroy run again days after one killed after its restore finds it restored, not edited.
    const expired = { ...original, expireTime: "2024-12-20T00:00:00.000Z" };
    for (const restoredOn of ["2024-12-19T12:00:00.000Z", "2024-12-25T00:00:00.000Z", "2024-12-31T23:00:00.000Z"]) {
      const restoredExpiry = new Date(Date.parse(restoredOn) + 86_400_000).toISOString();
      expect(holdsOriginals(expired, { ...restored, expireTime: restoredExpiry }, now, "carrier", fields)).toBe(true);
    }
    // But not an expiry before the original one, nor one further out than a day from now.
    expect(holdsOriginals(expired, { ...restored, expireTime: "2024-12-18T00:00:00.000Z" }, now, "carrier", fields)).toBe(false);
    expect(holdsOriginals(expired, { ...restored, expireTime: "2025-01-04T00:00:00.000Z" }, now, "carrier", fields)).toBe(false);
    // A setting not managed is not written, so never the restore's.
    expect(settingsAsRestored(original, restored, now, "carrier", ["comment"])).toEqual(["comment", "expireTime"]);
  });

  it("puts back the original access code and comment", () => {
    expect(restoreBody({ extractCode: "AAAA1111", comment: "orig", expireTime: "2025-01-08T00:00:00.000Z" }, now, ["extractCode", "comment"])).toEqual({
      validDays: 7,
      extractCode: "AAAA1111",
      comment: "orig",
    });
  });

  it("clears the comment when the original had none, and cannot remove an access code", () => {
    expect(restoreBody({}, now, ["extractCode", "comment"])).toEqual({ validDays: 0, comment: "" });
  });
});

describe("restorePlan", () => {
  const applied = "2025-01-06T00:00:00.000Z";
  /** State from before the applied expiry was kept. */
  const earlierState = upgradeShareSettingsState({
    stateVersion: 2,
    shareId: "1",
    validDays: 5,
    onDelete: "restore",
    comment: "mine",
    managedFields: ["comment"],
    expireTime: applied,
    updateTime: "2025-01-01T00:00:00.000Z",
  });
  const state = { ...earlierState, appliedExpireTime: applied };
  const originals = { comment: "orig", extractCode: "ORIGcode", expireTime: "2025-01-08T00:00:00.000Z" };
  // The access code is not managed, and holds its original.
  const live = { shareId: "1", comment: "mine", expireTime: applied, updateTime: "2025-01-01T00:00:00.000Z", extractCode: "ORIGcode" };
  const restoreAll = { kind: "restore", kept: [] };

  it("restores when the share holds what the resource wrote", () => {
    expect(restorePlan(state, live, originals)).toEqual(restoreAll);
    expect(restorePlan(earlierState, live, originals)).toEqual(restoreAll);
  });

  it("reads the expiry as a time: another page's form of the same instant is the same", () => {
    expect(restorePlan(state, { ...live, expireTime: "2025-01-06 00:00:00" }, originals)).toEqual(restoreAll);
    expect(restorePlan(state, { ...live, expireTime: "20250106T000000Z" }, originals)).toEqual(restoreAll);
    expect(restorePlan(state, { ...live, expireTime: "2025-01-06T00:00:01.005Z" }, originals)).toEqual({ kind: "refuse", changed: ["expireTime"] });
  });

  it.each([
    ["a managed setting", { comment: "theirs" }, ["comment"]],
    ["the expiry (another PUT restarted it)", { expireTime: "2025-01-07T00:00:00.000Z" }, ["expireTime"]],
    ["both", { comment: "theirs", expireTime: "2025-01-07T00:00:00.000Z" }, ["comment", "expireTime"]],
  ])("refuses naming %s when someone else wrote it since", (_name, change, changed) => {
    expect(restorePlan(state, { ...live, ...change }, originals)).toEqual({ kind: "refuse", changed });
  });

  it("refuses what a refresh saw since: a managed setting changed, or a validity restarted (copied into expireTime)", () => {
    expect(restorePlan({ ...state, writtenSinceApplied: true }, live, originals)).toEqual({
      kind: "refuse",
      changed: ["a managed setting found changed by a refresh"],
    });
    const otherStack = { ...live, expireTime: "2025-01-07T00:00:00.000Z", updateTime: "2025-01-02T00:00:00.000Z" };
    expect(restorePlan({ ...state, expireTime: otherStack.expireTime }, otherStack, originals)).toEqual({ kind: "refuse", changed: ["expireTime"] });
  });

  it("refuses over a managed access code someone else changed while the expiry stayed (a console edit, an enterprise PUT with validDays 0)", () => {
    const managingCode = { ...state, managedFields: ["comment", "extractCode"] as typeof state.managedFields, extractCode: "MINEcode" };
    expect(restorePlan(managingCode, { ...live, extractCode: "MINEcode" }, originals)).toEqual(restoreAll);
    expect(restorePlan(managingCode, { ...live, extractCode: "THEIRcod" }, originals)).toEqual({ kind: "refuse", changed: ["extractCode"] });
  });

  it("never puts back a setting it does not manage: one that differs from its original is kept, whoever wrote it", () => {
    expect(restorePlan(state, { ...live, extractCode: "ANYcode1" }, originals)).toEqual({ kind: "restore", kept: ["extractCode"] });
    // Written since (KooDrive's updateTime moved) in that setting only: the same.
    const ownerEdit = { ...live, extractCode: "ANYcode1", updateTime: "2025-01-02T00:00:00.000Z" };
    expect(restorePlan(state, ownerEdit, originals)).toEqual({ kind: "restore", kept: ["extractCode"] });
    // An original without an access code: a restore could not set one back anyway.
    expect(restorePlan(state, ownerEdit, { comment: "orig" })).toEqual({ kind: "restore", kept: [] });
    // Nothing managed but the validity: both settings are the writer's.
    expect(restorePlan({ ...state, managedFields: [] }, { ...ownerEdit, comment: "the owner's" }, originals)).toEqual({
      kind: "restore",
      kept: ["extractCode", "comment"],
    });
  });

  it("state from before the applied expiry was kept: a write seen only in updateTime refuses (a refresh may have copied another writer's expiry)", () => {
    const writtenSince = { ...live, updateTime: "2025-01-02T00:00:00.000Z" };
    expect(restorePlan(earlierState, writtenSince, originals)).toEqual({ kind: "refuse", changed: ["updateTime"] });
    expect(restorePlan(earlierState, { ...writtenSince, updateTime: "2025-01-01 00:00:00" }, originals)).toEqual(restoreAll); // the same instant
    const { updateTime: _, ...unknown } = live;
    expect(restorePlan(earlierState, unknown, originals)).toEqual(restoreAll);
    // With the applied expiry kept, updateTime is not needed: the write changed nothing this resource manages.
    expect(restorePlan(state, writtenSince, originals)).toEqual(restoreAll);
  });

  it("the applied expiry: kept from the write; for earlier state proven by updateTime at a refresh, else unknown", () => {
    expect(appliedExpiry(state, { ...live, expireTime: "2025-02-01T00:00:00.000Z" }, 3)).toBe(applied);
    expect(appliedExpiry({ ...state, appliedExpireTime: "" }, live, 3)).toBe(""); // none, and known
    expect(appliedExpiry(earlierState, { ...live, expireTime: "2025-01-06 00:00:00" }, 2)).toBe("2025-01-06 00:00:00");
    expect(appliedExpiry(earlierState, { ...live, expireTime: undefined }, 2)).toBe(""); // proven: no expiry
    expect(appliedExpiry(earlierState, { ...live, updateTime: "2025-01-02T00:00:00.000Z" }, 2)).toBeUndefined();
    const { updateTime: _, ...listed } = live; // list items carry no updateTime
    expect(appliedExpiry(earlierState, listed, 2)).toBeUndefined();
    // 0.1.0's refresh copied KooDrive's updateTime into state: it proves nothing there.
    expect(appliedExpiry(earlierState, live, undefined)).toBeUndefined();
  });

  it("a refresh warns when the validity was restarted by a write that is not this resource's", () => {
    expect(validityRestartedWarning(state, live)).toBeUndefined();
    expect(validityRestartedWarning(earlierState, { ...live, expireTime: "2025-01-07T00:00:00.000Z" })).toBeUndefined();
    expect(validityRestartedWarning(state, { ...live, expireTime: "2025-01-07T00:00:00.000Z" })).toBe(
      "warning: the share's validity was restarted by a write that is not this resource's (it expires at 2025-01-07T00:00:00.000Z, not at 2025-01-06T00:00:00.000Z): destroy will not restore its original settings over it. If that write was this resource's own (an update that landed in a run that was killed or failed), change its validDays once so that `pulumi up` writes the share again.",
    );
    // A link without a validity, recorded as such: another writer giving it one is told too.
    const neverExpires = { ...state, appliedExpireTime: "" };
    expect(validityRestartedWarning(neverExpires, { ...live, expireTime: undefined })).toBeUndefined();
    expect(validityRestartedWarning(neverExpires, live)).toMatch(/\(it expires at 2025-01-06T00:00:00.000Z, not never\)/);
    // Times in the form the outputs show, whatever form the page wrote them in.
    expect(validityRestartedWarning(state, { ...live, expireTime: "2025-01-07 00:00:00" })).toMatch(
      /\(it expires at 2025-01-07T00:00:00Z, not at 2025-01-06T00:00:00.000Z\)/,
    );
  });

  it("the restore body leaves out what it does not manage, and the notice never shows an access code", () => {
    expect(restoreBody(originals, now, ["comment"])).toEqual({ validDays: 7, comment: "orig" });
    expect(restoreBody(originals, now, [])).toEqual({ validDays: 7 });
    expect(keptNotice(["comment"], originals, ["extractCode"])).toBe(
      'restored the original access code and the validity, and kept the comment (its original was "orig") as the share holds it: this resource does not manage that setting',
    );
    expect(keptNotice(["comment"], originals, undefined)).toBe(
      'kept the comment (its original was "orig") as the share holds it: this resource does not manage that setting',
    );
    expect(keptNotice(["comment"], originals, [])).toMatch(/^restored the validity, and kept the comment/); // it manages neither
    const both = keptNotice(["extractCode", "comment"], originals, []);
    expect(both).toMatch(
      /^warning: restored the validity, and kept the access code, which is not its original \(a secret, not shown: `pulumi stack history` .*\) and the comment .* as the share holds them: this resource does not manage those settings$/,
    );
    expect(both).not.toContain("ORIGcode");
  });
});
