import {
  CLOCK_TOLERANCE_MS,
  DAY_MS,
  EXPIRY_ROUNDING_MS,
  expiryFitsNoValidityWrite,
  expiryFitsWrite,
  kooDriveTimeOutput,
  latestExpiryOfWrite,
  parseKooDriveTime,
  sameKooDriveInstant,
  validDaysUntil,
} from "../../src/time/koodriveTime";
import fc from "fast-check";

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

describe("the expiry a write of validDays gives (one rule for lost creates, lost PUTs and validities extended by hand)", () => {
  const sent = ms;
  it.each([
    ["exactly validDays after the write", sent + 30 * DAY_MS, true],
    ["rounded up by KooDrive, to the end of that day at most", sent + 30 * DAY_MS + EXPIRY_ROUNDING_MS, true],
    ["within the clock tolerance before it (KooDrive's clock lags)", sent + 30 * DAY_MS - CLOCK_TOLERANCE_MS, true],
    ["earlier than that", sent + 30 * DAY_MS - CLOCK_TOLERANCE_MS - 1, false],
    ["later than any rounding and clock", latestExpiryOfWrite(30, sent) + 1, false],
    ["a write of one day more", sent + 31 * DAY_MS + EXPIRY_ROUNDING_MS + CLOCK_TOLERANCE_MS + 1, false],
  ])("%s: %s", (_name, expiry, fits) => {
    expect(expiryFitsWrite(expiry, 30, sent, sent, EXPIRY_ROUNDING_MS)).toBe(fits);
  });

  it("a write sent at an unknown moment between two times fits any expiry that a write at either end gives", () => {
    expect(expiryFitsWrite(sent + 60_000 + 30 * DAY_MS, 30, sent, sent + 60_000, 0)).toBe(true);
    expect(expiryFitsWrite(sent + 30 * DAY_MS, 30, sent, sent + 60_000, 0)).toBe(true);
    expect(expiryFitsWrite(sent + 30 * DAY_MS, 30, sent + 2 * CLOCK_TOLERANCE_MS, sent + 3 * CLOCK_TOLERANCE_MS, 0)).toBe(false);
  });

  it("validDays 0 sets no expiry on the carrier edition and keeps any on the enterprise edition", () => {
    expect(expiryFitsNoValidityWrite({ kind: "none" }, "carrier")).toBe(true);
    expect(expiryFitsNoValidityWrite({ kind: "time", ms }, "carrier")).toBe(false);
    expect(expiryFitsNoValidityWrite({ kind: "time", ms }, "enterprise")).toBe(true);
  });

  it.each([
    ["whole days left, rounded up", ms + 2.5 * DAY_MS, 3],
    ["an expiry already past: the shortest period", ms - DAY_MS, 1],
    ["further than the API's longest period: 365", ms + 400 * DAY_MS, 365],
  ])("the validDays that brings an expiry back: %s", (_name, expiry, days) => {
    expect(validDaysUntil(expiry, ms)).toBe(days);
  });
});

describe("sameKooDriveInstant", () => {
  it.each([
    ["the same instant in two forms with milliseconds", "2026-12-06T09:18:02.123Z", String(ms + 123), true],
    ["milliseconds apart, both carrying them", "2026-12-06T09:18:02.123Z", "2026-12-06T09:18:02.124Z", false],
    ["a form without milliseconds against one with: within a second (truncated)", "2026-12-06 09:18:02", "2026-12-06T09:18:02.952Z", true],
    ["a form without milliseconds against one with: within a second (rounded)", "2026-12-06 09:18:03", "2026-12-06T09:18:02.952Z", true],
    ["a page that stores whole seconds (.000) against the write's answer", "2026-12-06T09:18:02.000Z", "2026-12-06T09:18:02.657Z", true],
    ["a second or more apart", "2026-12-06 09:18:04", "2026-12-06T09:18:02.952Z", false],
    ["whole seconds a second apart", "2026-12-06T09:18:03.000Z", "2026-12-06 09:18:02", false],
    ["both absent (null and empty)", null, "", true],
    ["absent against a time", undefined, "2026-12-06T09:18:02Z", false],
    ["the same unreadable text", "soon", "soon", true],
    ["two unreadable texts", "soon", "later", false],
  ])("%s", (_name, a, b, same) => {
    expect(sameKooDriveInstant(a, b)).toBe(same);
  });
});

describe("kooDriveTimeOutput: the form outputs show, ISO-8601 in UTC", () => {
  it.each([
    ["2026-12-06T09:18:02.123Z", "2026-12-06T09:18:02.123Z"],
    ["2026-12-06T17:18:02.123+08:00", "2026-12-06T09:18:02.123Z"],
    ["2026-12-06T17:18:02+0800", "2026-12-06T09:18:02Z"],
    ["20261206T091802Z", "2026-12-06T09:18:02Z"],
    ["2026-12-06 09:18:02", "2026-12-06T09:18:02Z"],
    [String(ms + 123), "2026-12-06T09:18:02.123Z"],
    ["soon", "soon"],
    ["", undefined],
    [undefined, undefined],
  ])("%j shows as %j", (value, shown) => {
    expect(kooDriveTimeOutput(value)).toBe(shown);
  });

  it("is the same instant as the wire form, by the same rule the resources compare times with, and a fixed point", () => {
    const wireForms = fc.integer({ min: Date.parse("2001-09-09T01:46:40Z"), max: Date.parse("2099-12-31T23:59:59Z") }).chain((t) => {
      const iso = new Date(t).toISOString();
      const seconds = iso.slice(0, 19);
      return fc.constantFrom(iso, `${seconds}Z`, seconds.replace("T", " "), `${seconds.replace(/[-:]/g, "")}Z`, String(t));
    });
    fc.assert(
      fc.property(wireForms, wireForms, (a, b) => {
        const shown = kooDriveTimeOutput(a)!;
        expect(shown).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
        expect(kooDriveTimeOutput(shown)).toBe(shown);
        expect(sameKooDriveInstant(shown, b)).toBe(sameKooDriveInstant(a, b));
      }),
    );
  });
});
