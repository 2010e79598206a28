/** Unit, client, provider and emulator tests (the real-engine tests run under `node --test`, see scripts/test.sh). */
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/{unit,client,provider,emulator}/**/*.test.ts"],
      transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json" }] },
      // The provider shim loads its implementation by package name; in the source tree that is src/.
      moduleNameMapper: { "^pulumi-koodrive/provider-impl$": "<rootDir>/src/provider/impl.ts" },
    },
  ],
};
