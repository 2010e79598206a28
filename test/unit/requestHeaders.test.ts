import fc from "fast-check";
import { TRACE_ID_LENGTH, bearerAuthorization, formatXDate, identityHeaders, newTraceId } from "../../src/client/requestHeaders";

describe("request headers", () => {
  it.each([
    ["2025-05-29T02:00:39.952Z", "20250529T020039Z"],
    ["2024-12-31T23:59:59.999Z", "20241231T235959Z"],
    ["2000-01-01T00:00:00.000Z", "20000101T000000Z"],
  ])("X-Date of %s is %s", (iso, expected) => {
    expect(formatXDate(new Date(iso))).toBe(expected);
  });

  it("X-Date is never later than the moment it was built (truncated, not rounded)", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }), (d) => {
        const x = formatXDate(d);
        expect(x).toMatch(/^\d{8}T\d{6}Z$/);
        const parsed = Date.UTC(+x.slice(0, 4), +x.slice(4, 6) - 1, +x.slice(6, 8), +x.slice(9, 11), +x.slice(11, 13), +x.slice(13, 15));
        expect(parsed).toBeLessThanOrEqual(d.getTime());
        expect(d.getTime() - parsed).toBeLessThan(1000);
      }),
    );
  });

  it("X-Date of a run of times, some in one second and some back across a second, is each time's own second", () => {
    const secondOf = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/[-:]|\.000/g, "");
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1_700_000_000_000, max: 1_700_000_003_000 }), { minLength: 2, maxLength: 20 }), (times) => {
        for (const ms of times) expect(formatXDate(new Date(ms))).toBe(secondOf(ms));
      }),
    );
  });

  it("identity headers carry X-Hw-Agentname only when there is a carrier name (enterprise edition has none)", () => {
    expect(identityHeaders("1", undefined, newTraceId(), new Date(0))).not.toHaveProperty("X-Hw-Agentname");
    expect(identityHeaders("1", "carrier-x", newTraceId(), new Date(0))["X-Hw-Agentname"]).toBe("carrier-x");
  });

  it("identity headers are rebuilt from the given clock each time", () => {
    const a = identityHeaders("1", "agent", newTraceId(), new Date("2025-01-01T00:00:00Z"));
    const b = identityHeaders("1", "agent", newTraceId(), new Date("2025-01-01T00:00:05Z"));
    expect(a["X-Date"]).toBe("20250101T000000Z");
    expect(b["X-Date"]).toBe("20250101T000005Z");
    expect(a["X-Traceid"]).not.toBe(b["X-Traceid"]);
    expect(a).toMatchObject({ "X-User-Id": "1", "X-Hw-Agentname": "agent" });
  });

  it("trace ids are 58 lower-case hex characters and unique, across refills of the entropy pool", () => {
    const ids = new Set(Array.from({ length: 500 }, newTraceId));
    expect(ids.size).toBe(500);
    for (const id of ids) expect(id).toMatch(new RegExp(`^[0-9a-f]{${TRACE_ID_LENGTH}}$`));
  });

  it.each([
    ["abc123", "Bearer abc123"],
    ["Bearer+abc123", "Bearer+abc123"],
    ["Bearer abc123", "Bearer abc123"],
    ["  abc123 ", "Bearer abc123"],
    ["bearer+abc", "bearer+abc"],
  ])("token %j gives Authorization %j (never a double prefix)", (token, expected) => {
    expect(bearerAuthorization(token)).toBe(expected);
  });
});
