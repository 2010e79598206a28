"use strict";
// A provider process ends itself when the Pulumi engine that started it dies (src/provider/engineWatch.ts), as the
// engine starts it: through the `pulumi-resource-pulumi-nodejs` launcher shell, which lives on after the engine's
// kill -9. Here a node process stands in for the engine; the launcher is a shell script of that name.
const assert = require("node:assert/strict");
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { test } = require("node:test");
const { descendants, isAlive, readCmdline } = require("../../scripts/lib/processTree");

const watch = path.join(__dirname, "..", "..", "dist", "provider", "engineWatch.js");

/** The provider stand-in: starts the watch (checking every 100 ms), says so, and idles as a provider would. */
const provider = `
  const watching = require(${JSON.stringify(watch)}).exitWhenEngineGone({ intervalMs: 100 });
  console.log(watching ? "watching" : "not watching");
  setInterval(() => {}, 1000);
`;

async function until(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const throughLauncher of [true, false]) {
  test(`the provider process exits once its engine is killed (${throughLauncher ? "through the launcher shell" : "started directly"})`, {
    timeout: 30_000,
  }, async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-enginewatch-"));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, "provider.js"), provider);
    const launcher = path.join(dir, "pulumi-resource-pulumi-nodejs");
    // Not exec'd, as the real launcher: the shell stays the provider's parent.
    fs.writeFileSync(launcher, `#!/bin/sh\n${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(dir, "provider.js"))}\necho launcher-done\n`, {
      mode: 0o755,
    });
    const start = throughLauncher
      ? `require("node:child_process").spawn(${JSON.stringify(launcher)}, { stdio: "inherit" })`
      : `require("node:child_process").spawn(process.execPath, [${JSON.stringify(path.join(dir, "provider.js"))}], { stdio: "inherit" })`;
    const engine = spawn(process.execPath, ["-e", `${start}; setInterval(() => {}, 1000)`], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    engine.stdout.on("data", (d) => (out += d));
    await until(() => out.includes("watching"), 10_000, "the provider to start");
    assert.match(out, /^watching/);
    const tree = descendants(/** @type {number} */ (engine.pid));
    t.after(() => {
      for (const p of tree) if (isAlive(p)) process.kill(p.pid, "SIGKILL");
    });
    const providerProcess = tree.find((p) => readCmdline(p.pid).some((arg) => arg.endsWith("provider.js")));
    assert.ok(providerProcess, JSON.stringify(tree));
    // Alive while the engine is.
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(isAlive(providerProcess), "the provider runs while its engine does");
    process.kill(/** @type {number} */ (engine.pid), "SIGKILL");
    await until(() => !isAlive(providerProcess), 5_000, "the provider to exit after its engine's kill -9");
  });
}

test("a /proc it cannot read for a while (out of file descriptors) is no news: the provider keeps running", { timeout: 30_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-enginewatch-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // Takes every file descriptor the limit allows for 1.5 s (so each check of /proc fails with EMFILE), then frees them.
  fs.writeFileSync(
    path.join(dir, "provider.js"),
    `
    const fs = require("node:fs");
    require(${JSON.stringify(watch)}).exitWhenEngineGone({ intervalMs: 100 });
    const held = [];
    try { for (;;) held.push(fs.openSync("/dev/null", "r")); } catch (e) { console.log("holding " + held.length + " " + e.code); }
    setTimeout(() => { for (const fd of held) fs.closeSync(fd); console.log("released"); }, 1500);
    setInterval(() => {}, 1000);
  `,
  );
  const engine = spawn("bash", ["-c", `ulimit -n 64; ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(dir, "provider.js"))}`], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  t.after(() => void engine.kill("SIGKILL"));
  let out = "";
  engine.stdout.on("data", (d) => (out += d));
  await until(() => out.includes("released"), 10_000, "the provider to hold and release its descriptors");
  assert.match(out, /holding \d+ EMFILE/);
  // bash execs the provider (its last command), so the process spawned here is the provider; the test process is its
  // engine, which runs on. Give the watch a few more checks after the release, too.
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(engine.exitCode, null, "the provider outlived a /proc it could not read");
  assert.ok(readCmdline(/** @type {number} */ (engine.pid)).some((arg) => arg.endsWith("provider.js")));
});
