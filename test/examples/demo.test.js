"use strict";
// npm run demo as a person watches it: the CLI provisioning first, then the steps, without engine noise or advice the
// demo makes moot, and the total time at the end.
const assert = require("node:assert/strict");
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const { test } = require("node:test");
const { repoRoot } = require("../../scripts/lib/engine");

test("the demo reads cleanly from CLI provisioning to total time", { timeout: 600_000 }, () => {
  const result = spawnSync(process.execPath, [path.join(repoRoot, "scripts", "demo.js")], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  const output = `${result.stderr}\n${result.stdout}`;
  assert.equal(result.status, 0, output);
  const stdout = result.stdout;
  assert.ok(stdout.indexOf("bin/pulumi") >= 0 && stdout.indexOf("bin/pulumi") < stdout.indexOf("Step 1/"), "the Pulumi CLI is provisioned before Step 1");
  assert.doesNotMatch(stdout, /^@ [a-z ]+\.*\s*$/m, "no progress dots");
  assert.doesNotMatch(stdout, /\[urn=/, "no URNs");
  assert.doesNotMatch(stdout, /pulumi stack rm/, "no advice to remove a stack the demo removes itself");
  assert.match(stdout.trim().split("\n").pop() ?? "", /^Demo passed: all \d+ steps behaved as stated, in \d+\.\d s\.$/);
});
