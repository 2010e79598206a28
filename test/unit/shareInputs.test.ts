import fc from "fast-check";
import { checkShareInputs } from "../../src/resource/shareInputs";
import { UNKNOWN_VALUE } from "../../src/resource/unknownValue";

const valid = { shareId: "1689743054514187776", validDays: 30, extractCode: "MDg2K0vU", comment: "Q3 report" };

describe("checkShareInputs", () => {
  it("returns one failure per bad property (shareId, validDays, extractCode, comment)", () => {
    const { failures } = checkShareInputs({ shareId: "", validDays: 400, extractCode: "abc", comment: "x".repeat(600) });
    expect(failures.map((f) => f.property).sort()).toEqual(["comment", "extractCode", "shareId", "validDays"]);
    expect(failures.find((f) => f.property === "validDays")!.reason).toMatch(/between 0 and 365/);
    expect(failures.find((f) => f.property === "extractCode")!.reason).toMatch(/exactly 8 characters from \[0-9a-zA-Z\]/);
    expect(failures.find((f) => f.property === "comment")!.reason).toMatch(/shorter than 512/);
    expect(failures.find((f) => f.property === "shareId")!.reason).toMatch(/shareId/);
  });

  it.each([
    [{ validDays: 1 }, "shareId", /required/],
    [{ shareId: "a/b", validDays: 1 }, "shareId", /\[A-Za-z0-9_-\]/],
    [{ shareId: "1" }, "validDays", /required/],
    [{ shareId: "1", validDays: 1.5 }, "validDays", /whole number/],
    [{ shareId: "1", validDays: -1 }, "validDays", /between 0 and 365/],
    [{ shareId: "1", validDays: "7" }, "validDays", /must be a number/],
    [{ shareId: "1", validDays: 1, extractCode: "MDg2K0v!" }, "extractCode", /\[0-9a-zA-Z\]/],
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

  it("accepts the boundaries and defaults onDelete to retain", () => {
    for (const validDays of [0, 365]) {
      const { inputs, failures } = checkShareInputs({ ...valid, validDays, comment: "x".repeat(511) });
      expect(failures).toEqual([]);
      expect(inputs).toEqual({ ...valid, validDays, comment: "x".repeat(511), onDelete: "retain" });
    }
    expect(checkShareInputs({ shareId: "1", validDays: 1, comment: "" }).inputs).toEqual({ shareId: "1", validDays: 1, comment: "", onDelete: "retain" });
  });

  it("lets Pulumi's unknown value through for every property", () => {
    const news = { shareId: UNKNOWN_VALUE, validDays: UNKNOWN_VALUE, extractCode: UNKNOWN_VALUE, comment: UNKNOWN_VALUE, onDelete: UNKNOWN_VALUE };
    const { inputs, failures } = checkShareInputs(news);
    expect(failures).toEqual([]);
    expect(inputs).toEqual(news);
  });

  it("never echoes a rejected access code in a failure reason", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 20 }).filter((s) => !/^[0-9a-zA-Z]{8}$/.test(s)), (code) => {
        const { failures } = checkShareInputs({ shareId: "1", validDays: 1, extractCode: code });
        expect(failures).toHaveLength(1);
        expect(failures[0]!.reason).not.toContain(code);
      }),
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
