import fc from "fast-check";
import fs from "node:fs";
import path from "node:path";
import { checkShareSettingsInputs } from "../../src/resources/shareSettings/args";

const checkShareInputs = (news: Record<string, unknown>) => checkShareSettingsInputs(news, "carrier");
import { updateShareRule } from "../../src/emulator/bodyRules";

describe("the emulator is an independent yardstick", () => {
  it("imports nothing from the client or the resource", () => {
    const dir = path.join(__dirname, "../../src/emulator");
    for (const file of fs.readdirSync(dir)) {
      const source = fs.readFileSync(path.join(dir, file), "utf8");
      expect({ file, imports: [...source.matchAll(/from "(\.\.\/[^"]+)"/g)].map((m) => m[1]) }).toEqual({ file, imports: [] });
    }
  });

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
