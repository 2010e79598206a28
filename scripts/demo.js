// npm run demo: the whole lifecycle of a KooDrive share's settings on the real Pulumi engine, offline, against the
// koodrive-emulator CLI. Every step says what it expects; the demo exits non-zero at the first step that does not
// behave as stated.
"use strict";
const { spawn } = require("node:child_process");
const crypto = require("node:crypto");
const path = require("node:path");
const readline = require("node:readline");
const { ensurePulumiCli, ensureSelfLink, openStack, repoRoot, shiftedClockNodeOptions } = require("./lib/engine");
const { stopStrays } = require("./lib/processTree");

const USER_ID = "1505084218764547200";
const TOKEN = crypto.randomBytes(16).toString("hex");
const PROJECT = "koodrive-demo";
const DAY_MS = 24 * 60 * 60 * 1000;

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
let stepNo = 0;
const TOTAL_STEPS = 11;

/** What an interrupted demo must clean up: its stack's scratch folder (state, Pulumi home). */
/** @type {{ handle?: { remove(): Promise<void> } }} */
const running = {};
/** The signal that interrupted the demo, if one did. */
let interruptedBy = "";

/**
 * Engine output lines that only a machine needs (progress dots, URNs) or advice the demo makes moot (it removes its
 * stack itself, so `pulumi stack rm` is never needed).
 */
const NOISE = [
  /^@ [a-z ]+\.*\s*$/,
  /^\s*\[urn=[^\]]*\]\s*$/,
  /^The resources in the stack have been deleted, but the history/,
  /^If you want to remove the stack completely/,
];

/** Passes engine output on line by line, without NOISE. Call flush() after the operation. */
function readableOutput(write) {
  let pending = "";
  const emit = (line) => {
    if (!NOISE.some((pattern) => pattern.test(line))) write(`${line}\n`);
  };
  const onOutput = (chunk) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    lines.forEach(emit);
  };
  onOutput.flush = () => {
    if (pending) emit(pending);
    pending = "";
  };
  return onOutput;
}

const show = readableOutput((text) => process.stdout.write(text));

async function step(title, body) {
  if (interruptedBy !== "") throw new Error(`interrupted by ${interruptedBy}`);
  stepNo += 1;
  console.log(`\n${bold(`━━ Step ${stepNo}/${TOTAL_STEPS}: ${title}`)}`);
  try {
    await body();
  } finally {
    show.flush();
  }
}

function expect(condition, message) {
  show.flush();
  if (!condition) throw new Error(`step ${stepNo} did not behave as stated: ${message}`);
  console.log(`   ✔ ${message}`);
}

async function startEmulator() {
  const child = spawn(process.execPath, [path.join(path.dirname(require.resolve("koodrive-emulator/package.json")), "dist/cli.js"), "--port", "0"], {
    env: { ...process.env, KOODRIVE_EMULATOR_TOKEN: TOKEN },
    stdio: ["ignore", "pipe", "inherit"],
  });
  /** @type {string} */
  const line = await new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`koodrive-emulator exited with ${code}`)));
    readline.createInterface({ input: child.stdout }).once("line", resolve);
  });
  const url = /(http:\/\/\S+)/.exec(line)?.[1];
  if (!url) throw new Error(`koodrive-emulator did not say where it listens: ${line}`);
  /** The emulator's admin API (no auth). @returns {Promise<any>} the JSON answer, undefined for 204 */
  const admin = async (/** @type {string} */ method, /** @type {string} */ p, /** @type {unknown} */ body = undefined) => {
    const res = await fetch(`${url}${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return res.status === 204 ? undefined : res.json();
  };
  return { url, admin, line, stop: () => child.kill("SIGTERM") };
}

/**
 * Ctrl-C (or a CI job's SIGTERM): stop every process the demo started (the engine, its provider processes, the
 * emulator), remove the demo's stack folder, and exit 130. Without this, Node exits at once and leaves a provider
 * process and the folder behind.
 */
async function interrupt(signal) {
  if (interruptedBy !== "") return;
  interruptedBy = signal;
  console.error(`\nDemo interrupted (${signal}): stopping the engine and the emulator, removing the demo's stack`);
  await stopStrays({ graceMs: 2000 });
  if (running.handle) await Promise.race([running.handle.remove(), new Promise((r) => setTimeout(r, 15_000))]);
  // Again: an operation the demo's own step had queued may have started a CLI after the first sweep.
  await stopStrays({ graceMs: 2000 });
  // The engine's own complaints about being stopped come last otherwise; this says the clean-up is done.
  console.error(`Demo stopped (${signal}): the engine and the emulator are stopped and the demo's stack is removed.`);
  process.exit(130);
}

async function main() {
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => void interrupt(signal));
  const startedAt = Date.now();
  console.log(bold("Pulumi CLI (built from the Go module proxy the first time, then cached):"));
  console.log(`   ${ensurePulumiCli()}/bin/pulumi`);
  ensureSelfLink();
  const { KooDriveClient } = require(repoRoot);
  const emulator = await startEmulator();
  let handle;
  try {
    console.log(bold(`KooDrive emulator: ${emulator.line}`));
    const puts = async () => (await emulator.admin("GET", "/__admin/requests")).requests.filter((r) => r.method === "PUT");
    const clearLog = () => emulator.admin("DELETE", "/__admin/requests");

    /** @type {{ shareId: string, linkUrl: string }} */
    let share = { shareId: "", linkUrl: "" };
    /** When the share was to expire before Pulumi managed it: what destroy restores. */
    let originalExpiry = 0;
    await step("create a share through the KooDrive API (as a user would in the app)", async () => {
      const client = new KooDriveClient({
        endpoint: emulator.url,
        userId: USER_ID,
        agentName: "demo-carrier",
        auth: { kind: "token", accessToken: TOKEN },
        timeoutMs: 10000,
        maxRetries: 3,
      });
      share = await client.createShare({
        scope: 1,
        fileIds: ["q3-report.xlsx"],
        containerId: "IAAB5thdWzxEoAsiA1681759183084696448",
        validDays: 90,
        comment: "draft",
        extractCode: "Init0001",
      });
      console.log(`   share ${share.shareId}, comment "draft", valid 90 days, link ${share.linkUrl}`);
      expect(/^\d{19}$/.test(share.shareId), "KooDrive returned a share ID");
      originalExpiry = Date.parse((await emulator.admin("GET", `/__admin/shares/${share.shareId}`)).expireTime);
    });

    const program = require(path.join(repoRoot, "examples/demo"));
    // The provider processes preload a clock that the demo moves with the emulator's, as time passing moves both.
    const env = { KOODRIVE_MAX_RETRIES: "2", NODE_OPTIONS: shiftedClockNodeOptions() };
    handle = await openStack({ projectName: PROJECT, stackName: "demo", workDir: repoRoot, program, env });
    running.handle = handle;
    const { stack } = handle;
    await stack.setAllConfig({
      "koodrive:endpoint": { value: emulator.url },
      "koodrive:userId": { value: USER_ID },
      "koodrive:agentName": { value: "demo-carrier" },
      "koodrive:accessToken": { value: TOKEN, secret: true },
      [`${PROJECT}:shareId`]: { value: share.shareId },
      [`${PROJECT}:extractCode`]: { value: "MDg2K0vU", secret: true },
      [`${PROJECT}:comment`]: { value: "Q3 report for auditors" },
      [`${PROJECT}:validDays`]: { value: "30" },
      [`${PROJECT}:renewBeforeDays`]: { value: "7" },
    });
    await clearLog();

    await step("pulumi preview: shows the adoption of the share, sends nothing", async () => {
      const r = await stack.preview({ diff: true, onOutput: show });
      expect(r.changeSummary.create === 3, "preview plans the stack, the share settings and the record of the original settings");
      expect((await puts()).length === 0, "no PUT was sent");
    });

    await step("pulumi up: records the original settings, then applies the declared ones with one PUT", async () => {
      const r = await stack.up({ onOutput: show });
      expect(r.summary.resourceChanges.create === 3, "up created the share settings and the record of the originals");
      const sent = await puts();
      expect(sent.length === 1, "exactly one PUT /koodrive/ose/v1/share/{shareId}");
      expect(sent[0].body.comment === "Q3 report for auditors" && sent[0].body.validDays === 30, "the PUT carried the declared comment and validity");
    });

    await step("pulumi preview again: no changes", async () => {
      await clearLog();
      const r = await stack.preview({ expectNoChanges: true, onOutput: show });
      expect(r.changeSummary.same === 3 && Object.keys(r.changeSummary).length === 1, "everything is unchanged");
      expect((await puts()).length === 0, "no PUT was sent");
    });

    await step("change the comment: preview shows exactly one update, up applies it", async () => {
      await stack.setConfig(`${PROJECT}:comment`, { value: "Q3 report for auditors (final)" });
      const p = await stack.preview({ diff: true, onOutput: show });
      expect(p.changeSummary.update === 1 && p.changeSummary.same === 2, "one resource to update");
      expect(/~ comment\s*:/.test(p.stdout) && !/~ (validDays|extractCode|shareId)/.test(p.stdout), "the update names only the comment");
      await clearLog();
      const u = await stack.up({ onOutput: show });
      expect(u.summary.resourceChanges.update === 1, "up updated one resource");
      const sent = await puts();
      expect(sent.length === 1 && sent[0].body.comment === "Q3 report for auditors (final)", "one PUT with the new comment");
    });

    await step("someone edits the share in the KooDrive console; pulumi refresh reveals it", async () => {
      await emulator.admin("PATCH", `/__admin/shares/${share.shareId}`, { comment: "edited by hand" });
      console.log(`   (out of band: comment set to "edited by hand")`);
      const r = await stack.refresh({ onOutput: show });
      // Pulumi prints the stack outputs at the end of a refresh as the last up left them: refresh runs no program.
      console.log("   (the Outputs above are the program's from the last up: refresh reads the share, it runs no program)");
      expect(r.summary.resourceChanges.update === 1, "refresh found the share changed outside Pulumi");
      const p = await stack.preview({ diff: true, onOutput: show });
      expect(/~ comment\s*: "edited by hand" => "Q3 report for auditors \(final\)"/.test(p.stdout), "preview shows the drift on the comment");
    });

    await step("pulumi up: puts the declared settings back", async () => {
      await clearLog();
      await stack.up({ onOutput: show });
      const shown = await emulator.admin("GET", `/__admin/shares/${share.shareId}`);
      expect(shown.comment === "Q3 report for auditors (final)", "the share has the declared comment again");
      expect((await puts()).length === 1, "with one PUT");
    });

    /** Engine output of an operation, stdout and stderr (provider notices arrive on either). */
    const said = (/** @type {{ stdout: string, stderr: string }} */ r) => `${r.stdout}\n${r.stderr}`;

    /** Time passes: the emulator's clock, and that of the provider processes of the operations after, move forward. */
    const daysPass = async (/** @type {number} */ days) => {
      const clock = await emulator.admin("POST", "/__admin/clock", { advanceMs: Math.round(days * DAY_MS) });
      stack.workspace.envVars.SHIFTED_CLOCK_OFFSET_MS = String(clock.offsetMs);
      console.log(`   (${days} days pass: the emulator's clock and the provider's now read ${clock.now})`);
    };
    /** Days from the emulator's now to the share's expiry. */
    const daysLeft = async () => {
      const [shown, clock] = await Promise.all([emulator.admin("GET", `/__admin/shares/${share.shareId}`), emulator.admin("GET", "/__admin/clock")]);
      return (Date.parse(shown.expireTime) - Date.parse(clock.now)) / DAY_MS;
    };

    await step("31 days later the link has expired: refresh and preview show a renewal and say why, up renews it with one PUT", async () => {
      await daysPass(31);
      await stack.refresh({ onOutput: show });
      const p = await stack.preview({ onOutput: show });
      expect(p.changeSummary.update === 1, "preview shows the expired link as an update");
      expect(/the link expired at .*; due for a renewal of 30 days/.test(said(p)), "and says why");
      await clearLog();
      await stack.up({ onOutput: show });
      const days = await daysLeft();
      expect((await puts()).length === 1 && days > 29.9, `one PUT renewed it for 30 days (${days.toFixed(2)} days left)`);
    });

    await step("27 days later (3 days left, renewBeforeDays 7): preview says it is due, up renews; then nothing is due", async () => {
      await daysPass(27);
      await stack.refresh({ onOutput: show });
      const p = await stack.preview({ onOutput: show });
      expect(/expires within 3 days \(renewBeforeDays 7\): due for renewal/.test(said(p)), "preview says the link is due for renewal");
      await clearLog();
      await stack.up({ onOutput: show });
      expect((await puts()).length === 1, "one PUT renewed it");
      const again = await stack.preview({ expectNoChanges: true, onOutput: show });
      expect(again.changeSummary.same === 3, "a scheduled run right after finds nothing due");
    });

    await step('pulumi destroy: onDelete "restore" gives the share its original settings back', async () => {
      await clearLog();
      const r = await stack.destroy({ onOutput: show });
      expect(r.summary.resourceChanges.delete === 3, "destroy removed the resources from the stack");
      const shown = await emulator.admin("GET", `/__admin/shares/${share.shareId}`);
      expect(shown.comment === "draft" && shown.extractCode === "Init0001", "comment and access code are back to what they were");
      const offBy = Math.abs(Date.parse(shown.expireTime) - originalExpiry) / DAY_MS;
      expect(offBy < 1, `the validity ends on the original expiry again, ${(await daysLeft()).toFixed(2)} days from the emulator's now (90 - 31 - 27)`);
    });

    await step("the state holds no secret in plaintext", async () => {
      const exported = handle.exportPlain() + handle.rawBackendFiles();
      expect(!exported.includes(TOKEN), "no access token in the state or its history");
      expect(!exported.includes("MDg2K0vU") && !exported.includes("Init0001"), "no access code in the state or its history");
    });

    console.log(`\n${bold(`Demo passed: all ${TOTAL_STEPS} steps behaved as stated, in ${((Date.now() - startedAt) / 1000).toFixed(1)} s.`)}`);
  } finally {
    // After an interrupt, `interrupt` cleans up (it also stops what this would not: the engine's processes).
    if (interruptedBy === "") {
      if (handle) await handle.remove();
      emulator.stop();
    }
  }
}

main().catch((e) => {
  // An interrupted operation fails too: the interrupt's own message and exit code say what happened.
  if (interruptedBy !== "") return;
  console.error(`\nDemo FAILED: ${e.message}`);
  process.exitCode = 1;
});
