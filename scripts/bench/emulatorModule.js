// The one place the benchmark loads the emulator from: the `koodrive-emulator` workspace package.
"use strict";
const { repoRoot } = require("../lib/engine");

/** The emulator module: `{ startEmulator }`. */
function loadEmulatorModule() {
  return require(require.resolve("koodrive-emulator", { paths: [repoRoot] }));
}

module.exports = { loadEmulatorModule };
