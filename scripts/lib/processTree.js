// Watches the processes a script starts (the pulumi CLI, the dynamic-provider node process, an emulator) through
// /proc: for the benchmark, peak RSS (VmHWM) and CPU time per role while an operation runs; for the benchmark and
// the demo, the list of everything ever started, so that whatever is still alive at the end (after a timeout, or
// Ctrl-C) can be stopped by pid.
"use strict";
const fs = require("node:fs");
const { execFileSync } = require("node:child_process");

const CLOCK_TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** Reads /proc/<pid>/stat: parent pid, start time (ticks since boot) and user+system CPU ticks; undefined if gone. */
function readStat(pid) {
  let text;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]), startTicks: Number(fields[19]) };
}

function readStatusKiB(pid, key) {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function readCmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * Which part of the system a process is: the Pulumi engine (CLI), the dynamic provider (the node process started by
 * `pulumi-resource-pulumi-nodejs`), the emulator host, or something else (the launcher shell script and the
 * `node -e require.resolve(...)` it runs).
 */
function roleOf(argv) {
  const exe = (argv[0] || "").split("/").pop();
  if (exe === "pulumi") return "engine";
  if (argv.some((a) => a.includes("cmd/dynamic-provider"))) return "provider";
  if (argv.some((a) => a.endsWith("emulatorHost.js"))) return "emulator";
  if (argv.some((a) => a.endsWith("processSampler.js"))) return "sampler";
  return "other";
}

/** All current descendants of `rootPid` (one scan of /proc); none where there is no /proc (macOS). */
function descendants(rootPid) {
  const parentOf = new Map();
  let entries;
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    // Without /proc the demo's Ctrl-C still removes its stack folder; the engine's own signal handling stops the rest.
    return [];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(name);
    if (stat) parentOf.set(Number(name), stat);
  }
  const children = new Map();
  for (const [pid, stat] of parentOf) {
    if (!children.has(stat.ppid)) children.set(stat.ppid, []);
    children.get(stat.ppid).push(pid);
  }
  const found = [];
  const queue = [...(children.get(rootPid) || [])];
  while (queue.length > 0) {
    const pid = queue.shift();
    found.push({ pid, ...parentOf.get(pid) });
    queue.push(...(children.get(pid) || []));
  }
  return found;
}

/** Every descendant ever seen, keyed by pid and start time (so a reused pid is never mistaken for ours). */
const everSeen = new Map();

function remember(proc, role) {
  everSeen.set(`${proc.pid}:${proc.startTicks}`, { pid: proc.pid, startTicks: proc.startTicks, role });
}

/**
 * Samples the process tree below `rootPid` every `intervalMs` until `stop()`: per role, the peak VmHWM of any one
 * process and the sum of the CPU time last seen for each process. CPU used after the last sample of a process is
 * missed (at most one interval per process). Runs in processSampler.js, a process of its own, so that scanning
 * /proc neither costs the measured program CPU nor blocks its event loop.
 */
function sampleTree(rootPid, intervalMs) {
  const perProcess = new Map();
  const sample = () => {
    for (const proc of descendants(rootPid)) {
      if (proc.pid === process.pid) continue;
      const key = `${proc.pid}:${proc.startTicks}`;
      let entry = perProcess.get(key);
      if (!entry) {
        entry = { pid: proc.pid, startTicks: proc.startTicks, hwmKiB: 0, cpuTicks: 0, firstCpuTicks: proc.cpuTicks };
        perProcess.set(key, entry);
      }
      // Re-read every time: between fork and exec a child still shows its parent's command line.
      const argv = readCmdline(proc.pid);
      if (argv.length > 0) entry.role = roleOf(argv);
      if (!entry.role) continue;
      entry.hwmKiB = Math.max(entry.hwmKiB, readStatusKiB(proc.pid, "VmHWM"));
      entry.cpuTicks = proc.cpuTicks;
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    /** Stops sampling; returns { roles: { engine, provider, emulator, other } each { peakRssMiB, cpuSeconds,
     *  processes }, seen: [{ pid, startTicks, role }] }. */
    stop() {
      clearInterval(timer);
      sample();
      const roles = {};
      for (const role of ["engine", "provider", "emulator", "other"]) roles[role] = { peakRssMiB: 0, cpuSeconds: 0, processes: 0 };
      const seen = [];
      for (const entry of perProcess.values()) {
        if (!entry.role || !roles[entry.role]) continue;
        seen.push({ pid: entry.pid, startTicks: entry.startTicks, role: entry.role });
        const r = roles[entry.role];
        r.peakRssMiB = Math.max(r.peakRssMiB, entry.hwmKiB / 1024);
        // A long-lived process (the emulator host) counts only the CPU it used while sampled.
        r.cpuSeconds += (entry.cpuTicks - (entry.role === "emulator" ? entry.firstCpuTicks : 0)) / CLOCK_TICKS_PER_SECOND;
        r.processes += 1;
      }
      // No process of a role seen: unknown, not zero.
      for (const r of Object.values(roles)) if (r.processes === 0) Object.assign(r, { peakRssMiB: NaN, cpuSeconds: NaN });
      return { roles, seen };
    },
  };
}

/** Whether the process `known` ({ pid, startTicks }) still runs: same pid and start time, so not a reused pid. */
function isAlive(known) {
  const stat = readStat(known.pid);
  return stat !== undefined && stat.startTicks === known.startTicks;
}

/**
 * Stops descendants that are still running: those of the given roles (all roles when omitted). SIGTERM, then
 * SIGKILL after `graceMs` for whatever did not exit. Returns how many were signalled.
 * @param {{ roles?: string[], graceMs?: number }} [options]
 * @returns {Promise<number>}
 */
async function stopStrays({ roles, graceMs = 2000 } = {}) {
  for (const proc of descendants(process.pid)) remember(proc, roleOf(readCmdline(proc.pid)));
  const targets = [...everSeen.values()].filter((p) => (!roles || roles.includes(p.role)) && isAlive(p));
  await terminate(targets, graceMs);
  return targets.length;
}

/**
 * Stops every process below `rootPid` except the calling one (for a shell script's signal trap, which runs this as
 * its own child). The whole tree is listed before anything is signalled: a process whose parent exits first is
 * re-parented out of the tree and could no longer be found. Returns how many were signalled.
 * @returns {Promise<number>}
 */
async function stopTree(/** @type {number} */ rootPid, graceMs = 5000) {
  const targets = descendants(rootPid).filter((p) => p.pid !== process.pid);
  await terminate(targets, graceMs);
  return targets.length;
}

/**
 * Stops every process whose environment variable `name` lists `value` (comma-separated: a run inside another keeps the
 * outer run's marker too), except the calling one and `except`: a run's marker, inherited by everything it starts. It finds what {@link stopTree} cannot: processes whose parent died first
 * (Ctrl-C reaches a whole process group at once) and that were re-parented out of the tree. Returns how many were
 * signalled.
 * @returns {Promise<number>}
 */
async function stopMarked(/** @type {string} */ name, /** @type {string} */ value, /** @type {number[]} */ except = [], graceMs = 5000) {
  const prefix = `${name}=`;
  const marked = (/** @type {string} */ environ) =>
    environ.split("\0").some((entry) => entry.startsWith(prefix) && entry.slice(prefix.length).split(",").includes(value));
  const targets = [];
  let entries = [];
  try {
    entries = fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (pid === process.pid || except.includes(pid)) continue;
    let environ;
    try {
      environ = fs.readFileSync(`/proc/${pid}/environ`, "utf8");
    } catch {
      continue; // gone, or not ours to read
    }
    const stat = readStat(pid);
    if (stat !== undefined && marked(environ)) targets.push({ pid, startTicks: stat.startTicks });
  }
  await terminate(targets, graceMs);
  return targets.length;
}

/** SIGTERM, then SIGKILL after `graceMs` for whatever did not exit. */
async function terminate(/** @type {{ pid: number, startTicks: number }[]} */ targets, /** @type {number} */ graceMs) {
  for (const p of targets) {
    try {
      process.kill(p.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && targets.some(isAlive)) await new Promise((r) => setTimeout(r, 100));
  for (const p of targets.filter(isAlive)) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

module.exports = { sampleTree, stopStrays, stopTree, stopMarked, remember, descendants, isAlive, readCmdline, roleOf, CLOCK_TICKS_PER_SECOND };
