import { parseKooDriveTime } from "../../src/time/koodriveTime";

const ms = Date.parse("2026-12-06T09:18:02.000Z");

describe("parseKooDriveTime", () => {
  it.each([
    ["2026-12-06T09:18:02.000Z", ms],
    ["2026-12-06T09:18:02Z", ms],
    ["2026-12-06T17:18:02+08:00", ms],
    ["20261206T091802Z", ms],
    ["2026-12-06 09:18:02", ms],
    [String(ms), ms],
    [ms, ms],
  ])("reads %j", (value, expected) => {
    expect(parseKooDriveTime(value)).toEqual({ kind: "time", ms: expected });
  });

  it.each([undefined, null, ""])("reads %j as no time", (value) => {
    expect(parseKooDriveTime(value)).toEqual({ kind: "none" });
  });

  it.each(["tomorrow", "2026-12-06", "2026-02-30 00:00:00", "20261306T091802Z", "12345", "2026-12-06T25:00:00Z", -5, {}])("calls %j unreadable", (value) => {
    expect(parseKooDriveTime(value).kind).toBe("unreadable");
  });
});
