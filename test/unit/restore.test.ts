import { restoreBody, restoreValidDays } from "../../src/resources/common/originals";
import { restoreCaveat, stillAsApplied } from "../../src/resources/shareSettings/restore";
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

describe("stillAsApplied", () => {
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

  it("is true when the share holds what the resource wrote (unmanaged fields may differ)", () => {
    expect(stillAsApplied(state, live)).toEqual({ same: true });
  });

  it("reads the expiry as a time: another page's form of the same instant is the same", () => {
    expect(stillAsApplied(state, { ...live, expireTime: "2025-01-06 00:00:00" })).toEqual({ same: true });
    expect(stillAsApplied(state, { ...live, expireTime: "20250106T000000Z" })).toEqual({ same: true });
    expect(stillAsApplied(state, { ...live, expireTime: "2025-01-06T00:00:00.005Z" })).toEqual({ same: false, what: "expireTime" });
  });

  it.each([
    ["a managed setting", { comment: "theirs" }, "comment"],
    ["the expiry (another PUT restarted it)", { expireTime: "2025-01-07T00:00:00.000Z" }, "expireTime"],
    ["updateTime (another write)", { updateTime: "2025-01-02T00:00:00.000Z" }, "updateTime"],
  ])("is false naming %s when someone else wrote since", (_name, change, what) => {
    expect(stillAsApplied(state, { ...live, ...change })).toEqual({ same: false, what });
  });
});
