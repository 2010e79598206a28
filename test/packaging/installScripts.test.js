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
const { nodeBin, pinnedTool } = require("../support/toolchains");

for (const manifest of ["package.json", "packages/koodrive-emulator/package.json"]) {
  test(`${manifest} runs no script on every install`, () => {
    const { name, scripts = {} } = require(path.join(repoRoot, manifest));
    const found = ["preinstall", "install", "postinstall"].filter((script) => script in scripts);
    assert.deepEqual(found, [], `${name} would run at every install: ${found.map((s) => `${s}: ${scripts[s]}`).join(", ")}`);
  });
}

// npm 12 runs a dependency's install scripts only where the project's `allowScripts` allows them, and npm 11 already
// skips the ones it denies. Each entry is a reviewed decision that the whole suite, run with it, confirms (esbuild and
// @parcel/watcher find their platform binaries through optional dependencies; protobufjs's only compares version
// ranges to print a warning). A dependency that brings a new install script fails here until someone reviews it.
test("every dependency with an install script has a reviewed allowScripts entry, and no entry outlives its dependency", () => {
  /** @type {{ packages: Record<string, { hasInstallScript?: boolean }> }} */
  const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8"));
  const prefix = "node_modules/";
  const withScripts = Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([where]) => where.slice(where.lastIndexOf(prefix) + prefix.length));
  assert.deepEqual([...new Set(withScripts)].sort(), Object.keys(rootPackage.allowScripts ?? {}).sort());
});

// The committed tree (HEAD), as `npm install git+…#<commit>` fetches it: uncommitted changes are not part of it. With
// the npm on PATH, and with npm 12, which fetches a git dependency only where `allow-git` allows it (the README puts
// `allow-git=root` in the project's .npmrc) and reports this package's `prepare` as blocked: the clone builds anyway,
// as npm installs it there as a project of its own.
const installers = [
  { label: "the npm on PATH", pathPrefix: () => [] },
  { label: "npm 12 on Node 24", pathPrefix: (/** @type {string} */ tools) => [nodeBin(24), pinnedTool("npm12", tools).binDir] },
];
for (const installer of installers) {
  test(`an install from a git URL builds the package, which then loads (${installer.label})`, (t) => {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-gitdep-"));
    t.after(() => fs.rmSync(project, { recursive: true, force: true }));
    const env = {
      ...process.env,
      PATH: [...installer.pathPrefix(path.join(project, ".tools")), process.env.PATH].join(path.delimiter),
      // A user's `ignore-scripts` would skip the build (the README says so); this test is about npm's default.
      npm_config_ignore_scripts: "false",
    };
    const app = path.join(project, "app");
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "gitdep-user", version: "1.0.0", private: true }));
    fs.writeFileSync(path.join(app, ".npmrc"), "allow-git=root\n");
    const sdk = `@pulumi/pulumi@${rootPackage.devDependencies["@pulumi/pulumi"]}`;
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", `git+${pathToFileURL(repoRoot).href}#${head}`, sdk], {
      cwd: app,
      env,
      stdio: ["ignore", "ignore", "inherit"],
      // The synchronous call blocks node:test's own timeout, so the call carries one.
      timeout: 600_000,
    });
    const installed = path.join(app, "node_modules", "pulumi-koodrive");
    for (const file of ["dist/index.js", "dist/index.d.ts", "dist/provider-impl.js"]) {
      assert.ok(fs.existsSync(path.join(installed, file)), `the git install built ${file}`);
    }
    const loaded = execFileSync("node", ["-e", 'process.stdout.write(typeof require("pulumi-koodrive").KooDriveShareSettings)'], {
      cwd: app,
      env,
      encoding: "utf8",
    });
    assert.equal(loaded, "function");
  });
}
