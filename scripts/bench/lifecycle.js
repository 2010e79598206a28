// One measured lifecycle of N resources on a fresh stack and a fresh emulator: up (create), no-change preview,
// no-change up, refresh, optionally a refresh under the emulator's throttle, and destroy. Every operation is
// timed, sampled (engine/provider RSS and CPU through /proc), counted (requests from the emulator's log) and
// bounded by a timeout.
"use strict";
const crypto = require("node:crypto");
const { ensureSelfLink, openStack, repoRoot } = require("../lib/engine");
const { startEmulatorProcess } = require("./emulatorProcess");
const { floorResourceClass } = require("./floorResource");
const { stopStrays } = require("../lib/processTree");
const { stateSize } = require("./stateSize");

const USER_ID = "1505084218764547200";
/** What `--refresh-only` leaves out: the no-change operations (up and destroy still set the stack up and tear it down). */
const REFRESH_ONLY_SKIPS = ["preview", "upNoChange"];
/** Grace after aborting an operation (SIGINT to the CLI) before its processes are killed. */
const ABORT_GRACE_MS = 10_000;

/** The variants compared in every run: the resource under test and the engine floor. */
const VARIANTS = {
  koodrive: {
    label: "KooDrive",
    /** @param {{ secretFloor?: boolean }} _options */
    resourceClass: (_options) => require("pulumi-koodrive").KooDriveShareSettings,
  },
  floor: {
    label: "no-op floor",
    /** @param {{ secretFloor?: boolean }} options */
    resourceClass: (options) =>
      floorResourceClass(require(require.resolve("@pulumi/pulumi", { paths: [repoRoot] })), { secretAccessCode: options.secretFloor }),
  },
};

class OperationTimeout extends Error {}

/**
 * The lines of a failed operation that say why (the Automation API's error carries the whole CLI output), one line,
 * bounded. The provider's errors are redacted at the source, so they can be shown.
 */
function errorSummary(error) {
  const lines = String(error.message || error)
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const reasons = [...new Set(lines.filter((l) => /error|failed|timeout|exceeded/i.test(l) && !/^code: |Command failed with exit code/.test(l)))];
  return (reasons.length > 0 ? reasons : lines).slice(0, 4).join(" / ").slice(0, 500);
}

/**
 * `pulumi stack export` run through the workspace's own CLI runner (its environment and PULUMI_HOME), without
 * --show-secrets, so secrets stay ciphertext as a user sees them. Not the Automation API's exportStack, which
 * decrypts, nor a synchronous call with a small output buffer: the export of 1,000 resources is megabytes.
 */
async function exportAsUserSees(stack) {
  const result = await stack.workspace.runPulumiCmd(["stack", "export", "--stack", stack.name]);
  return result.stdout;
}

/** Args of share i: the same for both variants. */
function shareArgs(shareId, i) {
  return { shareId, validDays: 30, extractCode: "MDg2K0vU", comment: `bench share ${i}` };
}

/**
 * Runs `operation(signal)` with a timeout: on expiry the operation is aborted (the Automation API sends SIGINT to the
 * CLI) and, after a grace period, the engine and provider processes still running are killed.
 */
async function withTimeout(name, timeoutMs, operation) {
  const controller = new AbortController();
  let settled = false;
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(
      async () => {
        controller.abort();
        await new Promise((r) => setTimeout(r, ABORT_GRACE_MS));
        // Only if the aborted operation is still hanging: never touch the processes of a later operation.
        if (!settled) await stopStrays({ roles: ["engine", "provider", "other"] });
        reject(new OperationTimeout(`${name} exceeded its timeout of ${Math.round(timeoutMs / 1000)} s`));
      },
      Math.max(1, timeoutMs),
    );
  });
  expired.catch(() => {});
  try {
    return await Promise.race([operation(controller.signal), expired]);
  } catch (e) {
    if (controller.signal.aborted) throw new OperationTimeout(`${name} exceeded its timeout of ${Math.round(timeoutMs / 1000)} s`);
    throw e;
  } finally {
    settled = true;
    if (!controller.signal.aborted) clearTimeout(timer);
  }
}

/**
 * @param {{ variant: "koodrive"|"floor", n: number, latencyMs: number, throttleRps?: number, parallel?: number,
 *   opTimeoutMs: number, throttledTimeoutMs: number, deadlineAt: () => number, cliRoot: string, secretFloor?: boolean,
 *   sampler: ReturnType<import("./processSampler").createSampler>, engineEnv?: Record<string,string>,
 *   skip?: readonly string[],
 *   profiler?: { env: Record<string,string>, aroundProgram(label: string, fn: () => Promise<unknown>): Promise<unknown> },
 *   log: (line: string) => void }} options
 * @returns {Promise<{ ops: Record<string, object>, state?: object, error?: string }>}
 */
async function runLifecycle(options) {
  const { variant, n, latencyMs, throttleRps, parallel, log } = options;
  ensureSelfLink();
  const token = crypto.randomBytes(16).toString("hex");
  const result = { ops: {} };
  const faults = latencyMs > 0 ? { latencyMs } : {};
  const emulator = await startEmulatorProcess({ tokens: [token], requestLogLimit: Math.max(10_000, 20 * n), faults });
  let handle;
  try {
    const shareIds = await emulator.seed(n, { ownerId: USER_ID, comment: "seeded", extractCode: "ORIG1234", validDays: 10 });
    const ResourceClass = VARIANTS[variant].resourceClass({ secretFloor: options.secretFloor });
    const program = async () => {
      shareIds.forEach((shareId, i) => {
        new ResourceClass(`share-${String(i).padStart(4, "0")}`, shareArgs(shareId, i));
      });
    };
    const { profiler } = options;
    const env = { ...options.engineEnv, ...(profiler ? profiler.env : {}) };
    handle = await openStack({ projectName: `bench-${variant}`, program, cliRoot: options.cliRoot, env });
    const { stack } = handle;
    await stack.setAllConfig({
      "koodrive:endpoint": { value: emulator.url },
      "koodrive:userId": { value: USER_ID },
      "koodrive:agentName": { value: "bench" },
    });
    await stack.setConfig("koodrive:accessToken", { value: token, secret: true });
    const common = parallel ? { parallel } : {};

    const measure = async (name, operation, timeoutMs = options.opTimeoutMs) => {
      // Read at every operation: an interrupt moves the deadline to now.
      const remaining = options.deadlineAt() - Date.now();
      if (remaining < 5_000) throw new OperationTimeout(`global deadline reached before ${name}`);
      await emulator.clearRequests();
      await options.sampler.start();
      const cpuBefore = process.cpuUsage();
      const started = process.hrtime.bigint();
      let outcome;
      let failure;
      try {
        const run = (signal) => operation({ ...common, signal });
        outcome = await withTimeout(
          name,
          Math.min(timeoutMs, remaining),
          profiler ? (signal) => profiler.aroundProgram(`${variant}-${n}-${name}`, () => run(signal)) : run,
        );
      } catch (e) {
        failure = e;
      }
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = process.cpuUsage(cpuBefore);
      const processes = await options.sampler.stop();
      const requests = await emulator.requests();
      const figures = {
        wallSeconds,
        programCpuSeconds: (cpu.user + cpu.system) / 1e6,
        engine: processes.engine,
        provider: processes.provider,
        emulatorCpuSeconds: processes.emulator.cpuSeconds,
        requests: requests.total,
        requestsByKind: requests.byKind,
        inFlight: {
          peak: requests.inFlight.peak,
          meanOverWall: requests.inFlight.integralMs / (wallSeconds * 1000),
          meanWhileBusy:
            requests.inFlight.firstStartMs === undefined
              ? 0
              : requests.inFlight.integralMs / Math.max(1, requests.inFlight.lastEndMs - requests.inFlight.firstStartMs),
        },
        changes: outcome && (outcome.summary ? outcome.summary.resourceChanges : outcome.changeSummary),
      };
      if (failure) figures.error = errorSummary(failure);
      result.ops[name] = figures;
      log(
        `  ${VARIANTS[variant].label} N=${n}${latencyMs ? ` @${latencyMs}ms` : ""} ${name}: ${wallSeconds.toFixed(2)} s, ${requests.total} requests${failure ? ` FAILED: ${figures.error}` : ""}`,
      );
      if (failure && !(name === "refreshThrottled")) throw failure;
      return outcome;
    };

    const wanted = (name) => !options.skip?.includes(name);
    await measure("up", (o) => stack.up(o));
    result.state = stateSize(await exportAsUserSees(stack));
    if (wanted("preview")) await measure("preview", (o) => stack.preview(o));
    if (wanted("upNoChange")) await measure("upNoChange", (o) => stack.up(o));
    await measure("refresh", (o) => stack.refresh(o));
    if (throttleRps) {
      await emulator.setFaults({ ...faults, throttleRps });
      await measure("refreshThrottled", (o) => stack.refresh(o), options.throttledTimeoutMs);
      await emulator.setFaults(faults);
    }
    await measure("destroy", (o) => stack.destroy(o));
  } catch (e) {
    result.error = errorSummary(e);
  } finally {
    if (handle) {
      // A timed-out operation leaves the stack locked; the scratch folder is deleted anyway.
      await Promise.race([handle.remove(), new Promise((r) => setTimeout(r, 30_000))]);
    }
    await emulator.close();
    await stopStrays({ roles: ["engine", "provider", "other"] });
  }
  return result;
}

module.exports = { runLifecycle, REFRESH_ONLY_SKIPS, VARIANTS, OperationTimeout, USER_ID };
