import fc from "fast-check";
import { updateShareRule } from "koodrive-emulator";
import { checkShareInputs } from "../../src/resource/shareInputs";

// The emulator (its own package, sharing no code with the client) and the resource's check were written separately
// from the same API reference; they must agree on every modify-share body.
describe("the emulator and the resource agree on the modify-share rules", () => {
  it("accepts exactly the modify-share bodies the resource's check accepts (differential property)", () => {
    const code = fc.string({ unit: fc.constantFrom(..."aZ09!-_ é".split("")), minLength: 6, maxLength: 10 });
    fc.assert(
      fc.property(
        fc.record({ validDays: fc.oneof(fc.integer({ min: -3, max: 370 }), fc.double({ min: 0, max: 10, noNaN: true })), extractCode: fc.option(code, { nil: undefined }), comment: fc.option(fc.string({ minLength: 505, maxLength: 515 }), { nil: undefined }) }),
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
