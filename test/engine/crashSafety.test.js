// Correct under failure (issue: "adoption originals survive crashes"): whatever interrupts an adoption with
// onDelete "restore" — a kill -9 of the CLI (alone, or with its provider processes) after the originals were read or
// after the PUT landed, or a PUT whose answer is lost, truncated, late or a 500 although it applied — destroy must
// put back the share's TRUE original settings, never the declared ones.
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { after, before, test } = require("node:test");
const { ensurePulumiCli } = require("../../scripts/lib/engine");
const { engineFixture, USER_ID } = require("./support");
const { engineProcesses, killEngine, stopLeftRunning, waitFor } = require("./processes");
const { descendants, isAlive } = require("../../scripts/lib/processTree");

const ORIGINAL = { comment: "the true original", extractCode: "Orig1234" };
const DECLARED = { validDays: 3, comment: "declared", extractCode: "Decl4567", onDelete: "restore" };

const PROJECT = "crash";
let f;
before(async () => {
  f = await engineFixture({ projectName: PROJECT });
  f.stack.workspace.envVars.KOODRIVE_TIMEOUT_MS = "3000";
});
after(async () => {
  stopLeftRunning();
  await f.close();
});

/** After a killed CLI: cancel the update if the backend still holds it locked, as a user would (`pulumi cancel`). */
async function unlock() {
  try {
    await f.stack.cancel();
  } catch {
    // nothing to cancel
  }
  const locks = path.join(f.handle.stateDir, ".pulumi", "locks");
  if (fs.existsSync(locks)) fs.rmSync(locks, { recursive: true, force: true });
}

/**
 * Runs one scenario on a fresh share: `interrupt` disturbs the first up; then up again, destroy, and check. After a
 * kill, as the README says: the up warns about the killed run's pending operations (`killed: "pending"`: certainly
 * some, as when the kill came while a create's answer was awaited; `"maybe"`: the engine may have recorded the step
 * before the kill) until a refresh with `--clear-pending-creates` drops them, after which an up is quiet and changes
 * nothing.
 * @param {"pending" | "maybe" | undefined} killed
 */
async function scenario(name, interrupt, killed = undefined) {
  const share = f.emulator.seedShare({ ownerId: USER_ID, ...ORIGINAL, validDays: 20 });
  for (const key of Object.keys(f.desired)) delete f.desired[key];
  f.desired[name] = { shareId: share.shareId, ...DECLARED };
  f.emulator.requests.clear();
  await interrupt(share);
  f.emulator.faults.clear();
  await unlock();
  const rerun = await f.stack.up();
  assert.equal(f.emulator.getShare(share.shareId).comment, "declared");
  if (killed !== undefined) {
    if (killed === "pending")
      assert.match(`${rerun.stdout}\n${rerun.stderr}`, /pending operations/, `${name}: the killed run's pending operations are reported`);
    await f.stack.refresh({ clearPendingCreates: true });
    const quiet = await f.stack.up();
    assert.doesNotMatch(`${quiet.stdout}\n${quiet.stderr}`, /pending operations/, `${name}: no pending operations after the refresh`);
    assert.deepEqual(quiet.summary.resourceChanges, { same: 3 }, `${name}: the stack, the settings and their originals, unchanged`);
  }
  await f.stack.destroy();
  const after = f.emulator.getShare(share.shareId);
  assert.deepEqual({ comment: after.comment, extractCode: after.extractCode }, ORIGINAL, `${name}: destroy restored the true originals`);
  const hoursOff = Math.abs(Date.parse(after.expireTime) - Date.parse(share.expireTime)) / 3.6e6;
  assert.ok(hoursOff < 24, `${name}: restored expiry within a day of the original (off by ${hoursOff.toFixed(1)} h)`);
}

/** The comment the stack's state records for the settings resource `name` (the CLI's export, as a user reads it). */
async function recordedComment(name) {
  const exported = await f.stack.exportStack();
  const resource = exported.deployment.resources?.find((r) => r.urn.endsWith(`::${name}`) && r.type.endsWith(":ShareSettings"));
  return resource?.outputs?.comment;
}

/**
 * Starts `up` in a process of its own (see programs/upToBeKilled.js), waits for `moment`, kills the engine; the
 * interrupted up must fail. Then stops that process, with the program the kill left pending.
 */
async function killDuringUp(moment, what, providersToo) {
  const { workspace } = f.stack;
  // On stdin, not the command line: the workspace's environment holds the stack's passphrase and credentials.
  const request = {
    projectName: PROJECT,
    stackName: f.stack.name,
    workDir: workspace.workDir,
    pulumiHome: workspace.pulumiHome,
    envVars: workspace.envVars,
    cliRoot: ensurePulumiCli(),
    desired: f.desired,
  };
  const upProcess = spawn(process.execPath, [path.join(__dirname, "programs", "upToBeKilled.js")], { stdio: ["pipe", "pipe", "inherit"] });
  /** @type {string | undefined} how the up's process ended, if it did */
  let ended;
  upProcess.on("exit", (code, signal) => {
    ended ??= `exited with ${signal ?? `code ${code}`}`;
  });
  upProcess.on("error", (error) => {
    ended ??= `could not start: ${error.message}`;
  });
  upProcess.stdin.end(JSON.stringify(request));
  let printed = "";
  upProcess.stdout.setEncoding("utf8");
  upProcess.stdout.on("data", (chunk) => {
    printed += chunk;
  });
  /** The up's outcome line, once printed; throws when its process ended without one (its error is on stderr). */
  const outcome = () => {
    if (printed.includes("\n")) return JSON.parse(printed.slice(0, printed.indexOf("\n"))).outcome;
    if (ended !== undefined) throw new Error(`the up's process ${ended} before the up settled`);
    return undefined;
  };
  try {
    await waitFor(
      () => {
        const early = outcome();
        if (early !== undefined) throw new Error(`the up settled (${early}) before ${what}`);
        return moment();
      },
      60_000,
      what,
    );
    const providers = engineProcesses().flatMap((p) => p.providers);
    const killed = killEngine({ providersToo });
    assert.ok(killed.length > 0, "killed the CLI");
    await waitFor(() => outcome() !== undefined, 30_000, "the interrupted up to settle");
    assert.match(outcome(), /^failed/, "the interrupted up did not finish");
    // A provider process whose engine died ends itself within seconds (it checks every 2 s) instead of living on.
    await waitFor(() => providers.every((p) => !isAlive(p)), 20_000, "the provider processes of the killed CLI to exit");
  } finally {
    // Its CLI too, should the test have failed before the kill (the provider processes end with their engine).
    for (const p of descendants(upProcess.pid ?? 0)) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
    upProcess.kill("SIGKILL");
  }
  // An orphaned provider process may still send its request, and one already sent is applied when the emulator's
  // latency has passed even with its sender dead: give it time to land before the rerun (a rerun racing it read a
  // share the in-flight PUT then changed, on a loaded machine).
  await new Promise((r) => setTimeout(r, 3000));
}

const gotOriginals = (share) => () => f.emulator.requests.all().some((r) => r.method === "GET" && r.path.endsWith(share.shareId));
const putApplied = (share) => () => f.emulator.getShare(share.shareId).comment === "declared";

for (const providersToo of [false, true]) {
  const who = providersToo ? "the CLI and its provider processes" : "only the CLI";
  test(`kill -9 of ${who} after the originals were read`, async () => {
    await scenario(
      `afterget${providersToo ? "all" : "cli"}`,
      async (share) => {
        f.emulator.faults.set({ latencyMs: 1500 });
        await killDuringUp(gotOriginals(share), "the originals GET", providersToo);
      },
      "maybe",
    );
  });

  test(`kill -9 of ${who} after the PUT landed, before its answer`, async () => {
    await scenario(
      `afterput${providersToo ? "all" : "cli"}`,
      async (share) => {
        f.emulator.faults.set({ delayAfterApplyNext: 1, afterApplyDelayMs: 2500 });
        await killDuringUp(putApplied(share), "the PUT to apply", providersToo);
      },
      "pending",
    );
  });
}

/** @type {Array<[string, Record<string, number>]>} */
const AFTER_APPLY_FAULTS = [
  ["dropAfterApplyNext", {}],
  ["truncateAfterApplyNext", {}],
  ["failAfterApplyNext", {}],
  ["delayAfterApplyNext", { afterApplyDelayMs: 6000 }],
];
for (const [fault, extra] of AFTER_APPLY_FAULTS) {
  test(`a PUT that applied but whose answer was lost (${fault}) is reconciled: one up converges`, async () => {
    await scenario(fault.toLowerCase(), async (share) => {
      f.emulator.faults.set({ [fault]: 1, ...extra });
      const up = await f.stack.up();
      // Said in the output (the engine tests run with maxRetries 0, so the client prints no retry of its own).
      assert.match(`${up.stdout}\n${up.stderr}`, /koodrive: share \d+: the write's outcome is unknown \(.+\); the share, read back, shows it applied/);
      // A delayed answer is logged only when it is finally sent.
      await waitFor(() => f.puts().length >= 1, 15_000, "the PUT in the request log");
      const puts = f.puts();
      assert.equal(puts.length, 1, "the PUT was not blindly repeated: the share read back showed it applied");
      assert.equal(f.emulator.getShare(share.shareId).comment, "declared");
    });
  });
}

test("an update killed after its PUT landed: refresh marks it, up writes it again, destroy restores the originals", async () => {
  const share = f.emulator.seedShare({ ownerId: USER_ID, ...ORIGINAL, validDays: 20 });
  for (const key of Object.keys(f.desired)) delete f.desired[key];
  f.desired.changed = { shareId: share.shareId, ...DECLARED };
  await f.stack.up();
  // The next up changes the comment; the CLI dies after the PUT landed, so state keeps the first comment (and the
  // first write's updateTime) while the share holds the second.
  f.desired.changed = { ...f.desired.changed, comment: "declared again" };
  f.emulator.faults.set({ delayAfterApplyNext: 1, afterApplyDelayMs: 2500 });
  await killDuringUp(() => f.emulator.getShare(share.shareId).comment === "declared again", "the update's PUT to apply", false);
  f.emulator.faults.clear();
  await unlock();
  // The scenario itself: the kill came before the engine recorded the update (else this tests nothing).
  assert.equal(await recordedComment("changed"), "declared", "the killed up recorded no update");
  // What a pipeline runs next: refresh (the share now holds what the program declares), then up.
  await f.stack.refresh();
  assert.equal(await recordedComment("changed"), "declared again", "refresh recorded what the share holds");
  // Unlike a retain resource's, the change a refresh recorded stays due until an up (README, drift checks).
  // ...naming the resource and why: what a scheduled drift check's log must show.
  const stillDue =
    /no changes were expected[\s\S]*ShareSettings changed updated[\s\S]*share \d+: the share's settings were changed since this resource last applied them/;
  await assert.rejects(f.stack.refresh({ expectNoChanges: true }), stillDue, "the next refresh still reports it");
  f.emulator.requests.clear();
  const up = await f.stack.up();
  assert.equal(up.summary.resourceChanges?.update, 1, `up writes the settings again (it made ${JSON.stringify(up.summary.resourceChanges)})`);
  assert.equal(f.puts().length, 1);
  await f.stack.refresh({ expectNoChanges: true });
  await f.stack.destroy();
  const after = f.emulator.getShare(share.shareId);
  assert.deepEqual({ comment: after.comment, extractCode: after.extractCode }, ORIGINAL, "destroy restored the true originals");
});
