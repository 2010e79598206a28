/** Unit, client, provider tests, and the emulator package's own tests (the real-engine tests run under `node --test`,
 *  see scripts/test.sh). */
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/{unit,client,provider,emulator}/**/*.test.ts"],
      transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json" }] },
      moduleNameMapper: {
        // The provider shim loads its implementation by package name; in the source tree that is src/.
        "^pulumi-koodrive/provider-impl$": "<rootDir>/src/provider/impl.ts",
        // The emulator is a workspace package; its sources, so these tests need no build of it.
        "^koodrive-emulator$": "<rootDir>/packages/koodrive-emulator/src/index.ts",
      },
    },
    "<rootDir>/packages/koodrive-emulator",
  ],
};
