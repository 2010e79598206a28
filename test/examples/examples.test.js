"use strict";
// Each example as a user gets it: its folder copied out of the repository, installed from its own package.json (the
// packed package standing in for the registry version), then its README's "Against the local emulator" block run
// line by line in a fresh shell with the official `pulumi` CLI on PATH.
const assert = require("node:assert/strict");
const { execFile, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { promisify } = require("node:util");
const { after, before, describe, test } = require("node:test");
const { repoRoot } = require("../../scripts/lib/engine");
const { assertEmulatorCanStart, installExample, packPackage, runShell, shellBlockAfterHeading, userShellEnv, withInlineEngine } = require("./userProject");

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-examples-"));
/** @type {{ koodrive: string, emulator: string }} */
let tarball;
before(() => {
  tarball = packPackage(scratch);
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/**
 * Installs examples/<name> in `root` (the scratch folder) and runs its README's emulator block; the emulator is stopped
 * in any case. `afterInstall` runs in the installed folder first, as a user's own next step.
 * @param {string} name @param {{ root?: string, afterInstall?: (dir: string) => void }} [options]
 */
function runEmulatorWalkthrough(name, { root = scratch, afterInstall } = {}) {
  const dir = installExample(name, root, tarball);
  afterInstall?.(dir);
  const readme = fs.readFileSync(path.join(repoRoot, "examples", name, "README.md"), "utf8");
  const block = shellBlockAfterHeading(readme, "## Against the local emulator");
  const home = fs.mkdtempSync(path.join(scratch, `home-${name}-`));
  const env = userShellEnv(home);
  assertEmulatorCanStart(dir, env);
  try {
    return runShell(`set -x\n${withInlineEngine(block)}`, { cwd: dir, env });
  } finally {
    // A failed line leaves the emulator running: stop it the documented way (a no-op when already stopped).
    runShell("npx koodrive-emulator stop --pid-file emulator.pid", { cwd: dir, env, timeoutMs: 30_000 });
  }
}

/** The `pulumi-inline: <command> <stack>: {...}` lines, in order. */
function engineResults(output) {
  return [...output.matchAll(/^pulumi-inline: (\w+) (\S+): (\{.*\})$/gm)].map((m) => ({ command: m[1], stack: m[2], changes: JSON.parse(m[3]) }));
}

describe("examples/basic", () => {
  test("the README's emulator walkthrough works verbatim in a copy of the folder", { timeout: 900_000 }, () => {
    const { status, output } = runEmulatorWalkthrough("basic");
    assert.equal(status, 0, output);
    assert.match(output, /seed-emulator: created share \d+ .* and set config shareId/);
    assert.deepEqual(engineResults(output), [
      { command: "preview", stack: "dev", changes: { create: 2 } },
      { command: "up", stack: "dev", changes: { create: 2 } },
      { command: "destroy", stack: "dev", changes: { delete: 2 } },
    ]);
    assert.doesNotMatch(output, /MDg2K0vU(?!"?\s*$)/m, "the access code appears only on the config line that sets it");
  });
});

describe("examples/basic with TypeScript 6", () => {
  // What `npm install -D typescript` picks beside @pulumi/pulumi today (its peer dependency allows up to 6), or a
  // dependency bot's update of the pinned 5.9: TypeScript 6 refuses the resolution `node` older tsconfigs name, and
  // Pulumi's closure serializer then reads the provider's code with TypeScript 6's compiler API.
  test("the README's emulator walkthrough works verbatim after `npm install -D typescript@6`", { timeout: 900_000 }, () => {
    const afterInstall = (/** @type {string} */ dir) => {
      execFileSync("npm", ["install", "-D", "typescript@6", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: dir, stdio: "ignore" });
      assert.match(JSON.parse(fs.readFileSync(path.join(dir, "node_modules/typescript/package.json"), "utf8")).version, /^6\./);
    };
    const { status, output } = runEmulatorWalkthrough("basic", { root: fs.mkdtempSync(path.join(scratch, "typescript6-")), afterInstall });
    assert.equal(status, 0, output);
    assert.deepEqual(
      engineResults(output).map((r) => r.command),
      ["preview", "up", "destroy"],
    );
  });
});

test("every example has the same tsconfig.json, so the TypeScript 6 run of one speaks for all", () => {
  const configs = fs
    .readdirSync(path.join(repoRoot, "examples"))
    .filter((name) => fs.existsSync(path.join(repoRoot, "examples", name, "tsconfig.json")))
    .map((name) => ({ name, text: fs.readFileSync(path.join(repoRoot, "examples", name, "tsconfig.json"), "utf8") }));
  assert.ok(configs.length >= 4, `found ${configs.length}`);
  for (const { name, text } of configs) assert.equal(text, configs[0].text, `examples/${name}/tsconfig.json differs from examples/${configs[0].name}'s`);
});

describe("examples/many-shares", () => {
  test("the README's emulator walkthrough works verbatim in a copy of the folder", { timeout: 900_000 }, () => {
    const entries = JSON.parse(fs.readFileSync(path.join(repoRoot, "examples/many-shares/shares.json"), "utf8"));
    const { status, output } = runEmulatorWalkthrough("many-shares");
    assert.equal(status, 0, output);
    for (const e of entries) assert.match(output, new RegExp(`seed-emulator: created share ${e.shareId} \\(${e.name}\\)`));
    // The stack, one settings resource per entry, and a companion originals resource per entry that restores on delete.
    const resources = 1 + entries.length + entries.filter((/** @type {{ onDelete?: string }} */ e) => e.onDelete === "restore").length;
    assert.deepEqual(engineResults(output), [
      { command: "up", stack: "dev", changes: { create: resources } },
      { command: "preview", stack: "dev", changes: { same: resources } },
      { command: "destroy", stack: "dev", changes: { delete: resources } },
    ]);
  });
});

describe("examples/create-shares", () => {
  test("the README's emulator walkthrough works verbatim in a copy of the folder", { timeout: 900_000 }, () => {
    const links = JSON.parse(fs.readFileSync(path.join(repoRoot, "examples/create-shares/links.json"), "utf8"));
    const { status, output } = runEmulatorWalkthrough("create-shares");
    assert.equal(status, 0, output);
    assert.deepEqual(engineResults(output), [
      { command: "preview", stack: "dev", changes: { create: links.length + 1 } },
      { command: "up", stack: "dev", changes: { create: links.length + 1 } },
      { command: "preview", stack: "dev", changes: { same: links.length + 1 } },
      { command: "destroy", stack: "dev", changes: { delete: links.length + 1 } },
    ]);
  });
});

describe("examples/keep-links-alive", () => {
  test("the README's emulator walkthrough works verbatim: a link due for renewal is renewed by the scheduled run", { timeout: 900_000 }, () => {
    const links = JSON.parse(fs.readFileSync(path.join(repoRoot, "examples/keep-links-alive/links.json"), "utf8"));
    const resources = links.length + 1;
    const { status, output } = runEmulatorWalkthrough("keep-links-alive");
    assert.equal(status, 0, output);
    const results = engineResults(output);
    assert.deepEqual(results[0], { command: "up", stack: "dev", changes: { create: resources } });
    assert.deepEqual(results[2].changes.update, 1, "the scheduled up renews the one link that is due");
    assert.match(output, /expires within 2 days \(renewBeforeDays \d+\): due for renewal/);
    assert.deepEqual(results.at(-1), { command: "destroy", stack: "dev", changes: { delete: resources } });
  });

  test("seed-emulator.mjs expire-soon counts the 2 days on the emulator's clock, even when it was moved ahead", async () => {
    const { startEmulator } = require("koodrive-emulator");
    const thirtyDays = 30 * 24 * 3600 * 1000;
    const emulator = await startEmulator({ clockOffsetMs: thirtyDays });
    try {
      const [link] = JSON.parse(fs.readFileSync(path.join(repoRoot, "examples/keep-links-alive/links.json"), "utf8"));
      const script = path.join(repoRoot, "examples/keep-links-alive/seed-emulator.mjs");
      const env = { ...process.env, KOODRIVE_ENDPOINT: emulator.url, KOODRIVE_USER_ID: "1505084218764547200" };
      // Asynchronously: the emulator answers from this process.
      for (const args of [[], ["expire-soon", link.name]]) await promisify(execFile)("node", [script, ...args], { cwd: scratch, env });
      const leftMs = Date.parse(String(emulator.getShare(link.shareId)?.expireTime)) - emulator.clock.now();
      assert.ok(Math.abs(leftMs - 2 * 24 * 3600 * 1000) < 60_000, `expires 2 days after the emulator's now (${leftMs} ms)`);
    } finally {
      await emulator.close();
    }
  });
});
