"use strict";
// npm run demo as a person watches it: the CLI provisioning first, then the steps, without engine noise or advice the
// demo makes moot, and the total time at the end.
const assert = require("node:assert/strict");
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { test } = require("node:test");
const { repoRoot } = require("../../scripts/lib/engine");
const { descendants, isAlive } = require("../../scripts/lib/processTree");

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

/** Collects a demo process's output; resolves once it reached Step 4 (an up: the engine and a provider process run). */
async function reachStep4(child) {
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk) => (output.stdout += chunk));
  child.stderr.on("data", (chunk) => (output.stderr += chunk));
  const deadline = Date.now() + 180_000;
  while (!/Step 4\//.test(output.stdout)) {
    assert.ok(Date.now() < deadline, `the demo reached step 4:\n${output.stdout}\n${output.stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return output;
}

test("Ctrl-C during an engine step stops every process the demo started and removes its stack folder", { timeout: 300_000 }, async () => {
  const scratchFolders = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith("koodrive-koodrive-demo-"));
  const foldersBefore = new Set(scratchFolders());
  // Its own process group, as a terminal's foreground job: Ctrl-C signals the demo, the CLI and the providers alike.
  const demo = spawn(process.execPath, [path.join(repoRoot, "scripts", "demo.js")], {
    cwd: repoRoot,
    detached: true,
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  const exited = new Promise((resolve) => demo.on("exit", (code) => resolve(code)));
  const output = await reachStep4(demo);
  // Step 4 is an up: the engine and a provider process run now.
  const started = descendants(/** @type {number} */ (demo.pid));
  assert.ok(started.length > 0, "the demo has child processes");
  process.kill(-(/** @type {number} */ (demo.pid)), "SIGINT");
  const code = await exited;
  assert.equal(code, 130, `${output.stdout}\n${output.stderr}`);
  assert.match(output.stderr, /Demo interrupted \(SIGINT\): stopping the engine and the emulator, removing the demo's stack/);
  assert.match(output.stderr.trim().split("\n").pop() ?? "", /^Demo stopped \(SIGINT\): the engine and the emulator are stopped/);
  assert.doesNotMatch(output.stderr, /Demo FAILED/);
  const alive = started.filter(isAlive);
  assert.deepEqual(alive, [], "no process the demo started is left running");
  assert.deepEqual(
    scratchFolders().filter((name) => !foldersBefore.has(name)),
    [],
    "the demo's stack folder was removed",
  );
});

test("a SIGTERM to npm alone (as a CI job's cancel sends it) stops `npm run demo` and everything it started", { timeout: 300_000 }, async () => {
  // npm passes the signal to its child only: that child must be the demo itself, not a shell waiting for it.
  const npm = spawn("npm", ["run", "--silent", "demo"], { cwd: repoRoot, detached: true, env: { ...process.env, FORCE_COLOR: "0" } });
  // The demo holds the pipes after npm has gone: closed when it has finished its clean-up.
  const closed = new Promise((resolve) => npm.on("close", resolve));
  const output = await reachStep4(npm);
  const started = descendants(/** @type {number} */ (npm.pid));
  assert.ok(started.length > 1, "npm runs the demo, which has started processes");
  process.kill(/** @type {number} */ (npm.pid), "SIGTERM");
  await closed;
  assert.match(output.stderr, /Demo stopped \(SIGTERM\): the engine and the emulator are stopped/, `${output.stdout}\n${output.stderr}`);
  assert.doesNotMatch(output.stdout, /Demo passed/);
  assert.deepEqual(started.filter(isAlive), [], "no process the demo started is left running");
});
