"use strict";
// examples/github-actions as a user adopts it: examples/basic copied out as "the user's repository" (installed from
// its own package.json with the packed package), koodrive-pipeline.sh copied to ci/, then every `run:` step of
// koodrive.yml executed in order with the step's env, the official `pulumi` CLI on PATH and the emulator the package
// ships. Only `pulumi preview|up` differ from a GitHub runner: PULUMI_ENGINE sends them through
// scripts/pulumi-inline.js (the Automation API), because the test machines have no Node language host.
const assert = require("node:assert/strict");
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const { after, before, test } = require("node:test");
const { repoRoot } = require("../../scripts/lib/engine");
const { assertEmulatorCanStart, installExample, packPackage, runShell, userShellEnv } = require("./userProject");

const exampleDir = path.join(repoRoot, "examples", "github-actions");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-actions-"));
let project;
let env;
/** The packed packages, for the projects each test installs. */
let tarballs;

/** The `run:` steps of the workflow, in order, each with its `env:` (GitHub expressions left as written). */
function workflowRunSteps(yamlText) {
  /** @type {{ run: string | undefined, env: Record<string, string> }[]} */
  const steps = [];
  /** @type {{ run: string | undefined, env: Record<string, string> } | undefined} */
  let current;
  let inEnv = false;
  for (const line of yamlText.split("\n")) {
    const stepStart = /^\s*- (name|uses|run):\s*(.*)$/.exec(line);
    if (stepStart) {
      current = { run: undefined, env: {} };
      steps.push(current);
      inEnv = false;
    }
    const run = /^\s*-?\s*run:\s*(.+)$/.exec(line);
    if (run && current) current.run = run[1].trim();
    if (/^\s+env:\s*$/.exec(line)) inEnv = true;
    else if (inEnv && current) {
      const pair = /^\s{10,}([A-Z_][A-Z0-9_]*):\s*(.+)$/.exec(line);
      if (pair) current.env[pair[1]] = pair[2].trim();
      else inEnv = false;
    }
  }
  return steps.filter((s) => s.run !== undefined);
}

before(() => {
  tarballs = packPackage(scratch);
  project = installExample("basic", scratch, tarballs);
  fs.mkdirSync(path.join(project, "ci"));
  fs.copyFileSync(path.join(exampleDir, "koodrive-pipeline.sh"), path.join(project, "ci", "koodrive-pipeline.sh"));
  env = {
    ...userShellEnv(fs.mkdtempSync(path.join(scratch, "home-"))),
    PULUMI_ENGINE: `node ${path.join(repoRoot, "scripts", "pulumi-inline.js")}`,
    // The pipeline's temp folders and lock files go where this test removes them.
    TMPDIR: scratch,
  };
  assertEmulatorCanStart(project, env);
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

test("koodrive.yml's run steps, in order: preview, up, fault, converging up; the emulator is stopped", { timeout: 900_000 }, () => {
  const steps = workflowRunSteps(fs.readFileSync(path.join(exampleDir, "koodrive.yml"), "utf8"));
  assert.deepEqual(
    steps.map((s) => s.run),
    ["npm ci", "bash ci/koodrive-pipeline.sh ."],
  );
  const runnerTemp = fs.mkdtempSync(path.join(scratch, "runner-temp-"));
  let output = "";
  for (const step of steps) {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JavaScript template
    const stepEnv = Object.fromEntries(Object.entries(step.env).map(([k, v]) => [k, v.replace("${{ runner.temp }}", runnerTemp)]));
    const result = runShell(step.run, { cwd: project, env: { ...env, ...stepEnv } });
    output += result.output;
    assert.equal(result.status, 0, `step "${step.run}" failed:\n${result.output}`);
  }
  const headers = [...output.matchAll(/^==> (.*)$/gm)].map((m) => m[1]);
  assert.deepEqual(headers, [
    "start the KooDrive emulator",
    "local backend, passphrase and stack emulator-ci",
    "connection config for the emulator",
    "the project's own config",
    "seed the shares the project manages",
    "pulumi preview",
    "pulumi up",
    "inject a fault: the next 2 KooDrive requests fail with 503",
    "pulumi up --refresh: reads every share through the faults and converges",
    "done: the stack converged against the emulator",
  ]);
  const results = [...output.matchAll(/^pulumi-inline: (\w+) emulator-ci: (\{.*\})$/gm)].map((m) => [m[1], JSON.parse(m[2])]);
  assert.deepEqual(results, [
    ["preview", { create: 2 }],
    ["up", { create: 2 }],
    ["up", { same: 2 }],
    ["preview", { same: 2 }],
  ]);
  const log = fs.readFileSync(path.join(runnerTemp, "koodrive", "emulator.log"), "utf8");
  assert.match(log, /\b503\b/, `the emulator's request log shows the injected failures:\n${log}`);
  const pidFile = path.join(runnerTemp, "koodrive", "emulator.pid");
  assert.equal(fs.existsSync(pidFile) && isRunning(Number(fs.readFileSync(pidFile, "utf8"))), false, "the emulator was stopped");
  assert.equal(fs.existsSync(path.join(project, "Pulumi.emulator-ci.yaml")), false, "the run's stack settings file is removed with it");

  // A rerun in the same checkout and scratch folder (a retried job, a second local run) starts cleanly.
  const last = steps[steps.length - 1];
  const rerun = runShell(last.run ?? "", { cwd: project, env: { ...env, KOODRIVE_CI_DIR: path.join(runnerTemp, "koodrive") } });
  assert.equal(rerun.status, 0, `the rerun failed:\n${rerun.output}`);
  assert.match(rerun.output, /==> done: the stack converged against the emulator/);
});

// Each example with a ci-config.sh, as a user copies that folder: its program requires config of its own.
for (const example of ["many-shares", "create-shares"]) {
  test(`${example}: a project whose program requires config of its own sets it in ci-config.sh, from the job's environment`, { timeout: 900_000 }, () => {
    const copied = installExample(example, scratch, tarballs);
    fs.mkdirSync(path.join(copied, "ci"));
    fs.copyFileSync(path.join(exampleDir, "koodrive-pipeline.sh"), path.join(copied, "ci", "koodrive-pipeline.sh"));
    // Without the secret in the job's environment the pipeline stops before anything is applied, saying what to set.
    const missing = runShell("bash ci/koodrive-pipeline.sh .", {
      cwd: copied,
      env: { ...env, KOODRIVE_CI_DIR: fs.mkdtempSync(path.join(scratch, `${example}-`)) },
    });
    assert.notEqual(missing.status, 0, missing.output);
    assert.match(missing.output, /set Q3_REPORT_CODE \(the access code for the q3-report share\) in the job environment/);
    assert.doesNotMatch(missing.output, /==> pulumi up/);
    const ciDir = fs.mkdtempSync(path.join(scratch, `${example}-`));
    // One of them against the leanest answers KooDrive's pages show, as the README advises.
    const answers = example === "create-shares" ? "lean" : "full";
    const result = runShell("bash ci/koodrive-pipeline.sh .", {
      cwd: copied,
      env: { ...env, KOODRIVE_CI_DIR: ciDir, Q3_REPORT_CODE: "Ci9Secrt", EMULATOR_ANSWERS: answers },
    });
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, new RegExp(`listening on http://\\S+ \\(answers: ${answers};`));
    assert.match(result.output, /==> done: the stack converged against the emulator/);
    assert.doesNotMatch(result.output, /Ci9Secrt/, "the access code from the job's environment is never printed");
    const log = fs.readFileSync(path.join(ciDir, "emulator.log"), "utf8");
    assert.doesNotMatch(log, /Ci9Secrt/);
  });
}

test("an emulator that cannot start fails the pipeline within its timeout, with the reason, and leaves nothing running", { timeout: 120_000 }, async () => {
  const busy = net.createServer();
  await new Promise((resolve) => busy.listen(0, "127.0.0.1", () => resolve(undefined)));
  const port = /** @type {net.AddressInfo} */ (busy.address()).port;
  try {
    const ciDir = fs.mkdtempSync(path.join(scratch, "busy-"));
    const started = Date.now();
    const result = runShell("bash ci/koodrive-pipeline.sh .", {
      cwd: project,
      env: { ...env, KOODRIVE_CI_DIR: ciDir, EMULATOR_PORT: String(port), EMULATOR_READY_TIMEOUT: "10" },
      timeoutMs: 60_000,
    });
    assert.notEqual(result.status, 0, result.output);
    assert.ok(Date.now() - started < 30_000, "it gave up quickly");
    assert.match(result.output, /EADDRINUSE|address already in use/i, "the reason is shown");
    assert.doesNotMatch(result.output, /==> pulumi preview/, "nothing ran against an emulator that is not there");
    const pidFile = path.join(ciDir, "emulator.pid");
    assert.equal(fs.existsSync(pidFile) && isRunning(Number(fs.readFileSync(pidFile, "utf8"))), false, "no emulator left running");
  } finally {
    busy.close();
  }
});

test("an emulator command that cannot start (a flag put before start) fails with its own reason, not a failed stop", { timeout: 120_000 }, () => {
  const ciDir = fs.mkdtempSync(path.join(scratch, "badcommand-"));
  const result = runShell("bash ci/koodrive-pipeline.sh .", {
    cwd: project,
    env: { ...env, KOODRIVE_CI_DIR: ciDir, KOODRIVE_EMULATOR: "npx --no-install koodrive-emulator --edition enterprise" },
    timeoutMs: 60_000,
  });
  assert.notEqual(result.status, 0, result.output);
  assert.match(result.output, /Unexpected argument 'start'/, "the emulator's own reason is shown");
  assert.doesNotMatch(result.output, /stopping the emulator failed/, "no emulator was started, so none failed to stop");
});

test("a rerun after a killed run stops the emulator it left and starts a fresh log; job credentials and a job-wide proxy meant for KooDrive never reach the emulator run", {
  timeout: 900_000,
}, () => {
  const ciDir = fs.mkdtempSync(path.join(scratch, "killed-"));
  // What a run killed before its trap leaves: its emulator, still running, with its pid file.
  const left = runShell(`npx --no-install koodrive-emulator start --pid-file ${ciDir}/emulator.pid --port 0 --token stale-run-token`, { cwd: project, env });
  assert.equal(left.status, 0, left.output);
  const stalePid = Number(fs.readFileSync(path.join(ciDir, "emulator.pid"), "utf8"));
  assert.ok(isRunning(stalePid));
  // Its log too: a failure of this run must show this run's requests, not the earlier run's.
  fs.writeFileSync(path.join(ciDir, "emulator.log"), "an earlier run's request line\n");
  const result = runShell("bash ci/koodrive-pipeline.sh .", {
    cwd: project,
    env: {
      ...env,
      KOODRIVE_CI_DIR: ciDir,
      KOODRIVE_ACCESS_TOKEN: "RealProdToken0123",
      KOODRIVE_ENDPOINT: "http://127.0.0.1:9",
      // A self-hosted runner's proxy, with no NO_PROXY for loopback: it cannot reach the emulator on this machine.
      // (Pulumi's own gRPC between program and engine would use it too; only gRPC's exemption is set, so what is
      // tested is the provider's connection to the emulator.)
      HTTP_PROXY: "http://127.0.0.1:9",
      http_proxy: "http://127.0.0.1:9",
      NO_PROXY: "",
      no_proxy: "",
      no_grpc_proxy: "127.0.0.1,localhost",
    },
  });
  assert.equal(result.status, 0, result.output);
  assert.match(result.output, /==> done: the stack converged against the emulator/);
  assert.equal(isRunning(stalePid), false, "the earlier run's emulator was stopped");
  assert.doesNotMatch(result.output, /RealProdToken0123/);
  const log = fs.readFileSync(path.join(ciDir, "emulator.log"), "utf8");
  assert.doesNotMatch(log, /RealProdToken0123/);
  assert.doesNotMatch(log, /an earlier run's request line/);
});

test("a second run on the same scratch folder fails at once, saying why, and leaves the first alone", { timeout: 120_000 }, async () => {
  const ciDir = fs.mkdtempSync(path.join(scratch, "locked-"));
  // The first run holds the scratch folder's lock while it runs; flock stands in for it.
  const first = spawn("flock", [path.join(ciDir, ".lock"), "sleep", "30"], { stdio: "ignore" });
  try {
    const deadline = Date.now() + 10_000;
    while (!fs.existsSync(path.join(ciDir, ".lock"))) {
      assert.ok(Date.now() < deadline, "flock took the lock");
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    const second = runShell("bash ci/koodrive-pipeline.sh .", { cwd: project, env: { ...env, KOODRIVE_CI_DIR: ciDir }, timeoutMs: 60_000 });
    assert.notEqual(second.status, 0, second.output);
    assert.match(second.output, /another run is using .* \(KOODRIVE_CI_DIR\): give each concurrent run its own/);
    assert.doesNotMatch(second.output, /==> start the KooDrive emulator/);
    assert.equal(first.exitCode, null, "the first run is untouched");
  } finally {
    first.kill();
  }
});

test("a second run on the same project folder and stack, with its own scratch folder, fails at once; the first completes", { timeout: 900_000 }, async () => {
  const first = spawn("bash", ["ci/koodrive-pipeline.sh", "."], {
    cwd: project,
    env: { ...env, KOODRIVE_CI_DIR: fs.mkdtempSync(path.join(scratch, "first-")) },
  });
  let firstOutput = "";
  first.stdout.on("data", (chunk) => (firstOutput += chunk));
  first.stderr.on("data", (chunk) => (firstOutput += chunk));
  const firstExited = new Promise((resolve) => first.on("exit", (code) => resolve(code)));
  try {
    const deadline = Date.now() + 120_000;
    while (!/==> start the KooDrive emulator/.test(firstOutput)) {
      assert.ok(Date.now() < deadline, `the first run started:\n${firstOutput}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const second = runShell("bash ci/koodrive-pipeline.sh .", {
      cwd: project,
      env: { ...env, KOODRIVE_CI_DIR: fs.mkdtempSync(path.join(scratch, "second-")) },
      timeoutMs: 60_000,
    });
    assert.notEqual(second.status, 0, second.output);
    assert.match(second.output, /another run is using stack emulator-ci of .*: give each concurrent run its own PULUMI_STACK/);
    assert.equal(await firstExited, 0, firstOutput);
    assert.match(firstOutput, /==> done: the stack converged against the emulator/);
  } finally {
    // A failing assertion must not leave the first run going (its trap stops its emulator on SIGTERM).
    if (first.exitCode === null && first.signalCode === null) {
      first.kill("SIGTERM");
      await firstExited;
    }
  }
});

/** @param {number} pid */
function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
