// The /proc sampler as a process of its own (see sampleTree in scripts/lib/processTree.js). Run as a script, it samples the
// tree of its parent between "start" and "stop" messages; required, it gives the parent a handle to drive it.
"use strict";
const { fork } = require("node:child_process");
const { remember, sampleTree } = require("../lib/processTree");

const INTERVAL_MS = 150;

if (require.main === module) {
  let current;
  process.on("message", (message) => {
    const m = /** @type {{ id: number, command: "start" | "stop" }} */ (message);
    if (m.command === "start") {
      current = sampleTree(process.ppid, INTERVAL_MS);
      process.send?.({ id: m.id, result: true });
    } else if (m.command === "stop") {
      const result = current ? current.stop() : undefined;
      current = undefined;
      process.send?.({ id: m.id, result });
    }
  });
  process.on("disconnect", () => process.exit(0));
}

/** Starts the sampler process: `start()`, then `stop()` resolves { engine, provider, emulator, other } figures. */
function createSampler() {
  const child = fork(__filename, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const pending = new Map();
  let nextId = 0;
  child.on("message", (message) => {
    const m = /** @type {{ id: number, result: unknown }} */ (message);
    const waiter = pending.get(m.id);
    pending.delete(m.id);
    if (waiter) waiter(m.result);
  });
  const call = (command) =>
    new Promise((resolve, reject) => {
      if (!child.connected) {
        reject(new Error("the process sampler is not running"));
        return;
      }
      const id = ++nextId;
      pending.set(id, resolve);
      child.send({ id, command });
    });
  return {
    start: () => call("start"),
    async stop() {
      const { roles, seen } = await call("stop");
      // Remembered here, so that whatever is still running at the end can be stopped by pid.
      for (const p of seen) remember(p, p.role);
      // NaN (no process of a role) travels as null over IPC.
      for (const r of Object.values(roles)) for (const k of ["peakRssMiB", "cpuSeconds"]) if (r[k] === null) r[k] = NaN;
      return roles;
    },
    /** Disconnects and waits for the sampler to exit, so the final sweep for leftovers does not count it. */
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      if (child.connected) child.disconnect();
      const killTimer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(killTimer);
    },
  };
}

module.exports = { createSampler };
