/** The emulator's own tests (run from here with `npm test`, or from the repository root as the "emulator" project). */
module.exports = {
  displayName: "emulator",
  rootDir: __dirname,
  testEnvironment: "node",
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json" }] },
};
