"use strict";
// Installing either package runs nothing of ours. npm 11 lists every dependency with an install-time script
// (preinstall, install, postinstall, prepare) among those a user must approve, even `prepare`, which npm never runs
// for a registry tarball; so the build runs at `prepack` (npm pack and publish, and git dependencies: npm's git
// fetcher runs prepack too), and a checkout's own scripts build first where they need dist/ (scripts/test.sh,
// scripts/demo.sh, test:* scripts).
const assert = require("node:assert/strict");
const path = require("node:path");
const { test } = require("node:test");

const repoRoot = path.join(__dirname, "..", "..");
const installTimeScripts = ["preinstall", "install", "postinstall", "prepare"];

for (const manifest of ["package.json", "packages/koodrive-emulator/package.json"]) {
  test(`${manifest} has no install-time script, and builds at prepack`, () => {
    const { name, scripts = {} } = require(path.join(repoRoot, manifest));
    const found = installTimeScripts.filter((script) => script in scripts);
    assert.deepEqual(found, [], `${name} would ask users to approve: ${found.map((s) => `${s}: ${scripts[s]}`).join(", ")}`);
    assert.match(scripts.prepack ?? "", /npm run build/, `${name} builds its dist/ before it is packed`);
  });
}
