import fc from "fast-check";
import { updateShareRule } from "koodrive-emulator";
import { checkShareSettingsInputs } from "../../src/resources/shareSettings/checkInputs";

const checkShareInputs = (news: Record<string, unknown>) => checkShareSettingsInputs(news, "carrier");

// The emulator (its own package, sharing no code with the client) and the resource's check were written separately
// from the same API reference; they must agree on every modify-share body.
describe("the emulator and the resource agree on the modify-share rules", () => {
  it("accepts exactly the modify-share bodies the resource's check accepts, emoji comments counted alike (differential property)", () => {
    const code = fc.string({ unit: fc.constantFrom(..."aZ09!-_ é".split("")), minLength: 6, maxLength: 10 });
    fc.assert(
      fc.property(
        fc.record({
          validDays: fc.oneof(fc.integer({ min: -3, max: 370 }), fc.double({ min: 0, max: 10, noNaN: true })),
          extractCode: fc.option(code, { nil: undefined }),
          comment: fc.option(
            fc.oneof(fc.string({ minLength: 505, maxLength: 515 }), fc.string({ unit: fc.constantFrom("x", "é", "😀"), minLength: 250, maxLength: 515 })),
            { nil: undefined },
          ),
        }),
        (body) => {
          const clientOk = checkShareInputs({ shareId: "1", ...body }).failures.length === 0;
          const emulatorOk = updateShareRule(JSON.parse(JSON.stringify(body))) === undefined;
          expect({ body, emulatorOk }).toEqual({ body, emulatorOk: clientOk });
        },
      ),
      { numRuns: 500 },
    );
  });
});
