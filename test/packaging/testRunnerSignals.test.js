"use strict";
// scripts/test.sh (npm test) stops everything it started when it is interrupted: a CI job's cancel sends SIGTERM,
// often to npm alone, and Ctrl-C sends SIGINT to the terminal's process group. The steps here stand in for node
// --test and the processes below it (a child, a grandchild, and one in a process group of its own, as the engine's
// plugins are); the signal handling under test is the script's own scripts/lib/stopOnSignal.sh.
const assert = require("node:assert/strict");
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { test } = require("node:test");
const { isAlive, descendants } = require("../../scripts/lib/processTree");

const repoRoot = path.join(__dirname, "..", "..");

/** A node process that starts `sleep` below itself, a child node that starts one more, and a detached `sleep`. */
const treeStep = `
  const { spawn } = require("node:child_process");
  spawn("sleep", ["300"], { stdio: "ignore" });
  spawn("sleep", ["300"], { stdio: "ignore", detached: true });
  spawn(process.execPath, ["-e", 'require("node:child_process").spawn("sleep", ["300"], { stdio: "ignore" }); setInterval(() => {}, 1000)'], { stdio: "ignore" });
  console.log("started");
  setInterval(() => {}, 1000);
`;

function runnerScript(dir, step) {
  const script = path.join(dir, "runner.sh");
  // As scripts/test.sh sources it: by a path relative to the repository, which the runner's working directory is.
  fs.writeFileSync(script, `set -uo pipefail\ncd ${JSON.stringify(repoRoot)}\nsource scripts/lib/stopOnSignal.sh\n${step}\necho "step status $?"\n`);
  return script;
}

/**
 * Starts the runner with the tree below it, either itself or as `npm test` does: through the repository's own
 * `scripts.test` command, with the runner in place of scripts/test.sh, from a package of its own.
 * @param {import("node:test").TestContext} t
 * @param {{ viaNpm?: boolean }} [options]
 */
async function startTree(t, { viaNpm = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-runner-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const stepFile = path.join(dir, "step.js");
  fs.writeFileSync(stepFile, treeStep);
  const runner = runnerScript(dir, `run_step node ${JSON.stringify(stepFile)}`);
  const testCommand = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).scripts.test;
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "runner", private: true, scripts: { test: testCommand.replace("scripts/test.sh", runner) } }),
  );
  // detached: the runner (or npm) leads a process group of its own, as npm test does in a terminal.
  const [command, args] = viaNpm ? ["npm", ["test", "--silent"]] : ["bash", [runner]];
  const root = spawn(command, args, { cwd: dir, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  root.stdout.on("data", (d) => (stdout += d));
  root.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((resolve) => root.on("exit", (code) => resolve(code)));
  // Five processes from the step: itself, its two sleeps, its child node and that one's sleep; npm adds the runner.
  const expected = viaNpm ? 6 : 5;
  while (!stdout.includes("started") || descendants(/** @type {number} */ (root.pid)).length < expected) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 200));
  const tree = descendants(/** @type {number} */ (root.pid));
  t.after(() => {
    for (const p of tree) if (isAlive(p)) process.kill(p.pid, "SIGKILL");
  });
  return { root, tree, exited, output: () => ({ stdout, stderr }) };
}

async function allStopped(tree) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && tree.some(isAlive)) await new Promise((r) => setTimeout(r, 100));
  return tree.filter(isAlive).map((p) => p.pid);
}

test("a SIGTERM to the runner alone stops the step and every process below it, and the runner exits 143", { timeout: 60_000 }, async (t) => {
  const { root, tree, exited, output } = await startTree(t);
  assert.equal(tree.length, 5, JSON.stringify(tree));
  process.kill(/** @type {number} */ (root.pid), "SIGTERM");
  assert.equal(await exited, 143);
  assert.deepEqual(await allStopped(tree), []);
  assert.match(output().stderr, /npm test: stopped by SIGTERM: stopping every process it started\nnpm test: 5 processes stopped/);
  assert.doesNotMatch(output().stdout, /step status/);
});

test("Ctrl-C (SIGINT to the runner's process group) stops everything, and the runner exits 130", { timeout: 60_000 }, async (t) => {
  const { root, tree, exited, output } = await startTree(t);
  process.kill(-(/** @type {number} */ (root.pid)), "SIGINT");
  assert.equal(await exited, 130);
  assert.deepEqual(await allStopped(tree), []);
  assert.match(output().stderr, /npm test: stopped by SIGINT/);
});

test("a SIGTERM to npm alone (a cancelled CI job) reaches the runner through `npm test` and stops everything", { timeout: 60_000 }, async (t) => {
  const { root, tree, exited, output } = await startTree(t, { viaNpm: true });
  process.kill(/** @type {number} */ (root.pid), "SIGTERM");
  assert.notEqual(await exited, 0);
  assert.deepEqual(await allStopped(tree), []);
  assert.match(output().stderr, /npm test: stopped by SIGTERM: stopping every process it started\nnpm test: 5 processes stopped/);
});

test("Ctrl-C in a terminal running `npm test` (SIGINT to npm's whole process group, which npm also passes on) stops everything", {
  timeout: 60_000,
}, async (t) => {
  const { root, tree, exited, output } = await startTree(t, { viaNpm: true });
  process.kill(-(/** @type {number} */ (root.pid)), "SIGINT");
  await exited;
  assert.deepEqual(await allStopped(tree), []);
  assert.match(output().stderr, /npm test: stopped by SIGINT: stopping every process it started\nnpm test: \d+ processes stopped/);
});

test("without a signal a step's exit status is the runner's to read, and nothing is stopped", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-runner-"));
  try {
    const result = spawnSync("bash", [runnerScript(dir, "run_step bash -c 'exit 3'")], { cwd: repoRoot, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, "step status 3\n");
    assert.equal(result.stderr, "");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
