#!/usr/bin/env node
// Stands in for `pulumi preview|up|refresh|destroy` where the Node language host (pulumi-language-nodejs) is not
// installed, as on this project's offline test machines: runs the Pulumi project in the current folder through the
// Automation API's inline mode, which needs only the `pulumi` CLI and the `pulumi-resource-pulumi-nodejs` launcher.
// Everything else is the user's setup: the backend, passphrase and selected stack the `pulumi` CLI would use, and
// the project's own node_modules (so exactly one copy of @pulumi/pulumi is loaded).
//
//   node pulumi-inline.js <preview|up|refresh|destroy> [--yes] [--diff] [--refresh] [--expect-no-changes] [--stack NAME]
//
// A TypeScript program is type-checked with the project's `tsc` (as `pulumi` does through ts-node) and transpiled
// on load. The CLI comes from $PULUMI_CLI_ROOT/bin, else from PATH. Ends with one line
// `pulumi-inline: <command> <stack>: <changes as JSON>` on stdout; exits non-zero when the operation fails.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const { parseArgs } = require("node:util");

const COMMANDS = ["preview", "up", "refresh", "destroy"];

/** @param {string} message @returns {never} */
function usage(message) {
  process.stderr.write(
    `pulumi-inline: ${message}\nusage: node pulumi-inline.js <${COMMANDS.join("|")}> [--yes] [--diff] [--refresh] [--expect-no-changes] [--stack NAME]\n`,
  );
  process.exit(2);
}

/** The nearest folder at or above `dir` holding a package.json (the language host's package root), else `dir`. */
function packageRootOf(dir) {
  for (let at = dir; ; at = path.dirname(at)) {
    if (fs.existsSync(path.join(at, "package.json"))) return at;
    if (path.dirname(at) === at) return dir;
  }
}

/** @param {string} file @returns {any} */
function readPackageJson(file) {
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
}

/**
 * The program's entry file, found as the Node language host finds it (sdk/nodejs/cmd/run/run.ts): Pulumi.yaml's
 * `main` (a file or folder; read by the Automation API, as the CLI reads it), else the project folder, where
 * package.json's `exports`, then its `main`, name the entry (one that does not exist is warned about and the folder
 * used). A folder is then resolved by Node's own rules: for CommonJS, as `require("folder/")` (package.json `main`,
 * extensions added, then `index.js` before `index.ts`); for a `"type": "module"` package, its `index.js`,
 * `index.mjs`, `index.ts` or `index.mts`. A guess of ours here would run a leftover file instead of the program, and
 * an `up --yes` would delete every resource the program declares.
 * @param {string} projectDir @param {string | undefined} yamlMain
 */
function programEntry(projectDir, yamlMain) {
  let program = path.resolve(projectDir, yamlMain || ".");
  const isFolder = fs.existsSync(program) && fs.statSync(program).isDirectory();
  const packageRoot = packageRootOf(isFolder ? program : path.dirname(program));
  const packageObject = readPackageJson(path.join(packageRoot, "package.json"));
  if (!yamlMain) {
    const exports = packageObject.exports;
    const dot = exports !== null && typeof exports === "object" ? exports["."] : undefined;
    const named =
      typeof exports === "string"
        ? exports
        : typeof dot === "string"
          ? dot
          : dot !== null && typeof dot === "object"
            ? dot.default || dot.require || dot.import
            : exports === undefined
              ? packageObject.main
              : undefined;
    if (typeof named === "string" && named !== "") {
      const namedPath = path.join(packageRoot, named);
      if (fs.existsSync(namedPath)) program = namedPath;
      else process.stderr.write(`pulumi-inline: warning: Could not find entry point '${named}' specified in package.json; using '${program}' instead\n`);
    }
  }
  if (!fs.existsSync(program)) throw new Error(`no program found: ${path.relative(projectDir, program) || "."} does not exist`);
  if (!fs.statSync(program).isDirectory()) return program;
  if (fs.existsSync(path.join(program, "index.js")) && fs.existsSync(path.join(program, "index.ts")) && !yamlMain) {
    process.stderr.write(
      "pulumi-inline: warning: Found a TypeScript project containing an index.js file and no explicit entrypoint in Pulumi.yaml - Pulumi will use index.js\n",
    );
  }
  if (packageObject.type === "module") {
    const folder = fs.realpathSync(program);
    const index = ["index.js", "index.mjs", "index.ts", "index.mts"].find((name) => fs.existsSync(path.join(folder, name)));
    if (index === undefined)
      throw new Error(`no program found in ${path.relative(projectDir, folder) || "."} (looked for index.js, index.mjs, index.ts, index.mts)`);
    return path.join(folder, index);
  }
  try {
    return require.resolve(`${program}${path.sep}`);
  } catch {
    throw new Error(`no program found in ${path.relative(projectDir, program) || "."} (package.json main, index.js, index.ts)`);
  }
}

/** Whether Node loads `file` as an ES module: `.mjs`, or `.js` whose nearest package.json says `"type": "module"`. */
function isEsModule(file) {
  if (file.endsWith(".mjs")) return true;
  if (!file.endsWith(".js")) return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const packageJson = path.join(dir, "package.json");
    if (fs.existsSync(packageJson)) return JSON.parse(fs.readFileSync(packageJson, "utf8")).type === "module";
    if (path.dirname(dir) === dir) return false;
  }
}

/**
 * Resolves `request` from the project's own node_modules, or fails saying to install them (as `pulumi` says "Have you
 * run npm install?") instead of Node's bare "Cannot find module".
 * @param {string} request @param {string} projectDir
 */
function fromProject(request, projectDir) {
  try {
    return require.resolve(request, { paths: [projectDir] });
  } catch {
    const name = request
      .split("/")
      .slice(0, request.startsWith("@") ? 2 : 1)
      .join("/");
    throw new Error(`${name} is not installed in ${projectDir}: run npm install there first`);
  }
}

/** Compiles a .ts file's source to CommonJS; set once the project is type-checked. @type {((source: string, file: string) => string) | undefined} */
let transpile;

/** Type-checks a TypeScript project with its own `tsc` (once) and readies the transpiler. @param {string} projectDir */
function typeScriptReady(projectDir) {
  if (transpile !== undefined) return;
  const tscPackage = fromProject("typescript/package.json", projectDir);
  if (fs.existsSync(path.join(projectDir, "tsconfig.json"))) {
    const tsc = path.join(path.dirname(tscPackage), "bin", "tsc");
    execFileSync(process.execPath, [tsc, "--noEmit", "-p", projectDir], { stdio: "inherit" });
  }
  const ts = require(path.dirname(tscPackage));
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false };
  transpile = (source, fileName) => ts.transpileModule(source, { compilerOptions, fileName }).outputText;
}

/**
 * Lets `require` find and load .ts files, as the language host's ts-node does: registered before the entry is resolved,
 * so `require("folder/")` finds an `index.ts` (after an `index.js`, as under `pulumi`). @param {string} projectDir
 */
function registerTypeScript(projectDir) {
  require.extensions[".ts"] = (module, filename) => {
    typeScriptReady(projectDir);
    /** @type {any} */ (module)._compile(/** @type {NonNullable<typeof transpile>} */ (transpile)(fs.readFileSync(filename, "utf8"), filename), filename);
  };
}

/**
 * A CommonJS module (TypeScript compiled as `pulumi` compiles it) whose only export is `export default` of a function:
 * the language host does not call it (only `export =` / `module.exports` is the program), so the program would declare
 * nothing and an `up` would delete every resource of the stack. Refused, with the form that works.
 * @param {any} exported @param {string} file
 */
function refuseUncalledDefault(exported, file) {
  if (exported === null || typeof exported !== "object" || exported.__esModule !== true) return;
  const keys = Object.keys(exported);
  if (keys.length !== 1 || keys[0] !== "default" || typeof exported.default !== "function") return;
  throw new Error(
    `${path.basename(file)} is a CommonJS module whose only export is \`export default\` of a function, which Pulumi's language host does not call: ` +
      "the program would declare no resources, and an up would delete every resource of the stack. Write `export = async () => { ... }` instead (or make the package an ES module)",
  );
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      yes: { type: "boolean", short: "y" },
      diff: { type: "boolean" },
      refresh: { type: "boolean" },
      "expect-no-changes": { type: "boolean" },
      stack: { type: "string", short: "s" },
    },
  });
  const command = positionals[0];
  if (positionals.length !== 1 || !COMMANDS.includes(command)) usage(`expected one of ${COMMANDS.join(", ")}`);
  if (command !== "preview" && !values.yes) usage(`${command} changes the stack: pass --yes, as you would to pulumi ${command} in a pipeline`);

  const projectDir = process.cwd();
  const automation = fromProject("@pulumi/pulumi/automation", projectDir);
  const { LocalWorkspace, PulumiCommand, Stack } = require(automation);
  /** The program's entry file, found once the workspace has read Pulumi.yaml. @type {string} */
  let entry = "";
  let runs = 0;
  const program = async () => {
    // Each operation runs the program afresh, as `pulumi up` would: an ES module under a URL of its own each time
    // (loaded with import(), as require() cannot load one that uses top-level await), CommonJS out of the cache.
    let exported;
    if (isEsModule(entry)) {
      exported = await import(`${pathToFileURL(entry).href}?run=${++runs}`);
      // As Pulumi's language host: a default export is the program, and cannot come with named exports.
      if (Object.getOwnPropertyDescriptor(exported, "default") !== undefined) {
        if (Object.keys(exported).length !== 1) throw new Error("expected entrypoint module to have either a default export or named exports but not both");
        exported = exported.default;
      }
    } else {
      delete require.cache[entry];
      exported = require(entry);
      refuseUncalledDefault(exported, entry);
    }
    // An exported function is the program (`export = async () => {...}`, `export default async function`): run it.
    // What it returns (or the exports) goes to the stack as the language host passes it: an Output, a promise or a
    // resource as such (spread, an Output's marker would be copied onto a plain object).
    return typeof exported === "function" ? await exported() : exported;
  };
  const pulumiCommand = await PulumiCommand.get(process.env.PULUMI_CLI_ROOT ? { root: process.env.PULUMI_CLI_ROOT } : {}).catch((/** @type {any} */ e) => {
    const where = process.env.PULUMI_CLI_ROOT ? `${process.env.PULUMI_CLI_ROOT}/bin` : "PATH";
    // The Automation API's error holds the whole command result; its system error code (ENOENT, EACCES) says it all.
    const text = String(e?.message ?? e);
    const reason = /\b(E[A-Z]{3,})\b/.exec(text)?.[1] ?? text.split("\n")[0];
    throw new Error(`cannot run the pulumi CLI from ${where} (${reason}): put it on PATH or set PULUMI_CLI_ROOT to the folder holding bin/pulumi`);
  });
  const workspace = await LocalWorkspace.create({ workDir: projectDir, program, pulumiCommand });
  const project = await workspace.projectSettings();
  const runtimeOptions = typeof project.runtime === "object" ? project.runtime.options : undefined;
  if (runtimeOptions?.typescript !== false) registerTypeScript(projectDir);
  entry = programEntry(projectDir, project.main);
  if (entry.endsWith(".ts")) typeScriptReady(projectDir); // a type error fails before the operation starts, as under pulumi
  const stackName = values.stack || (await workspace.stack())?.name;
  if (!stackName) throw new Error("no stack selected: run pulumi stack init <name> (or pulumi stack select) first, or pass --stack");
  const stack = await Stack.select(stackName, workspace);
  // Both streams as the CLI writes them, as `pulumi` shows them: with --diff the engine writes its diagnostics (the
  // provider's notices, such as why a link is renewed) to stderr.
  const streams = {
    onOutput: (/** @type {string} */ text) => {
      if (CLI_CANCELLING.test(text)) cliCancelling = true;
      process.stdout.write(text);
    },
    onError: (/** @type {string} */ text) => process.stderr.write(text),
    signal: stopping.signal,
  };
  const updateOptions = { ...streams, diff: values.diff, refresh: values.refresh, expectNoChanges: values["expect-no-changes"] };
  streaming = true;
  let changes;
  if (command === "preview") changes = (await stack.preview(updateOptions)).changeSummary;
  else if (command === "up") changes = (await stack.up(updateOptions)).summary.resourceChanges;
  else if (command === "refresh") changes = (await stack.refresh({ ...streams, expectNoChanges: values["expect-no-changes"] })).summary.resourceChanges;
  else changes = (await stack.destroy(streams)).summary.resourceChanges;
  process.stdout.write(`pulumi-inline: ${command} ${stackName}: ${JSON.stringify(changes ?? {})}\n`);
}

/** Set once preview, up, refresh or destroy has started: its output, the reason for a failure included, is streamed. */
let streaming = false;

/**
 * SIGINT or SIGTERM (Ctrl-C, a cancelled CI job) asks the CLI to stop as `pulumi` stops on Ctrl-C: it lets the steps
 * under way finish, saves the state and releases the stack's lock. Exiting at once would take the CLI down with this
 * process and leave the stack locked. A second signal exits at once.
 *
 * The signal is passed on only when the CLI did not get it too. A terminal's Ctrl-C and `timeout` signal the whole
 * process group, the CLI included, and the CLI takes a second signal as "terminate now", which abandons creates under
 * way (links made and never recorded). So this waits for the CLI to say it is cancelling before asking it; a signal
 * sent to this process alone (`docker stop`, a `kill` of its PID) reaches the CLI after that wait.
 */
const stopping = new AbortController();
/** What the CLI prints when a signal reached it: `^C received; cancelling.` (or `SIGTERM received; …`). */
const CLI_CANCELLING = /received; cancelling/;
/** How long a signal waits for the CLI to show it got it too. */
const PASS_ON_AFTER_MS = 1500;
/** Set when the CLI said it is cancelling. */
let cliCancelling = false;
/** The signal that asked the operation to stop, if one did. */
let stoppedBy = "";
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.on(signal, () => {
    if (stoppedBy !== "") process.exit(130);
    stoppedBy = signal;
    process.stderr.write(
      `pulumi-inline: ${signal}: asking the pulumi CLI to stop (it finishes the steps under way and releases the stack; ${signal} again exits at once)\n`,
    );
    setTimeout(() => {
      if (!cliCancelling) stopping.abort();
    }, PASS_ON_AFTER_MS).unref();
  });
}

main().then(
  () => {
    if (stoppedBy !== "") process.exit(130);
  },
  (e) => {
    if (stoppedBy !== "") {
      process.stderr.write(`pulumi-inline: stopped by ${stoppedBy}\n`);
      process.exit(130);
    }
    fail(e);
  },
);

/** Ends a run whose operation failed. @param {any} e what it failed with */
function fail(e) {
  // A failed operation has already streamed both its outputs: one line says it failed. A CLI call that was not
  // streamed (selecting the stack) has its reason in its stderr; other failures (no program, a type error) have only
  // their message.
  const cliStderr = e?.commandResult?.stderr?.trim();
  const reason = streaming ? "the pulumi CLI failed (its output above says why)" : cliStderr || (e instanceof Error ? e.message : String(e));
  process.stderr.write(`pulumi-inline: ${reason}\n`);
  process.exit(1);
}
