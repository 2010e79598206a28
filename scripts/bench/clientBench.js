// Client micro-benchmark: sequential PUTs through KooDriveClient against the same PUTs sent with raw node:http and
// a keep-alive agent, on loopback, to an emulator in its own process (so only the client side's CPU is counted).
// The raw side does what the API demands of any client: fresh X-Date and trace id, JSON body, parsed answer.
"use strict";
const crypto = require("node:crypto");
const http = require("node:http");
const { ensureSelfLink } = require("../lib/engine");
const { startEmulatorProcess } = require("./emulatorProcess");

const USER_ID = "1505084218764547200";
const AGENT = "bench";

function xDate() {
  const iso = new Date().toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

function rawPutter(url, token, shareId) {
  const base = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const path = `/koodrive/ose/v1/share/${shareId}`;
  const put = (body) =>
    new Promise((resolve, reject) => {
      const payload = JSON.stringify(body);
      const headers = {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(payload),
        "X-User-Id": USER_ID,
        "X-Date": xDate(),
        "X-Hw-Agentname": AGENT,
        "X-Traceid": crypto.randomBytes(29).toString("hex"),
        Authorization: `Bearer ${token}`,
      };
      const req = http.request({ host: base.hostname, port: base.port, path, method: "PUT", agent, headers }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          if (res.statusCode !== 200 || parsed.code !== 0) reject(new Error(`raw PUT answered ${res.statusCode} ${parsed.code}`));
          else resolve(parsed.shareLink);
        });
      });
      req.on("error", reject);
      req.end(payload);
    });
  return { put, close: () => agent.destroy() };
}

/** @typedef {{ wallUs: number, cpuUs: number }} Timing wall and CPU microseconds per call */

/**
 * Times `count` sequential calls of `one(i)`: wall and CPU microseconds per call.
 * @param {number} count
 * @param {(i: number) => Promise<unknown>} one
 * @returns {Promise<Timing>}
 */
async function timeSequential(count, one) {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await one(i);
  const wallUs = Number(process.hrtime.bigint() - t0) / 1e3 / count;
  const cpu = process.cpuUsage(cpu0);
  return { wallUs, cpuUs: (cpu.user + cpu.system) / count };
}

/**
 * @param {{ rounds: number, putsPerRound: number, log: (line: string) => void }} options
 * @returns {Promise<{ rounds: Array<{ client: Timing, raw: Timing }>, putsPerRound: number }>}
 */
async function runClientBench({ rounds, putsPerRound, log }) {
  ensureSelfLink();
  const { KooDriveClient, resolveConnectionSettings } = require("pulumi-koodrive");
  const token = crypto.randomBytes(16).toString("hex");
  const emulator = await startEmulatorProcess({ tokens: [token], requestLogLimit: 1000 });
  try {
    const [shareId] = await emulator.seed(1, { ownerId: USER_ID, comment: "seeded", validDays: 10 });
    const settings = resolveConnectionSettings(() => undefined, {
      KOODRIVE_ENDPOINT: emulator.url,
      KOODRIVE_USER_ID: USER_ID,
      KOODRIVE_AGENT_NAME: AGENT,
      KOODRIVE_ACCESS_TOKEN: token,
    });
    const client = new KooDriveClient(settings);
    const rawShare = rawPutter(emulator.url, token, shareId);
    const body = (i) => ({ validDays: (i % 365) + 1, extractCode: "MDg2K0vU", comment: `bench ${i}` });
    const sides = {
      client: (i) => client.updateShare(shareId, body(i)),
      raw: (i) => rawShare.put(body(i)),
    };
    for (const side of Object.values(sides)) await timeSequential(Math.min(200, putsPerRound), side); // warm-up (JIT, sockets)
    const results = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate which side goes first so drift in machine load does not favour one.
      /** @type {Array<"client" | "raw">} */
      const order = r % 2 === 0 ? ["client", "raw"] : ["raw", "client"];
      const round = /** @type {{ client: Timing, raw: Timing }} */ ({});
      for (const name of order) round[name] = await timeSequential(putsPerRound, sides[name]);
      results.push(round);
      log(
        `  client round ${r + 1}: client ${round.client.wallUs.toFixed(0)} µs wall / ${round.client.cpuUs.toFixed(0)} µs CPU, raw ${round.raw.wallUs.toFixed(0)} / ${round.raw.cpuUs.toFixed(0)} per PUT`,
      );
    }
    rawShare.close();
    return { rounds: results, putsPerRound };
  } finally {
    await emulator.close();
  }
}

module.exports = { runClientBench };
