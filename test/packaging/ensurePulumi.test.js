"use strict";
// scripts/ensure-pulumi.sh with fake CLIs and a fake Go toolchain in temp folders: it must never replace or write
// next to a CLI it did not install, and a failed Go build must show the compiler's errors.
const assert = require("node:assert/strict");
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { after, test } = require("node:test");
const { repoRoot } = require("../../scripts/lib/engine");

const script = path.join(repoRoot, "scripts", "ensure-pulumi.sh");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-ensure-pulumi-"));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Writes an executable shell script. */
function writeExecutable(file, body) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

/** A folder holding bin/pulumi that reports `version`, as a user's own CLI installation would. */
function userCliRoot(name, version, { launcher = false } = {}) {
  const root = path.join(scratch, name);
  writeExecutable(path.join(root, "bin", "pulumi"), `echo ${version}`);
  if (launcher) writeExecutable(path.join(root, "bin", "pulumi-resource-pulumi-nodejs"), "exit 0");
  return root;
}

/** Every file under `dir` with its content, to prove a folder was left alone. */
function snapshot(dir) {
  const files = {};
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else files[path.relative(dir, p)] = fs.readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return files;
}

function ensurePulumi(env) {
  const result = spawnSync("bash", [script], { env: { PATH: "/usr/bin:/bin", HOME: scratch, ...env }, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

for (const older of ["v3.100.0", "v3.186.0"]) {
  test(`a CLI older than 3.187 in PULUMI_CLI_ROOT (${older}) is refused, saying why, and left as it is`, () => {
    const root = userCliRoot(`old-cli-${older}`, older);
    const before = snapshot(root);
    const { status, stdout, stderr } = ensurePulumi({ PULUMI_CLI_ROOT: root });
    assert.notEqual(status, 0);
    assert.equal(stdout, "");
    assert.match(
      stderr,
      new RegExp(`holds pulumi ${older.replace(/\./g, "\\.")}, need >= 3\\.187\\.0 \\(.*pulumi/pulumi#20151\\); it is not this script's to replace`),
    );
    assert.deepEqual(snapshot(root), before);
  });
}

test("a CLI of another version (>= 3.187) with the launcher beside it is used as it is", () => {
  const root = userCliRoot("own-cli", "v3.200.0", { launcher: true });
  const before = snapshot(root);
  const { status, stdout, stderr } = ensurePulumi({ PULUMI_CLI_ROOT: root });
  assert.equal(status, 0, stderr);
  assert.equal(stdout, root);
  assert.deepEqual(snapshot(root), before);
});

test("a cached CLI of the script's own keeps its launcher file when it is current, and gets a changed one in one rename", () => {
  // Another checkout sharing the root may be running the launcher: bash reads a script as it goes.
  const root = userCliRoot("owned-cached", "v3.274.1");
  fs.writeFileSync(path.join(root, ".created-by-ensure-pulumi"), "");
  const launcher = path.join(root, "bin", "pulumi-resource-pulumi-nodejs");
  const current = fs.readFileSync(path.join(repoRoot, "node_modules", "@pulumi", "pulumi", "pulumi-resource-pulumi-nodejs"));
  fs.writeFileSync(launcher, "#!/bin/sh\necho an older launcher\n", { mode: 0o755 });
  const older = fs.statSync(launcher);
  const first = ensurePulumi({ PULUMI_CLI_ROOT: root, PULUMI_CLI_VERSION: "v3.274.1" });
  assert.equal(first.status, 0, first.stderr);
  assert.deepEqual(fs.readFileSync(launcher), current);
  const replaced = fs.statSync(launcher);
  assert.notEqual(replaced.ino, older.ino, "replaced by a rename, not rewritten in place");
  assert.ok(replaced.mode & 0o100, "the launcher is executable");
  assert.deepEqual(fs.readdirSync(path.join(root, "bin")).sort(), ["pulumi", "pulumi-resource-pulumi-nodejs"]);
  const second = ensurePulumi({ PULUMI_CLI_ROOT: root, PULUMI_CLI_VERSION: "v3.274.1" });
  assert.equal(second.status, 0, second.stderr);
  const kept = fs.statSync(launcher);
  assert.deepEqual([kept.ino, kept.mtimeMs], [replaced.ino, replaced.mtimeMs], "a current launcher is left alone");
});

test("a CLI of another version without the launcher is linked from a folder of the script's own, not written next to", () => {
  const root = userCliRoot("own-cli-no-launcher", "v3.200.0");
  const before = snapshot(root);
  const { status, stdout, stderr } = ensurePulumi({ PULUMI_CLI_ROOT: root });
  try {
    assert.equal(status, 0, stderr);
    assert.notEqual(stdout, root);
    assert.equal(fs.realpathSync(path.join(stdout, "bin", "pulumi")), fs.realpathSync(path.join(root, "bin", "pulumi")));
    assert.ok(fs.statSync(path.join(stdout, "bin", "pulumi-resource-pulumi-nodejs")).mode & 0o100, "the launcher is executable");
    assert.deepEqual(snapshot(root), before);
  } finally {
    if (stdout.startsWith(path.join(repoRoot, ".tools", "pulumi-linked-"))) fs.rmSync(stdout, { recursive: true, force: true });
  }
});

test("a PULUMI_CLI_ROOT folder without a CLI that the script did not create is not written into", () => {
  const root = path.join(scratch, "someone-elses-folder");
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, "notes.txt"), "mine");
  const { status, stderr } = ensurePulumi({ PULUMI_CLI_ROOT: root, PATH: `${path.join(scratch, "no-go")}:/usr/bin:/bin` });
  assert.notEqual(status, 0);
  assert.match(stderr, /was not created by this script: not writing into it/);
  assert.deepEqual(snapshot(root), { "notes.txt": "mine" });
});

test("a failed Go build shows the compiler's errors, not only an exit code", () => {
  const fakeGo = path.join(scratch, "fake-go", "go");
  writeExecutable(
    fakeGo,
    `case "$1" in
  list) printf 'fmt\\ngithub.com/pulumi/pulumi/pkg/v3/cmd/pulumi\\n' ;;
  build) echo github.com/pulumi/pulumi/sdk/v3/go/common/util/contract
         echo '# github.com/pulumi/pulumi/pkg/v3/backend'
         echo 'backend/backend.go:42:7: undefined: frobnicate' >&2
         exit 1 ;;
  mod) [ "$2" = init ] && echo 'module koodrive.local/pulumi-cli-build' > go.mod; exit 0 ;;
  *) exit 0 ;;
esac`,
  );
  const root = path.join(scratch, "fresh-root");
  const { status, stdout, stderr } = ensurePulumi({ PULUMI_CLI_ROOT: root, PATH: `${path.dirname(fakeGo)}:/usr/bin:/bin` });
  assert.notEqual(status, 0);
  assert.equal(stdout, "");
  assert.match(stderr, /backend\/backend\.go:42:7: undefined: frobnicate/);
  assert.match(stderr, /# github\.com\/pulumi\/pulumi\/pkg\/v3\/backend/);
  assert.doesNotMatch(stderr, /^github\.com\/pulumi\/pulumi\/sdk\/v3\/go\/common\/util\/contract$/m, "package progress lines are not repeated as errors");
  assert.match(stderr, /go build failed with exit code 1 \(full log: /);
});

test("a Go build reports progress as N of M packages, hides module chatter, and installs the launcher", () => {
  const fakeGo = path.join(scratch, "fake-go-ok", "go");
  writeExecutable(
    fakeGo,
    `case "$1" in
  list) i=0; while [ $i -lt 250 ]; do echo "example.com/pkg$i"; i=$((i+1)); done ;;
  get) echo 'go: downloading github.com/pulumi/pulumi/pkg/v3 v3.274.1' >&2 ;;
  build) i=0; while [ $i -lt 230 ]; do echo "example.com/pkg$i" >&2; i=$((i+1)); done
         while [ "$1" != -o ]; do shift; done
         printf '#!/bin/sh\\necho v3.274.1\\n' > "$2"; chmod +x "$2" ;;
  mod) [ "$2" = init ] && echo 'module koodrive.local/pulumi-cli-build' > go.mod; exit 0 ;;
esac`,
  );
  const root = path.join(scratch, "built-root");
  const { status, stdout, stderr } = ensurePulumi({ PULUMI_CLI_ROOT: root, PATH: `${path.dirname(fakeGo)}:/usr/bin:/bin` });
  assert.equal(status, 0, stderr);
  assert.equal(stdout, root);
  assert.match(stderr, /compiling 250 packages/);
  assert.match(stderr, /compiled 100 of 250 packages\n.*compiled 200 of 250 packages\n/);
  assert.doesNotMatch(stderr, /example\.com\/pkg|go: downloading/, "neither package names nor module downloads are printed");
  assert.ok(fs.existsSync(path.join(root, "bin", "pulumi-resource-pulumi-nodejs")));
  // A second run finds its own build and changes nothing.
  const again = ensurePulumi({ PULUMI_CLI_ROOT: root, PATH: "/usr/bin:/bin" });
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /cached: /);
});
