// Client micro-benchmark: sequential PUTs through KooDriveClient against the same PUTs sent with raw node:http and
// a keep-alive agent, on loopback, to an emulator in its own process (so only the client side's CPU is counted).
// The raw side does what the API demands of any client: fresh X-Date and trace id, JSON body, parsed answer.
// A third side sends those same requests through axios alone, configured exactly as the client configures it
// (`axiosFor`), so the report tells what axios costs from what the client's own work (budget, signing, retries,
// response schema) adds on top.
"use strict";
const crypto = require("node:crypto");
const http = require("node:http");
const path = require("node:path");
const { ensureSelfLink, repoRoot } = require("../lib/engine");
const { startEmulatorProcess } = require("./emulatorProcess");

const USER_ID = "1505084218764547200";
const AGENT = "bench";

function xDate() {
  const iso = new Date().toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** The headers both hand-written sides send: what the API demands of any client. */
function requestHeaders(token) {
  return {
    "Content-Type": "application/json",
    "X-User-Id": USER_ID,
    "X-Date": xDate(),
    "X-Hw-Agentname": AGENT,
    "X-Traceid": crypto.randomBytes(29).toString("hex"),
    Authorization: `Bearer ${token}`,
  };
}

/** The share from a PUT's answer, or a failure naming the status and code. */
function answeredShare(side, status, text) {
  const parsed = JSON.parse(text);
  if (status !== 200 || parsed.code !== 0) throw new Error(`${side} PUT answered ${status} ${parsed.code}`);
  return parsed.shareLink;
}

function rawPutter(url, token, shareId) {
  const base = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sharePath = `/koodrive/ose/v1/share/${shareId}`;
  const put = (body) =>
    new Promise((resolve, reject) => {
      const payload = JSON.stringify(body);
      const headers = { ...requestHeaders(token), "Content-Length": Buffer.byteLength(payload) };
      const req = http.request({ host: base.hostname, port: base.port, path: sharePath, method: "PUT", agent, headers }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          try {
            resolve(answeredShare("raw", res.statusCode, Buffer.concat(chunks).toString("utf8")));
          } catch (e) {
            reject(e);
          }
        });
      });
      req.on("error", reject);
      req.end(payload);
    });
  return { put, close: () => agent.destroy() };
}

/** The same PUTs through axios, configured by the client's own `axiosFor` and agents. */
function axiosPutter(settings, token, shareId) {
  const { axiosFor, transportFor } = require(path.join(repoRoot, "dist", "client", "transport.js"));
  const transport = transportFor(settings.endpoint, settings.proxy);
  const instance = axiosFor(settings.endpoint, settings.timeoutMs, transport);
  const sharePath = `/koodrive/ose/v1/share/${shareId}`;
  const put = async (body) => {
    const res = await instance.request({ method: "PUT", url: sharePath, data: JSON.stringify(body), headers: requestHeaders(token) });
    return answeredShare("axios", res.status, res.data);
  };
  return { put, close: () => transport.httpAgent.destroy() };
}

/** @typedef {{ wallUs: number, cpuUs: number }} Timing wall and CPU microseconds per call */
/** @typedef {"client" | "axios" | "raw"} Side */

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
 * @returns {Promise<{ rounds: Array<Record<Side, Timing>>, putsPerRound: number }>}
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
    const axiosShare = axiosPutter(settings, token, shareId);
    const body = (i) => ({ validDays: (i % 365) + 1, extractCode: "MDg2K0vU", comment: `bench ${i}` });
    /** @type {Record<Side, (i: number) => Promise<unknown>>} */
    const sides = {
      client: (i) => client.updateShare(shareId, body(i)),
      axios: (i) => axiosShare.put(body(i)),
      raw: (i) => rawShare.put(body(i)),
    };
    for (const side of Object.values(sides)) await timeSequential(Math.min(200, putsPerRound), side); // warm-up (JIT, sockets)
    const results = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate the order so drift in machine load does not favour one side.
      /** @type {Side[]} */
      const order = r % 2 === 0 ? ["client", "axios", "raw"] : ["raw", "axios", "client"];
      const round = /** @type {Record<Side, Timing>} */ ({});
      for (const name of order) round[name] = await timeSequential(putsPerRound, sides[name]);
      results.push(round);
      const figures = order.map((name) => `${name} ${round[name].wallUs.toFixed(0)} / ${round[name].cpuUs.toFixed(0)}`);
      log(`  client round ${r + 1} (µs wall / CPU per PUT): ${figures.join(", ")}`);
    }
    rawShare.close();
    axiosShare.close();
    return { rounds: results, putsPerRound };
  } finally {
    await emulator.close();
  }
}

module.exports = { runClientBench };
