"use strict";
// scripts/pulumi-inline.js refuses what `pulumi` would refuse in a pipeline, before touching any stack.
// (Its engine runs are covered by test/examples, which drive every walkthrough through it.)
const assert = require("node:assert/strict");
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { test } = require("node:test");
const { ensurePulumiCli, repoRoot } = require("../../scripts/lib/engine");

const driver = path.join(repoRoot, "scripts", "pulumi-inline.js");

function run(args, cwd = repoRoot) {
  const result = spawnSync(process.execPath, [driver, ...args], { cwd, encoding: "utf8" });
  return { status: result.status, stderr: result.stderr };
}

test("an unknown command is a usage error naming the commands", () => {
  const { status, stderr } = run(["import"]);
  assert.equal(status, 2);
  assert.match(stderr, /expected one of preview, up, refresh, destroy\nusage: node pulumi-inline\.js/);
});

test("up and destroy without --yes are refused, as pulumi refuses them non-interactively", () => {
  for (const command of ["up", "destroy", "refresh"]) {
    const { status, stderr } = run([command]);
    assert.equal(status, 2);
    assert.match(stderr, new RegExp(`${command} changes the stack: pass --yes`));
  }
});

test("a folder without a program says where it looked", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-inline-"));
  try {
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: empty\nruntime: nodejs\n");
    const { env } = projectEnvironment(dir);
    const result = spawnSync(process.execPath, [driver, "preview"], { cwd: dir, encoding: "utf8", env });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /no program found in \. \(package\.json main, index\.js, index\.ts\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Layouts whose program is elsewhere than a leftover file that must not run (it throws; by default index.js at the
 * top): each names the program where Pulumi's language host looks for it (sdk/nodejs/cmd/run/run.ts).
 * @type {Array<{ layout: string, pulumiYaml?: string, packageJson: Record<string, unknown>, file: string, decoy?: string }>}
 */
const entryLayouts = [
  { layout: "Pulumi.yaml main with a comment", pulumiYaml: "main: src/ # the program\n", packageJson: {}, file: "src/index.js" },
  {
    layout: "Pulumi.yaml main over package.json main",
    pulumiYaml: "main: src/\n",
    packageJson: { main: "lib/index.js" },
    file: "src/index.js",
    decoy: "lib/index.js",
  },
  { layout: "package.json main without an extension", packageJson: { main: "src/index" }, file: "src/index.js" },
  { layout: "package.json exports (before main)", packageJson: { exports: "./src/main.js", main: "index.js" }, file: "src/main.js" },
  { layout: 'package.json exports["."].require', packageJson: { exports: { ".": { require: "./src/main.js" } } }, file: "src/main.js" },
  {
    layout: 'package.json exports["."]: default, then require, then import',
    packageJson: { exports: { ".": { import: "./lib/index.js", require: "./src/main.js" } } },
    file: "src/main.js",
    decoy: "lib/index.js",
  },
  {
    layout: "an ES module package whose exports name no entry: the folder's index.js, not package.json main",
    packageJson: { type: "module", exports: { "./util": "./util.js" }, main: "lib/index.js" },
    file: "index.js",
    decoy: "lib/index.js",
  },
  { layout: "a TypeScript main without an extension", packageJson: { main: "src/index" }, file: "src/index.ts" },
];
for (const { layout, pulumiYaml, packageJson, file, decoy = "index.js" } of entryLayouts) {
  test(`the program is found where pulumi finds it, not a leftover file (${layout})`, { timeout: 300_000 }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-inline-"));
    try {
      fs.mkdirSync(path.join(dir, "state"));
      for (const folder of ["src", "lib"]) fs.mkdirSync(path.join(dir, folder));
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: layout\nruntime: nodejs\n${pulumiYaml ?? ""}`);
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "layout", ...packageJson }));
      fs.writeFileSync(path.join(dir, decoy), `throw new Error("the leftover ${decoy} ran");\n`);
      const marker = JSON.stringify(path.join(dir, "ran"));
      const program =
        packageJson.type === "module"
          ? `import fs from "node:fs";\nfs.writeFileSync(${marker}, ${JSON.stringify(file)});\n`
          : `require("node:fs").writeFileSync(${marker}, ${JSON.stringify(file)});\nmodule.exports = {};\n`;
      fs.writeFileSync(path.join(dir, file), program);
      const preview = devStack(dir).inline(["preview"]);
      assert.equal(preview.status, 0, `${preview.stdout}\n${preview.stderr}`);
      assert.equal(fs.readFileSync(path.join(dir, "ran"), "utf8"), file);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("a project whose packages are not installed, or no pulumi CLI, is said so with the fix, not as Node's bare error", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-inline-"));
  try {
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: bare\nruntime: nodejs\nmain: index.ts\n");
    fs.writeFileSync(path.join(dir, "index.ts"), "export {};\n");
    const uninstalled = run(["preview"], dir);
    assert.equal(uninstalled.status, 1);
    assert.equal(uninstalled.stderr.trim(), `pulumi-inline: @pulumi/pulumi is not installed in ${dir}: run npm install there first`);
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
    const noCli = spawnSync(process.execPath, [driver, "preview"], { cwd: dir, encoding: "utf8", env: { ...process.env, PULUMI_CLI_ROOT: dir } });
    assert.equal(noCli.status, 1);
    assert.match(
      noCli.stderr,
      new RegExp(
        `^pulumi-inline: cannot run the pulumi CLI from ${dir}/bin \\(ENOENT\\): put it on PATH or set PULUMI_CLI_ROOT to the folder holding bin/pulumi\n$`,
      ),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a stack that does not exist is named in the error, as pulumi names it", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-inline-"));
  try {
    fs.mkdirSync(path.join(dir, "state"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: nostack\nruntime: nodejs\nmain: index.js\n");
    fs.writeFileSync(path.join(dir, "index.js"), "module.exports = {};\n");
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules")); // the project's own @pulumi/pulumi
    const env = {
      ...process.env,
      PULUMI_CLI_ROOT: process.env.PULUMI_CLI_ROOT ?? ensurePulumiCli(),
      PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
      PULUMI_HOME: path.join(dir, "home"),
      PULUMI_CONFIG_PASSPHRASE: "x",
    };
    const result = spawnSync(process.execPath, [driver, "preview", "--stack", "nosuch"], { cwd: dir, encoding: "utf8", env });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^pulumi-inline: [\s\S]*no stack named 'nosuch' found/m);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * A project folder's packages (this repository's, @pulumi/pulumi among them) and the environment its runs get: the
 * built CLI, a file backend and a PULUMI_HOME inside the folder.
 * @param {string} dir
 */
function projectEnvironment(dir) {
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules")); // the project's own @pulumi/pulumi
  const cliRoot = process.env.PULUMI_CLI_ROOT ?? ensurePulumiCli();
  const env = {
    ...process.env,
    PULUMI_CLI_ROOT: cliRoot,
    PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
    PULUMI_HOME: path.join(dir, "home"),
    PULUMI_CONFIG_PASSPHRASE: "x",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  return { cliRoot, env };
}

/**
 * {@link projectEnvironment} with a stack `dev` made and selected, and a way to run the script there.
 * @param {string} dir
 */
function devStack(dir) {
  const { cliRoot, env } = projectEnvironment(dir);
  const pulumi = path.join(cliRoot, "bin", "pulumi");
  spawnSync(pulumi, ["stack", "init", "dev", "--non-interactive"], { cwd: dir, env, encoding: "utf8" });
  /** @param {string[]} args */
  const inline = (args) => spawnSync(process.execPath, [driver, ...args], { cwd: dir, encoding: "utf8", env });
  return { pulumi, env, inline };
}

test("an ES-module program with top-level await runs, afresh on each operation", { timeout: 300_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-inline-"));
  try {
    fs.mkdirSync(path.join(dir, "state"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: esm\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "esm", type: "module", main: "index.js" }));
    // What a lookup before the resources looks like: top-level await, which require() cannot load.
    fs.writeFileSync(
      path.join(dir, "index.js"),
      `import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
const looked = await Promise.resolve("looked up");
fs.appendFileSync(${JSON.stringify(path.join(dir, "runs.log"))}, "run\\n");
new pulumi.dynamic.Resource({ async create(inputs) { return { id: "x", outs: inputs }; } }, "thing", { looked });
export const result = looked;
`,
    );
    const { pulumi, env, inline } = devStack(dir);
    for (const args of [["preview"], ["up", "--yes"]]) {
      const result = inline(args);
      assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    }
    assert.equal(fs.readFileSync(path.join(dir, "runs.log"), "utf8"), "run\n".repeat(2), "the program ran once per operation");
    const output = spawnSync(pulumi, ["stack", "output", "result"], { cwd: dir, env, encoding: "utf8" });
    assert.equal(output.stdout.trim(), "looked up");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** @type {Array<{ kind: string, packageJson: Record<string, string>, source: string }>} */
const functionPrograms = [
  {
    kind: "an ES module's default export",
    packageJson: { type: "module" },
    source: `import * as pulumi from "@pulumi/pulumi";
export default async function () {
  new pulumi.dynamic.Resource({ async create(inputs) { return { id: "x", outs: inputs }; } }, "thing", { n: 1 });
  return { result: "ran" };
}
`,
  },
  {
    kind: "CommonJS module.exports",
    packageJson: {},
    source: `const pulumi = require("@pulumi/pulumi");
module.exports = async () => {
  new pulumi.dynamic.Resource({ async create(inputs) { return { id: "x", outs: inputs }; } }, "thing", { n: 1 });
  return { result: "ran" };
};
`,
  },
];
for (const { kind, packageJson, source } of functionPrograms) {
  test(`a program exported as a function (${kind}) is run, as Pulumi's language host runs it`, { timeout: 300_000 }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-inline-"));
    try {
      fs.mkdirSync(path.join(dir, "state"));
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: fn\nruntime: nodejs\n");
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "fn", main: "index.js", ...packageJson }));
      fs.writeFileSync(path.join(dir, "index.js"), source);
      const { pulumi, env, inline } = devStack(dir);
      const up = inline(["up", "--yes"]);
      assert.equal(up.status, 0, `${up.stdout}\n${up.stderr}`);
      assert.match(up.stdout, /pulumi-inline: up dev: \{"create":2\}/, "the stack and the function's resource");
      assert.equal(spawnSync(pulumi, ["stack", "output", "result"], { cwd: dir, env, encoding: "utf8" }).stdout.trim(), "ran");
      // The next run finds the resource declared again: nothing to delete.
      const again = inline(["preview"]);
      assert.match(again.stdout, /pulumi-inline: preview dev: \{"same":2\}/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("a program whose export is an Output gives its fields as stack outputs, as under pulumi", { timeout: 300_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-inline-"));
  try {
    fs.mkdirSync(path.join(dir, "state"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: out\nruntime: nodejs\nmain: index.js\n");
    fs.writeFileSync(
      path.join(dir, "index.js"),
      'const pulumi = require("@pulumi/pulumi");\nmodule.exports = pulumi.output({ url: "https://example.test", count: 2 });\n',
    );
    const { pulumi, env, inline } = devStack(dir);
    const up = inline(["up", "--yes"]);
    assert.equal(up.status, 0, `${up.stdout}\n${up.stderr}`);
    const outputs = spawnSync(pulumi, ["stack", "output", "--json"], { cwd: dir, env, encoding: "utf8" });
    assert.deepEqual(JSON.parse(outputs.stdout), { url: "https://example.test", count: 2 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a TypeScript program whose only export is `export default` of a function is refused, not run as an empty program", { timeout: 300_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-inline-"));
  try {
    fs.mkdirSync(path.join(dir, "state"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: tsdefault\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "tsdefault" }));
    const body = `new pulumi.dynamic.Resource({ async create(inputs: any) { return { id: "x", outs: inputs }; } }, "thing", { n: 1 });`;
    fs.writeFileSync(path.join(dir, "index.ts"), `import * as pulumi from "@pulumi/pulumi";\nexport = async () => {\n  ${body}\n};\n`);
    const { pulumi, env, inline } = devStack(dir);
    const up = inline(["up", "--yes"]);
    assert.equal(up.status, 0, `${up.stdout}\n${up.stderr}`);
    // The same program as \`export default\`: compiled to CommonJS, the language host would not call it (and delete the resource).
    fs.writeFileSync(path.join(dir, "index.ts"), `import * as pulumi from "@pulumi/pulumi";\nexport default async () => {\n  ${body}\n};\n`);
    const again = inline(["up", "--yes"]);
    assert.equal(again.status, 1);
    assert.match(
      again.stdout + again.stderr,
      /index\.ts is a CommonJS module whose only export is `export default` of a function[^\n]*Write `export = async \(\) => \{ \.\.\. \}` instead/,
    );
    assert.doesNotMatch(again.stdout, /deleted/);
    const state = spawnSync(pulumi, ["stack", "--show-urns"], { cwd: dir, env, encoding: "utf8" });
    assert.match(state.stdout, /::thing\b/, "the resource is still in the stack");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Starts `up` of eight slow dynamic resources through the script, signals it with `signalIt` once it is creating, and
 * checks it stopped as `pulumi` does: the creates under way finished and were saved (no pending operation), the
 * stack is not locked.
 * @param {(up: import("node:child_process").ChildProcess) => void} signalIt
 * @param {boolean} ownGroup whether the script runs in its own process group (then `signalIt` may signal the group)
 */
async function stopsMidCreate(signalIt, ownGroup) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-inline-"));
  try {
    fs.mkdirSync(path.join(dir, "state"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: slow\nruntime: nodejs\nmain: index.js\n");
    // Eight dynamic resources whose create takes 4 s each: the signal comes while they are being created.
    fs.writeFileSync(
      path.join(dir, "index.js"),
      `const pulumi = require("@pulumi/pulumi");
const slow = { async create(inputs) { await new Promise((r) => setTimeout(r, 4000)); return { id: String(inputs.n), outs: inputs }; } };
for (let n = 0; n < 8; n++) new pulumi.dynamic.Resource(slow, "slow-" + n, { n }, {});
module.exports = {};
`,
    );
    const { cliRoot, env } = projectEnvironment(dir);
    const pulumi = path.join(cliRoot, "bin", "pulumi");
    spawnSync(pulumi, ["stack", "init", "ci", "--non-interactive"], { cwd: dir, env, encoding: "utf8" });
    const up = spawn(process.execPath, [driver, "up", "--yes"], { cwd: dir, env, detached: ownGroup });
    let output = "";
    up.stdout.on("data", (chunk) => (output += chunk));
    up.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise((resolve) => up.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 120_000;
    while (!/slow-\d+ creating/.test(output)) {
      assert.ok(Date.now() < deadline, `the up started creating:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    signalIt(up);
    assert.equal(await exited, 130, output);
    assert.match(output, /pulumi-inline: SIGTERM: asking the pulumi CLI to stop/);
    assert.match(output, /pulumi-inline: stopped by SIGTERM/);
    assert.match(output, /received; cancelling/, "the CLI got one signal, and cancelled");
    assert.doesNotMatch(output, /received; terminating/, "a second signal would have made the CLI abandon the creates under way");
    const state = JSON.parse(spawnSync(pulumi, ["stack", "export", "--stack", "ci"], { cwd: dir, env, encoding: "utf8" }).stdout);
    assert.deepEqual(state.deployment.pending_operations ?? [], [], "the creates under way finished and were saved");
    // Not locked: the next run goes ahead, and finishes what the stopped one left.
    const next = spawnSync(process.execPath, [driver, "up", "--yes"], { cwd: dir, env, encoding: "utf8" });
    assert.equal(next.status, 0, `${next.stdout}\n${next.stderr}`);
    assert.doesNotMatch(next.stderr, /locked/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test(
  "SIGTERM to the script alone (a cancelled CI job, docker stop) stops the operation the way pulumi does: the stack is saved and left unlocked",
  { timeout: 300_000 },
  () => stopsMidCreate((up) => up.kill("SIGTERM"), false),
);

test(
  "SIGTERM to its whole process group (timeout(1), a terminal's Ctrl-C) reaches the CLI once, not twice: nothing under way is abandoned",
  { timeout: 300_000 },
  () => stopsMidCreate((up) => process.kill(-(/** @type {number} */ (up.pid)), "SIGTERM"), true),
);
