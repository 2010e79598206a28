// Finds and kills the processes an engine operation started (the pulumi CLI and its dynamic-provider processes),
// as a crash or a cancelled CI job would.
"use strict";
const fs = require("node:fs");

/** Every live process as { pid, ppid, cmd }. */
function processTable() {
  const table = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
      table.push({ pid: Number(entry), ppid, cmd });
    } catch {
      // the process ended while we looked
    }
  }
  return table;
}

/** Descendants of `root` (pid), depth first. */
function descendants(root, table = processTable()) {
  const out = [];
  const walk = (pid) => {
    for (const p of table)
      if (p.ppid === pid) {
        out.push(p);
        walk(p.pid);
      }
  };
  walk(root);
  return out;
}

/** The pulumi CLI processes this test process started, with their descendants (the provider processes). */
function engineProcesses() {
  const table = processTable();
  const clis = descendants(process.pid, table).filter((p) => /\/bin\/pulumi (up|preview|refresh|destroy)\b/.test(p.cmd));
  return clis.map((cli) => ({ cli, providers: descendants(cli.pid, table).filter((p) => /dynamic-provider/.test(p.cmd)) }));
}

/** SIGKILLs the CLI only (its provider processes live on, as after a kill -9 of the CLI), or the CLI and the providers. */
function killEngine({ providersToo }) {
  const killed = [];
  for (const { cli, providers } of engineProcesses()) {
    for (const p of providersToo ? [cli, ...providers] : [cli]) {
      try {
        process.kill(p.pid, "SIGKILL");
        killed.push(p.pid);
      } catch {
        // already gone
      }
    }
  }
  return killed;
}

/** Polls `condition` every 20 ms until it holds (or throws after `timeoutMs`). */
async function waitFor(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

module.exports = { processTable, engineProcesses, killEngine, waitFor };
