"use strict";
// Every TypeScript snippet in README.md and the examples' READMEs compiles as a file of a user's CommonJS project
// (module node16, strict) against the built package's types: what a reader pastes must work. So do the snippets
// together in the projects `pulumi new typescript` makes, with TypeScript 5 and 6.
const assert = require("node:assert/strict");
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { before, describe, test } = require("node:test");
const { ensureSelfLink, repoRoot } = require("../../scripts/lib/engine");
const { pinnedTool } = require("../support/toolchains");

const documents = [
  "README.md",
  ...fs
    .readdirSync(path.join(repoRoot, "examples"))
    .map((name) => path.join("examples", name, "README.md"))
    .filter((file) => fs.existsSync(path.join(repoRoot, file))),
];

/** @returns {{ id: string, origin: string, code: string }[]} */
function typeScriptSnippets() {
  const snippets = [];
  for (const document of documents) {
    const text = fs.readFileSync(path.join(repoRoot, document), "utf8");
    for (const match of text.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```/gm)) {
      const line = text.slice(0, match.index).split("\n").length;
      snippets.push({ id: `snippet${snippets.length + 1}`, origin: `${document}:${line}`, code: match[1] });
    }
  }
  return snippets;
}

const snippets = typeScriptSnippets();
/** tsc's diagnostics per snippet file. @type {Map<string, string[]>} */
const diagnostics = new Map();

/**
 * Other projects the snippets must compile in, with the tsconfig `pulumi new typescript` writes: the one it wrote
 * until 2024 (module commonjs, resolution node10), which TypeScript 6 refuses, and today's (module nodenext); both
 * without skipLibCheck, so tsc checks every declaration file the package's types reach. And today's with TypeScript 6,
 * what `npm install -D typescript` picks beside @pulumi/pulumi, whose peer dependency allows up to 6.
 */
const TEMPLATE_OPTIONS = {
  strict: true,
  target: "es2020",
  experimentalDecorators: true,
  noFallthroughCasesInSwitch: true,
  noImplicitReturns: true,
  forceConsistentCasingInFileNames: true,
  noEmit: true,
};
const otherProjects = [
  {
    label: "`pulumi new typescript` until 2024, TypeScript 5",
    typescript: "5",
    options: { ...TEMPLATE_OPTIONS, module: "commonjs", moduleResolution: "node" },
  },
  { label: "`pulumi new typescript` today, TypeScript 5", typescript: "5", options: { ...TEMPLATE_OPTIONS, module: "nodenext", moduleResolution: "nodenext" } },
  { label: "`pulumi new typescript` today, TypeScript 6", typescript: "6", options: { ...TEMPLATE_OPTIONS, module: "nodenext", moduleResolution: "nodenext" } },
];
/** tsc's errors and the files it read, per project of {@link otherProjects}. @type {Map<string, { errors: string[], files: string[] }>} */
const otherRuns = new Map();

before(() => {
  ensureSelfLink(); // `pulumi-koodrive` resolves to this checkout's package.json and its exports' types (dist/)
  // Inside the repository, so `pulumi-koodrive` and `@pulumi/pulumi` resolve from its node_modules as installed.
  const project = path.join(repoRoot, ".tools", "readme-snippets");
  fs.rmSync(project, { recursive: true, force: true });
  fs.mkdirSync(project, { recursive: true });
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "readme-snippets", private: true, type: "commonjs" }));
  fs.writeFileSync(
    path.join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: "ES2022",
        module: "node16",
        moduleResolution: "node16",
        esModuleInterop: true,
        types: ["node"],
        noEmit: true,
        skipLibCheck: true,
      },
      include: ["*.ts"],
    }),
  );
  // `export {}` keeps each snippet in its own module scope, as each would be its own file.
  for (const s of snippets) fs.writeFileSync(path.join(project, `${s.id}.ts`), `${s.code}\nexport {};\n`);
  const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", project, "--pretty", "false"], { cwd: project, encoding: "utf8" });
  for (const line of tsc.stdout.split("\n").filter(Boolean)) {
    const file = /(?:^|[\\/])(snippet\d+)\.ts\(/.exec(line)?.[1] ?? "other";
    diagnostics.set(file, [...(diagnostics.get(file) ?? []), line]);
  }
  assert.deepEqual(diagnostics.get("other") ?? [], [], "tsc reported errors outside the snippets");
  const compilers = { 5: require.resolve("typescript/bin/tsc"), 6: pinnedTool("typescript6", path.join(repoRoot, ".tools")).entry };
  for (const [i, other] of otherProjects.entries()) {
    const config = path.join(project, `tsconfig.other${i}.json`);
    fs.writeFileSync(config, JSON.stringify({ compilerOptions: other.options, include: ["*.ts"] }));
    const run = spawnSync(process.execPath, [compilers[other.typescript], "-p", config, "--pretty", "false", "--listFiles"], {
      cwd: project,
      encoding: "utf8",
    });
    otherRuns.set(other.label, {
      errors: run.stdout.split("\n").filter((line) => / error TS\d+:/.test(line)),
      files: run.stdout.split("\n").filter((line) => line.startsWith("/")),
    });
  }
});

for (const other of otherProjects) {
  describe(`the package's types in a project made by ${other.label}`, () => {
    test("compile without errors, the snippets included", () => assert.deepEqual(otherRuns.get(other.label)?.errors, []));
    test("do not reach zod's declarations (the package's public types are zod-free)", () => {
      const files = otherRuns.get(other.label)?.files ?? [];
      assert.ok(files.includes(path.join(fs.realpathSync(repoRoot), "dist", "index.d.ts")), "the package's types were not read");
      assert.deepEqual(
        files.filter((file) => /[\\/]node_modules[\\/]zod[\\/]/.test(file)),
        [],
      );
    });
  });
}

describe("README TypeScript snippets compile in a CommonJS project", () => {
  test("there are snippets to check", () => assert.ok(snippets.length >= 3, `found ${snippets.length}`));
  for (const s of snippets) {
    test(`${s.origin}`, () => {
      assert.deepEqual(diagnostics.get(s.id) ?? [], [], `${s.origin} does not compile:\n${s.code}`);
    });
  }
});

// GitHub's runners made Node 24 the default for JavaScript actions in June 2026, with Node 20's removal to follow: an
// action built for Node 20 then runs on 24 with a deprecation warning in every run. The first major of each
// action the documents use whose action.yml says `using: node24` (read in each action's repository).
const NODE24_SINCE = { "actions/checkout": 5, "actions/setup-node": 5, "actions/upload-artifact": 6, "pulumi/actions": 7 };

test("every action a documented GitHub Actions workflow uses is a release that runs on Node 24", () => {
  const workflows = [...documents, "examples/github-actions/koodrive.yml"];
  // Every `uses:` line, whatever its form: a ref this cannot read (a SHA, a branch, a local action) fails too.
  const uses = workflows.flatMap((file) =>
    [...fs.readFileSync(path.join(repoRoot, file), "utf8").matchAll(/^[\s-]*uses:\s*["']?([^\s"'#]+)/gm)].map((m) => {
      const pinned = /^([\w.-]+\/[\w.-]+)@v(\d+)$/.exec(m[1]);
      return { file, uses: m[1], action: pinned?.[1], major: pinned ? Number(pinned[2]) : undefined };
    }),
  );
  assert.ok(uses.length >= 4, `found ${uses.length} uses: lines`);
  const stale = uses.filter((u) => {
    const since = NODE24_SINCE[/** @type {keyof typeof NODE24_SINCE} */ (u.action ?? "")];
    return since === undefined || u.major === undefined || u.major < since;
  });
  assert.deepEqual(stale, [], "an action below its first Node 24 major (or one not in NODE24_SINCE: check its action.yml and add it)");
});

// A workflow a reader copies installs from the lockfile their first `npm install` wrote, which pins the newest
// @pulumi/pulumi: 3.249 and later need Node 22 (README, Install). One snippet set up Node 20 and failed so.
test("every GitHub Actions workflow in the documents sets up Node 22 or later", () => {
  const workflows = [...documents, "examples/github-actions/koodrive.yml"];
  const versions = workflows.flatMap((file) =>
    [...fs.readFileSync(path.join(repoRoot, file), "utf8").matchAll(/node-version:\s*["']?(\d+)/g)].map((match) => ({ file, major: Number(match[1]) })),
  );
  assert.ok(versions.length >= 2, `found ${versions.length} node-version settings`);
  assert.deepEqual(
    versions.filter((v) => v.major < 22),
    [],
  );
});
