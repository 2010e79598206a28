// npm run bench: the scale benchmark of pulumi-koodrive against an engine floor (issue 10). Not a test: it prints
// figures and ratios and never fails on a number. Every run is bounded (a global deadline and per-operation
// timeouts) and stops every process it started.
//
//   npm run bench                     N = 10, 100, 1,000 (+ 200 at 50 ms latency, throttled refresh at 1,000), 3 runs
//   npm run bench -- --quick          N = 10, 100 (+ 200 at 50 ms latency, throttled refresh at 100), 3 runs
//   npm run bench -- --profile        CPU profiles at N = 200 (program, provider; engine CPU from /proc), 1 run
//   npm run bench -- --refresh-only   refresh and throttled refresh at N = 1,000, 5 runs (~5 min): up and destroy
//                                     only set the stack up and tear it down (PULUMI_SKIP_CHECKPOINTS=true)
//   npm run bench -- --client-only    one sequential PUT: KooDriveClient, axios alone, raw node:http; 10 rounds of
//                                     1,000 PUTs each side; provider start-up, bundled and unbundled (~2 min, no engine)
// Options: --runs R, --sizes 10,100, --latency-n N (0 = off), --latency-ms MS, --throttle-n N (0 = off),
//   --throttle-rps RPS, --parallel P, --deadline-minutes M, --op-timeout-seconds S, --no-client, --out DIR,
//   --skip-checkpoints (PULUMI_SKIP_CHECKPOINTS=true for both variants: no state saved after each step),
//   --secret-floor (the floor's access code is a secret too: isolates what the engine spends on secret values)
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { parseArgs } = require("node:util");
const { ensurePulumiCli, repoRoot } = require("../lib/engine");
const { runClientBench } = require("./clientBench");
const { runStartupBench } = require("./startupBench");
const { REFRESH_ONLY_SKIPS, runLifecycle } = require("./lifecycle");
const { createSampler } = require("./processSampler");
const { stopStrays } = require("../lib/processTree");
const { createProfiler, summaryMarkdown } = require("./profile");
const { renderMarkdown } = require("./report");

/** @typedef {Awaited<ReturnType<typeof runLifecycle>>} LifecycleResult */

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    "refresh-only": { type: "boolean", default: false },
    "client-only": { type: "boolean", default: false },
    runs: { type: "string" },
    sizes: { type: "string" },
    "latency-n": { type: "string" },
    "latency-ms": { type: "string", default: "50" },
    "throttle-n": { type: "string" },
    "throttle-rps": { type: "string", default: "5" },
    parallel: { type: "string" },
    "deadline-minutes": { type: "string" },
    "op-timeout-seconds": { type: "string" },
    "no-client": { type: "boolean", default: false },
    "skip-checkpoints": { type: "boolean", default: false },
    "secret-floor": { type: "boolean", default: false },
    out: { type: "string", default: path.join(repoRoot, "bench-results") },
  },
});

function positiveInt(name, text, fallback) {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${text}"`);
  return n;
}

function plan() {
  const mode = flags.profile ? "profile" : flags.quick ? "quick" : flags["refresh-only"] ? "refresh" : flags["client-only"] ? "client" : "full";
  const defaults = {
    full: { sizes: [10, 100, 1000], runs: 3, latencyN: 200, deadlineMinutes: 180 },
    quick: { sizes: [10, 100], runs: 3, latencyN: 200, deadlineMinutes: 30 },
    profile: { sizes: [200], runs: 1, latencyN: 0, deadlineMinutes: 20 },
    refresh: { sizes: [1000], runs: 5, latencyN: 0, deadlineMinutes: 30 },
    client: { sizes: [], runs: 10, latencyN: 0, deadlineMinutes: 10 },
  }[mode];
  if (mode === "client" && flags["no-client"]) throw new Error("--client-only and --no-client exclude each other");
  // --client-only runs no engine: no cases.
  const sizes = mode === "client" ? [] : flags.sizes ? flags.sizes.split(",").map((s) => positiveInt("sizes", s.trim())) : defaults.sizes;
  if (mode !== "client" && (sizes.length === 0 || sizes.some((n) => n < 1))) throw new Error("--sizes must list resource counts >= 1, e.g. --sizes 10,100");
  const largest = Math.max(0, ...sizes);
  const throttleN = positiveInt("throttle-n", flags["throttle-n"], mode === "profile" ? 0 : largest);
  if (throttleN && !sizes.includes(throttleN))
    throw new Error(`--throttle-n ${throttleN} must be one of --sizes (${sizes.join(",")}): the throttled refresh reuses that stack`);
  const latencyN = positiveInt("latency-n", flags["latency-n"], defaults.latencyN);
  const latencyMs = positiveInt("latency-ms", flags["latency-ms"], 50);
  const cases = sizes.map((n) => ({ n, latencyMs: 0, throttleRps: n === throttleN ? positiveInt("throttle-rps", flags["throttle-rps"]) : 0 }));
  if (latencyN) cases.push({ n: latencyN, latencyMs, throttleRps: 0 });
  // Smallest first: when the deadline cuts a run short, it is the longest case that loses runs.
  cases.sort((a, b) => a.n - b.n);
  return {
    mode,
    cases,
    runs: Math.max(1, positiveInt("runs", flags.runs, defaults.runs)),
    clientPuts: mode === "client" ? 1000 : 300,
    parallel: flags.parallel ? positiveInt("parallel", flags.parallel) : undefined,
    /** @type {Record<string, string>} */
    // --refresh-only measures refresh alone: create and destroy are only set-up, so they skip the per-step saves.
    engineEnv: flags["skip-checkpoints"] || mode === "refresh" ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {},
    skip: mode === "refresh" ? REFRESH_ONLY_SKIPS : undefined,
    deadlineAt: Date.now() + Number(flags["deadline-minutes"] || defaults.deadlineMinutes) * 60_000,
    // Create and destroy rewrite the whole state after each step, so their time grows with N².
    opTimeoutMs: (n) => (flags["op-timeout-seconds"] ? Number(flags["op-timeout-seconds"]) * 1000 : (60 + 2 * n + (n * n) / 1000) * 1000),
    throttledTimeoutMs: (n, rps) => (120 + (3 * n) / rps) * 1000,
  };
}

function commandLine() {
  return ["npm run bench", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" ");
}

function gitCommit() {
  try {
    const sha = execFileSync("git", ["-C", repoRoot, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["-C", repoRoot, "status", "--porcelain", "--untracked-files=no", "--", "src"], { encoding: "utf8" }).trim();
    return dirty ? `${sha} (src modified)` : sha;
  } catch {
    return "unknown";
  }
}

function writeOutputs(dir, results) {
  fs.mkdirSync(dir, { recursive: true });
  // The folder is output, never source: keep it out of git without touching the repository's .gitignore.
  fs.writeFileSync(path.join(dir, ".gitignore"), "*\n");
  const markdown = renderMarkdown(results);
  const base = results.meta.mode === "profile" ? "profile" : "latest";
  fs.writeFileSync(path.join(dir, `${base}.md`), markdown);
  fs.writeFileSync(path.join(dir, `${base}.json`), JSON.stringify(results, null, 1));
  return markdown;
}

async function main() {
  const started = Date.now();
  const p = plan();
  const log = (line) => process.stderr.write(`${line}\n`);
  // The client micro-benchmark alone needs no engine.
  const cliRoot = p.cases.length === 0 ? undefined : ensurePulumiCli();
  const load = () =>
    os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" / ");
  const results = {
    meta: {
      mode: p.mode,
      command: commandLine(),
      startedAt: new Date(started).toISOString().replace(/\.\d+Z$/, "Z"),
      commit: gitCommit(),
      node: process.version,
      pulumiCli: cliRoot === undefined ? "not used" : execFileSync(path.join(cliRoot, "bin", "pulumi"), ["version"], { encoding: "utf8" }).trim(),
      pulumiSdk: require(require.resolve("@pulumi/pulumi/package.json", { paths: [repoRoot] })).version,
      cpus: os.cpus().length,
      loadStart: load(),
      runs: p.runs,
      parallel: p.parallel,
      engineEnv: p.engineEnv,
      secretFloor: flags["secret-floor"],
      skipped: /** @type {string[]} */ ([]),
      outDir: path.relative(repoRoot, flags.out).startsWith("..") ? flags.out : path.relative(repoRoot, flags.out) || ".",
    },
    // Per case, per run: the lifecycle results by variant.
    cases: p.cases.map((c) => ({ ...c, runs: /** @type {Array<Record<string, LifecycleResult>>} */ ([]) })),
  };
  let interrupted = false;
  const onSignal = (signal) => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping; the figures measured so far are written`);
    results.meta.skipped.push(`interrupted by ${signal}`);
    p.deadlineAt = 0;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const profiler = p.mode === "profile" ? createProfiler(path.join(flags.out, "profile")) : undefined;
  const sampler = createSampler();

  try {
    if (!flags["no-client"] && p.mode !== "profile" && p.mode !== "refresh") {
      log("client micro-benchmark");
      results.client = await runClientBench({ rounds: Math.max(3, p.runs), putsPerRound: p.clientPuts, log });
      log("provider start-up micro-benchmark");
      results.startup = await runStartupBench({ rounds: Math.max(3, p.runs), samplesPerRound: 5, log });
    }
    for (const c of results.cases) {
      for (let run = 0; run < p.runs; run++) {
        /** @type {Record<string, LifecycleResult>} */
        const outcome = {};
        // Alternate the order so that neither variant always runs on a warmer (or busier) machine.
        /** @type {Array<"koodrive" | "floor">} */
        const order = run % 2 === 0 ? ["floor", "koodrive"] : ["koodrive", "floor"];
        for (const variant of order) {
          if (Date.now() > p.deadlineAt - 10_000) {
            results.meta.skipped.push(`N=${c.n}${c.latencyMs ? ` @ ${c.latencyMs} ms` : ""} run ${run + 1} ${variant}: skipped, global deadline reached`);
            continue;
          }
          log(`N=${c.n}${c.latencyMs ? ` @ ${c.latencyMs} ms` : ""} run ${run + 1}/${p.runs}: ${variant}`);
          outcome[variant] = await runLifecycle({
            variant,
            n: c.n,
            latencyMs: c.latencyMs,
            throttleRps: variant === "koodrive" ? c.throttleRps : 0,
            parallel: p.parallel,
            engineEnv: p.engineEnv,
            skip: p.skip,
            secretFloor: flags["secret-floor"],
            opTimeoutMs: p.opTimeoutMs(c.n),
            throttledTimeoutMs: p.throttledTimeoutMs(c.n, c.throttleRps || 1),
            deadlineAt: () => p.deadlineAt,
            cliRoot: cliRoot ?? ensurePulumiCli(),
            profiler,
            sampler,
            log,
          });
        }
        c.runs.push(outcome);
        // Partial results survive a crash or a kill of this process.
        results.meta.totalMinutes = ((Date.now() - started) / 60_000).toFixed(1);
        results.meta.loadEnd = load();
        writeOutputs(flags.out, results);
      }
    }
    if (profiler) {
      results.profile = Object.entries(profiler.collected)
        .map(
          ([label, s]) =>
            `### ${label}\n\n${summaryMarkdown("program (this process)", s.program)}\n${summaryMarkdown(`provider (${s.providerProcesses} process(es))`, s.provider)}`,
        )
        .join("\n");
      results.profileSummaries = profiler.collected;
      profiler.close();
    }
  } finally {
    await sampler.close();
    const stopped = await stopStrays();
    if (stopped > 0) log(`stopped ${stopped} leftover process(es)`);
  }
  results.meta.totalMinutes = ((Date.now() - started) / 60_000).toFixed(1);
  results.meta.loadEnd = load();
  process.stdout.write(writeOutputs(flags.out, results));
}

main().catch(async (e) => {
  console.error(e);
  await stopStrays();
  process.exit(1);
});
