import fc from "fast-check";
import { checkShareSettingsInputs } from "../../src/resources/shareSettings/checkInputs";
import { UNKNOWN_VALUE } from "../../src/resources/common/unknownValue";

const checkShareInputs = (news: Record<string, unknown>) => checkShareSettingsInputs(news, "carrier");

const valid = { shareId: "1689743054514187776", validDays: 30, extractCode: "MDg2K0vU", comment: "Q3 report" };

describe("checkShareSettingsInputs", () => {
  it("returns one failure per bad property (shareId, validDays, extractCode, comment)", () => {
    const { failures } = checkShareInputs({ shareId: "", validDays: 400, extractCode: "abc", comment: "x".repeat(600) });
    expect(failures.map((f) => f.property).sort()).toEqual(["comment", "extractCode", "shareId", "validDays"]);
    expect(failures.find((f) => f.property === "validDays")!.reason).toMatch(/integer from 0 to 365/);
    expect(failures.find((f) => f.property === "extractCode")!.reason).toMatch(/exactly 8 characters from \[0-9a-zA-Z\]/);
    expect(failures.find((f) => f.property === "comment")!.reason).toMatch(/shorter than 512/);
    expect(failures.find((f) => f.property === "shareId")!.reason).toMatch(/shareId/);
  });

  it.each([
    [{ validDays: 1 }, "shareId", /^shareId is required$/],
    [{ shareId: 7, validDays: 1 }, "shareId", /^shareId must be a string, got a number$/],
    [{ shareId: "a/b", validDays: 1 }, "shareId", /\[A-Za-z0-9_-\]/],
    [{ shareId: "1" }, "validDays", /must be an integer from 0 to 365.*, got nothing$/],
    [{ shareId: "1", validDays: 1.5 }, "validDays", /must be an integer from 0 to 365.*, got a fractional number$/],
    [{ shareId: "1", validDays: -1 }, "validDays", /integer from 0 to 365.*got a smaller number$/],
    [{ shareId: "1", validDays: 2 ** 53 }, "validDays", /integer from 0 to 365.*got a larger number$/],
    [{ shareId: "1", validDays: 1e21 }, "validDays", /integer from 0 to 365.*got a larger number$/],
    [{ shareId: "1", validDays: -1e21 }, "validDays", /integer from 0 to 365.*got a smaller number$/],
    [{ shareId: "1", validDays: 3, renewBeforeDays: 1e21 }, "renewBeforeDays", /integer from 0 to 365, got a larger number$/],
    [{ shareId: "1", validDays: NaN }, "validDays", /integer from 0 to 365.*got NaN$/],
    [{ shareId: "1", validDays: Infinity }, "validDays", /integer from 0 to 365.*got an infinite number$/],
    [{ shareId: "1", comment: "x", validDays: 1, renewBeforeDays: 1 }, "renewBeforeDays", /less than validDays \(1\)/],
    [{ shareId: "1", validDays: 0, renewBeforeDays: 0 }, "renewBeforeDays", /needs a validity period/],
    [{ shareId: "1", validDays: 3, renewBeforeDays: 1.5 }, "renewBeforeDays", /integer from 0 to 365, got a fractional number$/],
    [{ shareId: "1", validDays: 3, userId: "a b" }, "userId", /userId must be 1 to 64/],
    [{ shareId: "1", validDays: 1, comment: "😀".repeat(256) }, "comment", /UTF-16/],
    [{ shareId: "1", validDays: "7" }, "validDays", /must be an integer from 0 to 365.*, got a string$/],
    [{ shareId: "1", validDays: 1, extractCode: "MDg2K0v!" }, "extractCode", /\[0-9a-zA-Z\]/],
    [{ shareId: "1", validDays: 1, extractCode: "abcd_123" }, "extractCode", /\[0-9a-zA-Z\]/],
    [{ shareId: "1", validDays: 1, extractCode: "abcd-123" }, "extractCode", /\[0-9a-zA-Z\]/],
    [{ shareId: "1", validDays: 1, extractCode: "abcd 123" }, "extractCode", /\[0-9a-zA-Z\]/],
    [{ shareId: "1", validDays: 3, renewBeforeDays: -1 }, "renewBeforeDays", /integer from 0 to 365/],
    [{ shareId: "1", validDays: 1, extractCode: "MDg2K0vUx" }, "extractCode", /exactly 8/],
    [{ shareId: "1", validDays: 1, extractCode: 12345678 }, "extractCode", /string/],
    [{ shareId: "1", validDays: 1, comment: "x".repeat(512) }, "comment", /512/],
    [{ shareId: "1", validDays: 1, onDelete: "keep" }, "onDelete", /"retain" or "restore"/],
  ])("%j fails on %s", (news, property, reason) => {
    const { failures } = checkShareInputs(news);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.property).toBe(property);
    expect(failures[0]!.reason).toMatch(reason);
  });

  it("never echoes a rejected value: a number may be a secret, since check sees secrets unwrapped", () => {
    const { failures } = checkShareInputs({ shareId: "1", validDays: 98765, extractCode: 98765432, comment: 55554444 });
    expect(failures.map((f) => f.property).sort()).toEqual(["comment", "extractCode", "validDays"]);
    for (const failure of failures) expect(failure.reason).not.toMatch(/9876|5555/);
    expect(failures.find((f) => f.property === "extractCode")!.reason).toMatch(/got a number$/);
    expect(checkShareInputs({ shareId: "1", validDays: 1, comment: {} }).failures[0]!.reason).toMatch(/got an object$/);
  });

  it("accepts the boundaries and defaults onDelete to retain", () => {
    for (const validDays of [0, 365]) {
      const { inputs, failures } = checkShareInputs({ ...valid, validDays, comment: "x".repeat(511) });
      expect(failures).toEqual([]);
      expect(inputs).toEqual({ ...valid, validDays, comment: "x".repeat(511), onDelete: "retain" });
    }
    expect(checkShareInputs({ shareId: "1", validDays: 1, comment: "" }).inputs).toEqual({ shareId: "1", validDays: 1, comment: "", onDelete: "retain" });
    expect(checkShareInputs({ shareId: "1", validDays: 1, comment: `${"😀".repeat(255)}x` }).failures).toEqual([]);
  });

  it('forbids validDays 0 on the enterprise edition, where the API reads 0 as "keep the current expiry"', () => {
    expect(checkShareSettingsInputs({ shareId: "1", validDays: 0 }, "enterprise").failures).toEqual([
      { property: "validDays", reason: expect.stringMatching(/enterprise edition.*keep the current expiry.*1 to 365/) },
    ]);
    expect(checkShareSettingsInputs({ shareId: "1", validDays: 0 }, "carrier").failures).toEqual([]);
  });

  it("lets Pulumi's unknown value through for every property", () => {
    const news = { shareId: UNKNOWN_VALUE, validDays: UNKNOWN_VALUE, extractCode: UNKNOWN_VALUE, comment: UNKNOWN_VALUE, onDelete: UNKNOWN_VALUE };
    const { inputs, failures } = checkShareInputs(news);
    expect(failures).toEqual([]);
    expect(inputs).toEqual(news);
  });

  it("never echoes a rejected access code in a failure reason", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 20 }).filter((s) => !/^[0-9a-zA-Z]{8}$/.test(s)),
        (code) => {
          const { failures } = checkShareInputs({ shareId: "1", validDays: 1, extractCode: code });
          expect(failures).toHaveLength(1);
          expect(failures[0]!.reason).not.toContain(code);
        },
      ),
    );
  });

  it("accepts every 8-character alphanumeric code", () => {
    const alnum = fc.constantFrom(..."0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split(""));
    fc.assert(
      fc.property(fc.array(alnum, { minLength: 8, maxLength: 8 }), (chars) => {
        expect(checkShareInputs({ shareId: "1", validDays: 1, extractCode: chars.join("") }).failures).toEqual([]);
      }),
    );
  });
});
