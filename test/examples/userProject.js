// What a user does with this package, done in a temp folder: the package as `npm pack` publishes it, an example
// folder copied out of the repository and installed from its own package.json, and a shell that runs documented
// commands with the official `pulumi` CLI on PATH.
"use strict";
const assert = require("node:assert/strict");
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { ensurePulumiCli, repoRoot } = require("../../scripts/lib/engine");
const { npmPack } = require("../support/toolchains");

const rootPackage = require("../../package.json");
const emulatorPackage = require("../../packages/koodrive-emulator/package.json");

/** `npm pack` of the built tree (scripts/test.sh builds first) into `destDir`; returns the tarballs' paths. */
function packPackage(destDir) {
  assert.ok(fs.existsSync(path.join(repoRoot, "dist", "index.js")), "dist/ is missing: run npm run build first");
  return { koodrive: npmPack(repoRoot, destDir).tarball, emulator: npmPack(path.join(repoRoot, "packages/koodrive-emulator"), destDir).tarball };
}

/**
 * Copies examples/<name> to `destRoot/<name>` as a user would copy the folder, checks that it names the published
 * package (`^<version of this repository>`), substitutes only that dependency with the packed tarball, and installs.
 */
function installExample(name, destRoot, /** @type {{ koodrive: string, emulator: string }} */ tarballs) {
  const source = path.join(repoRoot, "examples", name);
  const dest = path.join(destRoot, name);
  const leftOut = new Set(["node_modules", "package-lock.json", ".pulumi-state", "emulator.pid"]);
  fs.cpSync(source, dest, { recursive: true, filter: (src) => !leftOut.has(path.basename(src)) });
  const packageFile = path.join(dest, "package.json");
  const manifest = JSON.parse(fs.readFileSync(packageFile, "utf8"));
  assert.equal(
    manifest.dependencies?.["pulumi-koodrive"],
    `^${rootPackage.version}`,
    `examples/${name}/package.json must depend on the published pulumi-koodrive ^${rootPackage.version}, so the folder works when copied`,
  );
  assert.ok(manifest.dependencies?.["@pulumi/pulumi"], `examples/${name}/package.json must depend on @pulumi/pulumi`);
  assert.equal(
    manifest.devDependencies?.["koodrive-emulator"],
    `^${emulatorPackage.version}`,
    `examples/${name}/package.json must have the published koodrive-emulator ^${emulatorPackage.version} as a dev dependency`,
  );
  manifest.dependencies["pulumi-koodrive"] = `file:${tarballs.koodrive}`;
  manifest.devDependencies["koodrive-emulator"] = `file:${tarballs.emulator}`;
  fs.writeFileSync(packageFile, `${JSON.stringify(manifest, null, 2)}\n`);
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dest, stdio: ["ignore", "inherit", "inherit"] });
  const copies = execFileSync("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], { cwd: dest, encoding: "utf8" }).trim().split("\n");
  assert.equal(new Set(copies).size, 1, `exactly one copy of @pulumi/pulumi in examples/${name}: ${copies.join(", ")}`);
  return dest;
}

/** The first ```sh block after the Markdown heading `heading` (exact text). */
function shellBlockAfterHeading(markdown, heading) {
  const at = markdown.indexOf(`\n${heading}\n`);
  assert.ok(at >= 0, `heading "${heading}" not found`);
  const block = /```sh\n([\s\S]*?)```/.exec(markdown.slice(at));
  assert.ok(block, `no sh block after "${heading}"`);
  return block[1];
}

/**
 * `pulumi preview|up|refresh|destroy` need the Node language host, which the test machines cannot have (README, The
 * Pulumi CLI): those commands, and only those, run through scripts/pulumi-inline.js, with the same arguments.
 */
function withInlineEngine(script) {
  const driver = path.join(repoRoot, "scripts", "pulumi-inline.js");
  return script.replace(/^(\s*)pulumi (preview|up|refresh|destroy)\b/gm, (_, indent, command) => `${indent}node ${JSON.stringify(driver)} ${command}`);
}

/** Environment of a fresh shell: the official CLI on PATH, an empty home, nothing from this test process. */
function userShellEnv(home) {
  const cliRoot = ensurePulumiCli();
  const npmCache = execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim();
  // The machine's certificate authorities, as a user's shell on it has them: behind a TLS-inspecting proxy, a package
  // that is not in the npm cache (a dependency released since the last run) is fetched only with them.
  const cafile = execFileSync("npm", ["config", "get", "cafile"], { encoding: "utf8" }).trim();
  const authorities = {
    ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    ...(cafile && cafile !== "null" && cafile !== "undefined" ? { npm_config_cafile: cafile } : {}),
  };
  return {
    PATH: [path.join(cliRoot, "bin"), path.dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(path.delimiter),
    HOME: home,
    LANG: "C.UTF-8",
    npm_config_cache: npmCache,
    ...authorities,
    // Offline test machines: no update check, no plugin downloads (the launcher sits beside the CLI).
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
}

/** Runs `script` with bash -euo pipefail in `cwd`; returns { status, output } (stdout and stderr interleaved). */
function runShell(script, { cwd, env, timeoutMs = 600_000 }) {
  const result = spawnSync("bash", ["-euo", "pipefail", "-c", `exec 2>&1\n${script}`], { cwd, env, encoding: "utf8", timeout: timeoutMs });
  return { status: result.status, output: `${result.stdout}${result.error ? `\n${result.error.message}` : ""}` };
}

/**
 * The walkthroughs and the pipeline need the emulator's `start`/`stop` commands (issue 11 §2): fails saying so when
 * the installed koodrive-emulator lacks them, rather than deep inside a walkthrough.
 */
function assertEmulatorCanStart(projectDir, env) {
  const probe = runShell("npx --no-install koodrive-emulator start --pid-file probe.pid --token probe-token --ready-timeout 10", {
    cwd: projectDir,
    env,
    timeoutMs: 30_000,
  });
  runShell("npx --no-install koodrive-emulator stop --pid-file probe.pid", { cwd: projectDir, env, timeoutMs: 30_000 });
  if (probe.status !== 0)
    assert.fail(`koodrive-emulator has no working \`start --pid-file\` command, which the walkthroughs and the pipeline need:\n${probe.output}`);
}

module.exports = { assertEmulatorCanStart, packPackage, installExample, shellBlockAfterHeading, withInlineEngine, userShellEnv, runShell, rootPackage };
