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

/** The project's entry file, resolved as the Node language host does: Pulumi.yaml `main`, else package.json `main`, else index. */
function programEntry(projectDir) {
  const pulumiYaml = fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8");
  const mainMatch = /^main:\s*(\S+)\s*$/m.exec(pulumiYaml);
  const base = path.resolve(projectDir, mainMatch ? mainMatch[1] : ".");
  const packageJson = path.join(base, "package.json");
  const main = fs.existsSync(packageJson) ? JSON.parse(fs.readFileSync(packageJson, "utf8")).main : undefined;
  const candidates = main ? [path.resolve(base, main)] : [];
  candidates.push(path.join(base, "index.ts"), path.join(base, "index.js"), base);
  const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  if (!found) throw new Error(`no program found in ${base} (looked for ${candidates.map((c) => path.relative(projectDir, c) || ".").join(", ")})`);
  return found;
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

/** Type-checks a TypeScript project with its own compiler and lets `require` load .ts files, transpiled. */
function enableTypeScript(projectDir) {
  const tscPackage = fromProject("typescript/package.json", projectDir);
  if (fs.existsSync(path.join(projectDir, "tsconfig.json"))) {
    const tsc = path.join(path.dirname(tscPackage), "bin", "tsc");
    execFileSync(process.execPath, [tsc, "--noEmit", "-p", projectDir], { stdio: "inherit" });
  }
  const ts = require(path.dirname(tscPackage));
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false };
  require.extensions[".ts"] = (module, filename) => {
    const source = fs.readFileSync(filename, "utf8");
    /** @type {any} */ (module)._compile(ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText, filename);
  };
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
  const entry = programEntry(projectDir);
  const automation = fromProject("@pulumi/pulumi/automation", projectDir);
  if (entry.endsWith(".ts")) enableTypeScript(projectDir);
  const { LocalWorkspace, PulumiCommand, Stack } = require(automation);
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
    }
    // An exported function is the program (`export = async () => {...}`, `export default async function`): run it.
    // Spread, it would declare nothing, and an up would delete every resource of the stack.
    const outputs = await (typeof exported === "function" ? exported() : exported);
    return { ...outputs };
  };
  const pulumiCommand = await PulumiCommand.get(process.env.PULUMI_CLI_ROOT ? { root: process.env.PULUMI_CLI_ROOT } : {}).catch((/** @type {any} */ e) => {
    const where = process.env.PULUMI_CLI_ROOT ? `${process.env.PULUMI_CLI_ROOT}/bin` : "PATH";
    // The Automation API's error holds the whole command result; its system error code (ENOENT, EACCES) says it all.
    const text = String(e?.message ?? e);
    const reason = /\b(E[A-Z]{3,})\b/.exec(text)?.[1] ?? text.split("\n")[0];
    throw new Error(`cannot run the pulumi CLI from ${where} (${reason}): put it on PATH or set PULUMI_CLI_ROOT to the folder holding bin/pulumi`);
  });
  const workspace = await LocalWorkspace.create({ workDir: projectDir, program, pulumiCommand });
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
