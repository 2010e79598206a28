"use strict";
// The Node versions and package managers users run, for the tests that install the package as they do. All come from
// the npm registry (the only registry the test machines reach), pinned, and are installed once per cache folder.
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const repoRoot = path.join(__dirname, "..", "..");

/** The bin folder of Node `major`: `NODE<major>_BIN`, else one installed from the npm registry (scripts/ensure-node.sh). */
function nodeBin(/** @type {number} */ major) {
  const given = process.env[`NODE${major}_BIN`];
  if (given) return given;
  return execFileSync("bash", [path.join(repoRoot, "scripts/ensure-node.sh"), String(major)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
}

/**
 * Package managers besides the npm on PATH: yarn 1; yarn 4 (run with `nodeLinker: node-modules`, as Pulumi does not
 * run programs under Plug'n'Play, pulumi/pulumi#3586); npm 12, which blocks dependencies' install scripts and git
 * dependencies by default and needs Node 22.22 or later (run it with a Node from nodeBin); bun, which Pulumi also
 * supports as a program's package manager (`packagemanager: bun`). And TypeScript 6, what `npm install -D typescript`
 * picks beside @pulumi/pulumi (whose peer dependency is `< 7`), where this repository builds with 5.x.
 * @type {Record<"yarn1" | "yarn4" | "npm12" | "bun" | "typescript6", { spec: string, entry: string, installScript?: boolean }>}
 */
const PINNED_TOOLS = {
  yarn1: { spec: "yarn@1.22.22", entry: "node_modules/yarn/bin/yarn.js" },
  yarn4: { spec: "@yarnpkg/cli-dist@4.18.1", entry: "node_modules/@yarnpkg/cli-dist/bin/yarn.js" },
  npm12: { spec: "npm@12.2.2", entry: "node_modules/npm/bin/npm-cli.js" },
  // A native binary, not JavaScript: its postinstall puts the platform's build in place of the placeholder.
  bun: { spec: "bun@1.4.5", entry: "node_modules/bun/bin/bun.exe", installScript: true },
  typescript6: { spec: "typescript@6.0.3", entry: "node_modules/typescript/bin/tsc" },
};

/**
 * Installs tool `name` into `toolsRoot/<name>` (once) with the npm on PATH. Returns its entry point (a JavaScript
 * file; bun's binary) and the folder of its commands (`npm` and `npx` for npm 12), to put first on PATH after the
 * Node that runs it.
 */
function pinnedTool(/** @type {keyof typeof PINNED_TOOLS} */ name, /** @type {string} */ toolsRoot) {
  const { spec, entry, installScript } = PINNED_TOOLS[name];
  const folder = path.join(toolsRoot, name);
  if (!fs.existsSync(path.join(folder, entry))) {
    fs.mkdirSync(folder, { recursive: true });
    const packageName = spec.slice(0, spec.lastIndexOf("@"));
    const manifest = installScript ? { allowScripts: { [packageName]: true } } : {};
    fs.writeFileSync(path.join(folder, "package.json"), `${JSON.stringify(manifest)}\n`);
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", spec], {
      cwd: folder,
      stdio: ["ignore", "inherit", "inherit"],
    });
  }
  return { entry: path.join(folder, entry), binDir: path.join(folder, "node_modules", ".bin") };
}

/**
 * `npm pack` of the package in `cwd` into `destDir` with the npm on env's PATH, without its scripts (the tests pack
 * the build `npm test` made). Returns the tarball's path and the paths of the files it holds. npm 11 prints its
 * `--json` results as a list, npm 12 as an object keyed by package name.
 */
function npmPack(/** @type {string} */ cwd, /** @type {string} */ destDir, /** @type {NodeJS.ProcessEnv} */ env = process.env) {
  const printed = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", destDir], {
      cwd,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }),
  );
  /** @type {{ filename: string, files: { path: string }[] }[]} */
  const results = Array.isArray(printed) ? printed : Object.values(printed);
  if (results.length !== 1) throw new Error(`npm pack in ${cwd} printed ${results.length} results, not one`);
  const [{ filename, files }] = results;
  return { tarball: path.join(destDir, filename), files: files.map((file) => file.path) };
}

module.exports = { nodeBin, npmPack, pinnedTool };
