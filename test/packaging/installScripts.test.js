"use strict";
// What installing the package runs. From a tarball or the registry: nothing of ours (npm never runs `prepare` there),
// and no script that runs on every install (preinstall, install, postinstall). From a git URL, before the first
// release the likeliest way to try it: npm builds a git dependency only through `prepare` (pacote's git fetcher runs
// `npm install` in the clone, which runs it, then its directory fetcher runs `prepare` again, and no other script,
// before packing), so the build must stay there; with the build at `prepack` (tried once, to quiet npm 11's list of
// install scripts to approve), a git install had no dist/ and failed at the first require.
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { test } = require("node:test");
const { pathToFileURL } = require("node:url");

const repoRoot = path.join(__dirname, "..", "..");
const rootPackage = require("../../package.json");

for (const manifest of ["package.json", "packages/koodrive-emulator/package.json"]) {
  test(`${manifest} runs no script on every install`, () => {
    const { name, scripts = {} } = require(path.join(repoRoot, manifest));
    const found = ["preinstall", "install", "postinstall"].filter((script) => script in scripts);
    assert.deepEqual(found, [], `${name} would run at every install: ${found.map((s) => `${s}: ${scripts[s]}`).join(", ")}`);
  });
}

// The committed tree (HEAD), as `npm install git+…#<commit>` fetches it: uncommitted changes are not part of it.
test("an install from a git URL builds the package, which then loads", (t) => {
  const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-gitdep-"));
  t.after(() => fs.rmSync(project, { recursive: true, force: true }));
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "gitdep-user", version: "1.0.0", private: true }));
  const sdk = `@pulumi/pulumi@${rootPackage.devDependencies["@pulumi/pulumi"]}`;
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", `git+${pathToFileURL(repoRoot).href}#${head}`, sdk], {
    cwd: project,
    stdio: ["ignore", "ignore", "inherit"],
    // A user's `ignore-scripts` would skip the build (the README says so); this test is about npm's default.
    env: { ...process.env, npm_config_ignore_scripts: "false" },
    // The synchronous call blocks node:test's own timeout, so the call carries one.
    timeout: 600_000,
  });
  const installed = path.join(project, "node_modules", "pulumi-koodrive");
  for (const file of ["dist/index.js", "dist/index.d.ts", "dist/provider-impl.js"]) {
    assert.ok(fs.existsSync(path.join(installed, file)), `the git install built ${file}`);
  }
  const loaded = execFileSync(process.execPath, ["-e", 'process.stdout.write(typeof require("pulumi-koodrive").KooDriveShareSettings)'], {
    cwd: project,
    encoding: "utf8",
  });
  assert.equal(loaded, "function");
});
