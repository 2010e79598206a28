import { restoreBody, restoreValidDays } from "../../src/resource/restore";

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
    ["not a date", 0],
  ])("original expiry %j restores as validDays %d", (expireTime, days) => {
    expect(restoreValidDays(expireTime, now)).toBe(days);
  });

  it("puts back the original access code and comment", () => {
    expect(restoreBody({ extractCode: "AAAA1111", comment: "orig", expireTime: "2025-01-08T00:00:00.000Z" }, now)).toEqual({ validDays: 7, extractCode: "AAAA1111", comment: "orig" });
  });

  it("clears the comment when the original had none, and cannot remove an access code", () => {
    expect(restoreBody({}, now)).toEqual({ validDays: 0, comment: "" });
  });
});
