import { diffShareSettings, needsPut } from "../../src/resource/shareDiff";
import { UNKNOWN_VALUE } from "../../src/resource/unknownValue";

const olds = {
  shareId: "100", validDays: 30, extractCode: "MDg2K0vU", comment: "hello", onDelete: "retain",
  managedFields: ["extractCode", "comment"], expireTime: "2030-01-01T00:00:00.000Z",
};
const same = { shareId: "100", validDays: 30, extractCode: "MDg2K0vU", comment: "hello", onDelete: "retain" };

describe("diffShareSettings", () => {
  it.each([
    ["nothing changed", {}, { changes: false, replaces: [], changed: [] }, false],
    ["shareId changed → replace", { shareId: "200" }, { changes: true, replaces: ["shareId"] }, false],
    ["validDays changed → update", { validDays: 7 }, { changes: true, replaces: [], changed: ["validDays"] }, true],
    ["extractCode changed → update", { extractCode: "ZZZZ9999" }, { changes: true, changed: ["extractCode"] }, true],
    ["comment changed → update", { comment: "bye" }, { changes: true, changed: ["comment"] }, true],
    ["comment cleared with \"\" → update", { comment: "" }, { changes: true, changed: ["comment"] }, true],
    ["two fields changed → one update naming both", { comment: "bye", validDays: 1 }, { changes: true, changed: ["validDays", "comment"] }, true],
    ["onDelete changed → update without PUT", { onDelete: "restore" }, { changes: true, changed: ["onDelete"] }, false],
    ["comment removed from program → stop managing, no PUT", { comment: undefined }, { changes: true, changed: ["comment"] }, false],
    ["unknown validDays → update", { validDays: UNKNOWN_VALUE }, { changes: true, changed: ["validDays"] }, true],
    ["unknown shareId → replace", { shareId: UNKNOWN_VALUE }, { changes: true, replaces: ["shareId"] }, false],
  ])("%s", (_name, change, expected, put) => {
    const news = { ...same, ...change };
    expect(diffShareSettings(olds, news)).toMatchObject(expected);
    expect(needsPut(olds, news)).toBe(put);
  });

  it("starting to manage a field that already has the declared value is a state-only update", () => {
    const unmanaged = { ...olds, managedFields: ["extractCode"] };
    expect(diffShareSettings(unmanaged, same)).toMatchObject({ changes: true, changed: ["comment"] });
    expect(needsPut(unmanaged, same)).toBe(false);
  });

  it("an unmanaged field that drifted is not a change", () => {
    const unmanaged = { ...olds, comment: "changed by hand", managedFields: ["extractCode"] };
    expect(diffShareSettings(unmanaged, { ...same, comment: undefined })).toMatchObject({ changes: false });
  });

  it("the passage of time (expireTime moving) is not a change", () => {
    expect(diffShareSettings({ ...olds, expireTime: "2020-01-01T00:00:00.000Z", status: 2 }, same).changes).toBe(false);
  });
});
