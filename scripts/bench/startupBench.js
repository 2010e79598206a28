// Provider start-up micro-benchmark: what a fresh provider process spends, after the SDK is loaded, to load the
// implementation and answer its first read (one GET to an emulator in its own process). Every engine operation starts
// such a process, so this is paid by every preview, up, refresh and destroy. Two sides run the same code: the bundle
// that `pulumi-koodrive/provider-impl` resolves to (scripts/bundleProvider.js), and tsc's unbundled build
// (dist/provider/impl.js), which loads zod and the implementation file by file. Both load axios from node_modules.
"use strict";
const crypto = require("node:crypto");
const { execFile } = require("node:child_process");
const path = require("node:path");
const { promisify } = require("node:util");
const { ensureSelfLink, repoRoot } = require("../lib/engine");
const { startEmulatorProcess } = require("./emulatorProcess");

const USER_ID = "1505084218764547200";

/** The sides, by the file each loads. */
const SIDES = {
  bundle: path.join(repoRoot, "dist", "provider-impl.js"),
  unbundled: path.join(repoRoot, "dist", "provider", "impl.js"),
};

// One sample: load the SDK first (the provider host has, before it calls the implementation), then time the
// implementation's load and its first read through 0.1.0's named `read` entry point (the shims' `run` dispatches to
// the same code).
const CHILD = `
const sdk = require(process.env.SDK_PATH);
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
require(process.env.IMPL_PATH).read(process.env.SHARE_ID, { shareId: process.env.SHARE_ID, validDays: 10 }).then((result) => {
  const cpu = process.cpuUsage(cpu0);
  if (result.props.comment !== "seeded") throw new Error("unexpected read answer");
  console.log(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs: Number(process.hrtime.bigint() - t0) / 1e6 }));
});`;

/** @typedef {{ cpuMs: number, wallMs: number }} StartupTiming */
/** @typedef {keyof typeof SIDES} StartupSide */

function medianOf(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * @param {{ rounds: number, samplesPerRound: number, log: (line: string) => void }} options
 * @returns {Promise<{ rounds: Array<Record<StartupSide, StartupTiming>>, samplesPerRound: number }>}
 */
async function runStartupBench({ rounds, samplesPerRound, log }) {
  ensureSelfLink();
  const token = crypto.randomBytes(16).toString("hex");
  const emulator = await startEmulatorProcess({ tokens: [token], requestLogLimit: 1000 });
  try {
    const [shareId] = await emulator.seed(1, { ownerId: USER_ID, comment: "seeded", validDays: 10 });
    const baseEnv = {
      PATH: process.env.PATH,
      SDK_PATH: require.resolve("@pulumi/pulumi", { paths: [repoRoot] }),
      SHARE_ID: shareId,
      KOODRIVE_ENDPOINT: emulator.url,
      KOODRIVE_USER_ID: USER_ID,
      KOODRIVE_AGENT_NAME: "bench",
      KOODRIVE_ACCESS_TOKEN: token,
    };
    /** @param {StartupSide} side */
    const sample = async (side) => {
      const { stdout } = await promisify(execFile)(process.execPath, ["-e", CHILD], { env: { ...baseEnv, IMPL_PATH: SIDES[side] }, timeout: 60_000 });
      return /** @type {StartupTiming} */ (JSON.parse(stdout.trim().split("\n").pop() ?? ""));
    };
    const results = [];
    for (let r = 0; r < rounds; r++) {
      /** @type {Record<StartupSide, StartupTiming[]>} */
      const samples = { bundle: [], unbundled: [] };
      // Interleaved, one process at a time, so machine load drifts over both sides alike.
      for (let i = 0; i < samplesPerRound; i++) {
        /** @type {StartupSide[]} */
        const order = (r + i) % 2 === 0 ? ["bundle", "unbundled"] : ["unbundled", "bundle"];
        for (const side of order) samples[side].push(await sample(side));
      }
      const round = /** @type {Record<StartupSide, StartupTiming>} */ ({});
      for (const side of /** @type {StartupSide[]} */ (Object.keys(samples))) {
        round[side] = { cpuMs: medianOf(samples[side].map((s) => s.cpuMs)), wallMs: medianOf(samples[side].map((s) => s.wallMs)) };
      }
      results.push(round);
      log(
        `  provider start-up round ${r + 1} (ms CPU / wall, median of ${samplesPerRound}): bundle ${round.bundle.cpuMs.toFixed(0)} / ${round.bundle.wallMs.toFixed(0)}, unbundled ${round.unbundled.cpuMs.toFixed(0)} / ${round.unbundled.wallMs.toFixed(0)}`,
      );
    }
    return { rounds: results, samplesPerRound };
  } finally {
    await emulator.close();
  }
}

module.exports = { runStartupBench };
