// The one place that knows where the emulator comes from: the workspace package `koodrive-emulator` when it is
// installed, otherwise this repository's built `dist/emulator`. Both export `startEmulator` with the same options.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { repoRoot } = require("../lib/engine");

/** The emulator module: `{ startEmulator }`. */
function loadEmulatorModule() {
  let packageEntry;
  try {
    packageEntry = require.resolve("koodrive-emulator", { paths: [repoRoot] });
  } catch {
    packageEntry = undefined;
  }
  if (packageEntry) return require(packageEntry);
  const distEntry = path.join(repoRoot, "dist", "emulator", "index.js");
  if (!fs.existsSync(distEntry)) throw new Error("no emulator: install the koodrive-emulator package or run npm run build (dist/emulator is missing)");
  return require(distEntry);
}

module.exports = { loadEmulatorModule };
