import { claimShare, rejectImportOption, rejectUnknownArgs } from "../../src/resources/common/programChecks";

// The wiring into the classes is proven on the real engine (test/engine/ownership.test.js): constructing a dynamic
// resource under jest would serialize its provider, which jest's module sandbox breaks.
describe("checks the program makes before anything reaches the provider", () => {
  it("a misspelt argument fails naming it (instead of being dropped)", () => {
    expect(() => rejectUnknownArgs("KooDriveShareSettings", "typo", { shareId: "1", extractcode: "x" }, ["shareId", "extractCode"])).toThrow(
      'KooDriveShareSettings "typo": unknown argument "extractcode" (known: shareId, extractCode)',
    );
    expect(() => rejectUnknownArgs("T", "ok", { shareId: "1" }, ["shareId", "extractCode"])).not.toThrow();
  });

  it("the import option is rejected with the explanation", () => {
    expect(() => rejectImportOption("KooDriveShareSettings", "imp", { import: "2" })).toThrow(
      /`import` resource option is not supported.*#16175.*adopts the existing share/,
    );
    expect(() => rejectImportOption("KooDriveShareSettings", "imp", {})).not.toThrow();
  });

  it("a second claim of one share fails naming both claimants; the same claimant may claim again", () => {
    claimShare("3", 'KooDriveShareSettings "one"');
    claimShare("3", 'KooDriveShareSettings "one"');
    expect(() => claimShare("3", 'KooDriveShareSettings "two"')).toThrow(
      /share 3 is managed by two resources, KooDriveShareSettings "one" and KooDriveShareSettings "two"/,
    );
  });
});
