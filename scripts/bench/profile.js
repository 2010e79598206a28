// --profile: CPU profiles of the benchmark program (this process, through the inspector) and of the dynamic-provider
// processes (cpuProfilePreload.js, loaded through NODE_OPTIONS, which the CLI passes on to its plugins), collected
// per operation and summarized as self time by package and by function. Engine CPU comes from /proc (scripts/lib/processTree.js).
"use strict";
const fs = require("node:fs");
const inspector = require("node:inspector");
const path = require("node:path");
const { repoRoot } = require("../lib/engine");

/** The package a script URL belongs to: the nearest node_modules package, this repository, or node itself. */
function packageOf(url) {
  if (!url) return "(native / VM)";
  if (url.startsWith("node:")) return "node: internals";
  const file = url.replace(/^file:\/\//, "");
  // The provider's bundle carries zod too (scripts/bundleProvider.js): its frames cannot be told apart by file.
  if (file === path.join(repoRoot, "dist", "provider-impl.js") || file.endsWith("/pulumi-koodrive/dist/provider-impl.js"))
    return "pulumi-koodrive bundle (with zod)";
  const m = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  if (m) return m[1] === "pulumi-koodrive" ? "pulumi-koodrive" : m[1];
  if (file.startsWith(path.join(repoRoot, "dist"))) return "pulumi-koodrive";
  if (file.startsWith(path.join(repoRoot, "scripts"))) return "bench scripts";
  if (file.startsWith("evalmachine") || file === "") return "(eval: serialized provider)";
  return "other";
}

const NOT_A_CALLER = new Set(["node: internals", "(native / VM)"]);

/**
 * Who a sample's time is charged to: "require (module loading)" when a module is being loaded anywhere up the
 * stack, else the package of the nearest frame that is not node's own code (so node's http internals under an axios
 * call count as axios).
 */
function callerOf(nodeId, nodes, parentOf) {
  let charged;
  for (let id = nodeId; id !== undefined; id = parentOf.get(id)) {
    const { callFrame } = nodes.get(id);
    if (callFrame.url === "node:internal/modules/cjs/loader" && callFrame.functionName === "Module._load") return "require (module loading)";
    const pkg = packageOf(callFrame.url);
    if (charged === undefined && callFrame.url && !NOT_A_CALLER.has(pkg)) charged = pkg;
  }
  return charged || "node / native, no JS caller";
}

/** Self time per package, per function and per caller (see callerOf) of one .cpuprofile (Chrome DevTools format). */
function summarizeCpuProfile(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map();
  for (const n of profile.nodes) for (const child of n.children || []) parentOf.set(child, n.id);
  const selfUs = new Map();
  // The first delta runs from the profile's start to the first tick, not a sampled interval: leave it out.
  profile.samples.forEach((id, i) => {
    if (i > 0) selfUs.set(id, (selfUs.get(id) || 0) + (profile.timeDeltas[i] || 0));
  });
  const byPackage = {};
  const byFunction = {};
  const byCaller = {};
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = nodes.get(id);
    const name = callFrame.functionName || "(anonymous)";
    if (name === "(idle)") continue;
    totalUs += us;
    const special = ["(garbage collector)", "(program)"].includes(name);
    const pkg = special ? name : packageOf(callFrame.url);
    byPackage[pkg] = (byPackage[pkg] || 0) + us;
    const caller = special ? name : callerOf(id, nodes, parentOf);
    byCaller[caller] = (byCaller[caller] || 0) + us;
    const where = callFrame.url ? `${callFrame.url.replace(/^file:\/\//, "").replace(/.*node_modules\//, "")}:${callFrame.lineNumber + 1}` : "";
    const key = `${name} ${where}`.trim();
    byFunction[key] = (byFunction[key] || 0) + us;
  }
  return { totalUs, byPackage, byFunction, byCaller };
}

/** Adds up summaries (several provider processes of one operation). */
function mergeSummaries(summaries) {
  const merged = { totalUs: 0, byPackage: {}, byFunction: {}, byCaller: {} };
  for (const s of summaries) {
    merged.totalUs += s.totalUs;
    for (const kind of ["byPackage", "byFunction", "byCaller"]) for (const [k, v] of Object.entries(s[kind])) merged[kind][k] = (merged[kind][k] || 0) + v;
  }
  return merged;
}

function topEntries(record, count) {
  return Object.entries(record)
    .sort((a, b) => b[1] - a[1])
    .slice(0, count);
}

/** A markdown section: share of self time per package and the top functions. */
function summaryMarkdown(title, summary, topFunctions = 12) {
  if (summary.totalUs === 0) return `#### ${title}\n\n(no samples)\n`;
  const pct = (us) => `${((100 * us) / summary.totalUs).toFixed(1)}%`;
  const lines = [
    `#### ${title}: ${(summary.totalUs / 1e6).toFixed(2)} s of CPU sampled`,
    "",
    "| charged to (nearest package up the stack) | time | share |",
    "| --- | ---: | ---: |",
  ];
  for (const [k, v] of topEntries(summary.byCaller, 10)) lines.push(`| ${k} | ${(v / 1e3).toFixed(0)} ms | ${pct(v)} |`);
  lines.push("", "| package (self time) | time | share |", "| --- | ---: | ---: |");
  for (const [k, v] of topEntries(summary.byPackage, 8)) lines.push(`| ${k} | ${(v / 1e3).toFixed(0)} ms | ${pct(v)} |`);
  lines.push("", "| function | self time | share |", "| --- | ---: | ---: |");
  for (const [k, v] of topEntries(summary.byFunction, topFunctions)) lines.push(`| \`${k.replace(/\|/g, "\\|")}\` | ${(v / 1e3).toFixed(0)} ms | ${pct(v)} |`);
  return `${lines.join("\n")}\n`;
}

/**
 * A profiler for runLifecycle: `env` makes every node process the CLI starts write a CPU profile when it exits;
 * `aroundProgram` profiles this process during one operation, then files the provider profiles under its label.
 */
function createProfiler(dir) {
  const providerDir = path.join(dir, "provider-incoming");
  fs.mkdirSync(providerDir, { recursive: true });
  fs.mkdirSync(path.join(dir, "program"), { recursive: true });
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  const collected = {};
  return {
    env: { NODE_OPTIONS: `--require ${path.join(__dirname, "cpuProfilePreload.js")}`, BENCH_CPU_PROFILE_DIR: providerDir },
    collected,
    async aroundProgram(label, fn) {
      await post("Profiler.enable");
      await post("Profiler.start");
      try {
        return await fn();
      } finally {
        const { profile } = await post("Profiler.stop");
        fs.writeFileSync(path.join(dir, "program", `${label}.cpuprofile`), JSON.stringify(profile));
        // Provider processes write their profile as they exit, just after the CLI has finished with them.
        await new Promise((r) => setTimeout(r, 1000));
        const labelDir = path.join(dir, "provider", label);
        fs.mkdirSync(labelDir, { recursive: true });
        const providerSummaries = [];
        for (const file of fs.readdirSync(providerDir)) {
          const target = path.join(labelDir, file);
          fs.renameSync(path.join(providerDir, file), target);
          const parsed = JSON.parse(fs.readFileSync(target, "utf8"));
          providerSummaries.push(summarizeCpuProfile(parsed));
        }
        collected[label] = { program: summarizeCpuProfile(profile), provider: mergeSummaries(providerSummaries), providerProcesses: providerSummaries.length };
      }
    },
    close() {
      session.disconnect();
    },
  };
}

module.exports = { createProfiler, summarizeCpuProfile, summaryMarkdown, mergeSummaries };
