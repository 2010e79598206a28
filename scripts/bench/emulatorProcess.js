// Starts scripts/bench/emulatorHost.js as a child process and wraps its IPC commands.
"use strict";
const { fork } = require("node:child_process");
const path = require("node:path");

/**
 * A message from emulatorHost.js: `{ ready, url }` once started, then `{ id, result }` or `{ id, error }` per command.
 * @typedef {{ ready: true, url: string } | { ready?: undefined, id: number, result?: unknown, error?: string }} HostMessage
 */

/**
 * @param {object} options startEmulator options (tokens, requestLogLimit, faults, ...)
 * @returns {Promise<{ url: string, pid: number | undefined, seed(count: number, seed: object): Promise<string[]>,
 *   clearRequests(): Promise<void>, requests(): Promise<object>, setFaults(f: object): Promise<object>, close(): Promise<void> }>}
 */
async function startEmulatorProcess(options, { startTimeoutMs = 15_000 } = {}) {
  const child = fork(path.join(__dirname, "emulatorHost.js"), [JSON.stringify(options)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  /** @type {Map<number, { resolve: (value: unknown) => void, reject: (error: Error) => void }>} */
  const pending = new Map();
  let nextId = 0;
  /** @type {string} */
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulator did not start within ${startTimeoutMs} ms`)), startTimeoutMs);
    child.once("exit", (code) => reject(new Error(`the emulator exited during start (code ${code})`)));
    child.on("message", (message) => {
      const m = /** @type {HostMessage} */ (message);
      if (m.ready) {
        clearTimeout(timer);
        resolve(m.url);
        return;
      }
      const waiter = pending.get(m.id);
      if (!waiter) return;
      pending.delete(m.id);
      if (m.error) waiter.reject(new Error(`emulator: ${m.error}`));
      else waiter.resolve(m.result);
    });
  });
  child.on("exit", () => {
    for (const waiter of pending.values()) waiter.reject(new Error("the emulator process exited"));
    pending.clear();
  });
  const call = (command, args) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      child.send({ id, command, args });
    });
  return {
    url,
    pid: child.pid,
    seed: (count, seed) => call("seed", { count, seed }),
    clearRequests: () => call("clearRequests"),
    requests: () => call("requests"),
    setFaults: (faults) => call("setFaults", faults),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try {
        await Promise.race([call("close"), new Promise((r) => setTimeout(r, 3000))]);
      } catch {
        // exiting anyway
      }
      const killTimer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(killTimer);
    },
  };
}

module.exports = { startEmulatorProcess };
