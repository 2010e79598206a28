// Runs one emulator in its own process, so its CPU is not counted as the benchmark program's, and answers commands
// from the benchmark over IPC. Also measures requests in flight (time-weighted) by observing the HTTP server from
// outside: the emulator's API has no such counter, and this keeps the measurement independent of its internals.
"use strict";
const http = require("node:http");
const { loadEmulatorModule } = require("./emulatorModule");

/** @type {{ current: number, peak: number, integralMs: number, lastChangeMs: number, firstStartMs?: number, lastEndMs?: number }} */
const inFlight = { current: 0, peak: 0, integralMs: 0, lastChangeMs: 0, firstStartMs: undefined, lastEndMs: undefined };

function nowMs() {
  return performance.timeOrigin + performance.now();
}

function changeInFlight(delta) {
  const t = nowMs();
  inFlight.integralMs += inFlight.current * (t - inFlight.lastChangeMs);
  inFlight.lastChangeMs = t;
  inFlight.current += delta;
  inFlight.peak = Math.max(inFlight.peak, inFlight.current);
  if (delta > 0 && inFlight.firstStartMs === undefined) inFlight.firstStartMs = t;
  if (delta < 0) inFlight.lastEndMs = t;
}

// Must be patched before the emulator creates its server. Admin routes are never used by the benchmark.
const originalEmit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitObserved(event, ...args) {
  if (event === "request") {
    const [, res] = args; // ("request", req, res)
    changeInFlight(+1);
    res.once("close", () => changeInFlight(-1));
  }
  return Reflect.apply(originalEmit, this, [event, ...args]);
};

function resetInFlight() {
  Object.assign(inFlight, { peak: inFlight.current, integralMs: 0, lastChangeMs: nowMs(), firstStartMs: undefined, lastEndMs: undefined });
}

function requestSummary(emulator) {
  const byKind = {};
  for (const r of emulator.requests.all()) {
    const kind = `${r.method} ${r.status}`;
    byKind[kind] = (byKind[kind] || 0) + 1;
  }
  changeInFlight(0);
  return {
    total: Object.values(byKind).reduce((a, b) => a + b, 0),
    byKind,
    inFlight: { peak: inFlight.peak, integralMs: inFlight.integralMs, firstStartMs: inFlight.firstStartMs, lastEndMs: inFlight.lastEndMs },
  };
}

/** Sends a message to the benchmark, which starts this script with child_process.fork (an IPC channel). */
function send(message) {
  if (!process.send) throw new Error("emulatorHost.js runs as a child of the benchmark (child_process.fork), with an IPC channel");
  process.send(message);
}

async function main() {
  const options = JSON.parse(process.argv[2] || "{}");
  const { startEmulator } = loadEmulatorModule();
  const emulator = await startEmulator(options);
  const commands = {
    seed: ({ count, seed }) => Array.from({ length: count }, () => String(emulator.seedShare(seed).shareId)),
    clearRequests: () => {
      emulator.requests.clear();
      resetInFlight();
      return true;
    },
    requests: () => requestSummary(emulator),
    setFaults: (faults) => {
      emulator.faults.set(faults);
      return emulator.faults.current();
    },
    close: async () => {
      await emulator.close();
      setImmediate(() => process.exit(0));
      return true;
    },
  };
  process.on("message", async ({ id, command, args }) => {
    try {
      send({ id, result: await commands[command](args) });
    } catch (/** @type {any} */ e) {
      send({ id, error: String(e?.stack ? e.stack : e) });
    }
  });
  // The parent going away (crash, deadline, Ctrl-C) must not leave this process behind.
  process.on("disconnect", () => process.exit(0));
  send({ ready: true, url: emulator.url });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
