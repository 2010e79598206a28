// Finds and kills the processes an engine operation started (the pulumi CLI and its dynamic-provider processes),
// as a crash or a cancelled CI job would, and stops afterwards those a kill of the CLI alone left running.
"use strict";
const { descendants, isAlive, readCmdline } = require("../../scripts/lib/processTree");

/**
 * Provider processes a kill of the CLI alone left running: they end themselves within seconds once they notice the
 * engine is gone; `stopLeftRunning` stops any that did not.
 */
const leftRunning = [];

/** The pulumi CLI processes this test process started, with their descendants (the provider processes). */
function engineProcesses() {
  const clis = descendants(process.pid).filter((p) => /\/bin\/pulumi (up|preview|refresh|destroy)\b/.test(readCmdline(p.pid).join(" ")));
  return clis.map((cli) => ({ cli, providers: descendants(cli.pid).filter((p) => readCmdline(p.pid).some((arg) => arg.includes("dynamic-provider"))) }));
}

/** SIGKILLs the CLI only (its provider processes live on until they notice, as after a kill -9 of the CLI), or the CLI and the providers. */
function killEngine({ providersToo }) {
  const killed = [];
  for (const { cli, providers } of engineProcesses()) {
    if (!providersToo) leftRunning.push(...providers);
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

/** Stops the provider processes that kills of the CLI alone left running, so a test run leaves none behind. */
function stopLeftRunning() {
  for (const p of leftRunning.splice(0).filter(isAlive)) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
}

/** Polls `condition` every 20 ms until it holds (or throws after `timeoutMs`). */
async function waitFor(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

module.exports = { engineProcesses, killEngine, stopLeftRunning, waitFor };
