// Benchmark (not a test): PUT /koodrive/ose/v1/share/{id} requests per second against the koodrive-emulator CLI on
// loopback, with token auth and with HMAC app auth. The emulator runs in its own process; this process generates
// load with keep-alive connections. Bounded: a fixed duration per scenario, loopback only.
// Usage: npm run bench:throughput [-- --seconds 5 --concurrency 32]   (after npm run build)
"use strict";
const { spawn } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const readline = require("node:readline");
const { parseArgs } = require("node:util");

const { values } = parseArgs({ options: { seconds: { type: "string", default: "5" }, concurrency: { type: "string", default: "32" } } });
const SECONDS = Math.min(60, Number(values.seconds));
const CONCURRENCY = Math.min(256, Number(values.concurrency));
const TOKEN = crypto.randomBytes(12).toString("hex");
const APP_ID = "bench-app";
const APP_SECRET = crypto.randomBytes(12).toString("hex");
const USER_ID = "1505084218764547200";
const packageRoot = path.resolve(__dirname, "..");

function xDate() {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

async function main() {
  // Signed with the emulator's own verifier: this package does not depend on any client.
  const { expectedSignature } = require(path.join(packageRoot, "dist/index.js"));
  const child = spawn(process.execPath, [path.join(packageRoot, "dist/cli.js"), "--port", "0", "--request-log-limit", "1000"], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, KOODRIVE_EMULATOR_TOKEN: TOKEN, KOODRIVE_EMULATOR_APP_ID: APP_ID, KOODRIVE_EMULATOR_APP_SECRET: APP_SECRET },
  });
  const line = await new Promise((resolve) => readline.createInterface({ input: child.stdout }).once("line", resolve));
  const base = new URL(/(http:\/\/\S+)/.exec(line)[1]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const seed = await fetch(`${base.origin}/__admin/shares`, { method: "POST", body: JSON.stringify({ ownerId: USER_ID }) }).then((r) => r.json());
  const sharePath = `/koodrive/ose/v1/share/${seed.shareId}`;
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"))[1]) / 1024;
  // CPU seconds the emulator process used (utime + stime): PUTs per CPU-second do not depend on how busy the machine is.
  const cpuSeconds = () => {
    const fields = fs.readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };

  async function scenario(name, authorize) {
    let ok = 0;
    let failed = 0;
    const latencies = [];
    const deadline = Date.now() + SECONDS * 1000;
    const one = (i) =>
      new Promise((resolve) => {
        const body = JSON.stringify({ validDays: (i % 365) + 1, comment: `bench ${i}`, extractCode: "MDg2K0vU" });
        const date = xDate();
        const headers = {
          "Content-Type": "application/json",
          "X-User-Id": USER_ID,
          "X-Date": date,
          "X-Hw-Agentname": "bench",
          "X-Traceid": "b".repeat(58),
          Authorization: authorize(body, date),
        };
        const start = process.hrtime.bigint();
        const req = http.request({ host: base.hostname, port: base.port, path: sharePath, method: "PUT", agent, headers }, (res) => {
          res.resume();
          res.on("end", () => {
            latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
            if (res.statusCode === 200) ok += 1;
            else failed += 1;
            resolve();
          });
        });
        req.on("error", () => {
          failed += 1;
          resolve();
        });
        req.end(body);
      });
    let counter = 0;
    const cpuBefore = cpuSeconds();
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < deadline) await one(counter++);
      }),
    );
    const elapsed = (Date.now() - started) / 1000;
    const cpu = cpuSeconds() - cpuBefore;
    latencies.sort((a, b) => a - b);
    const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(2);
    console.log(
      `${name.padEnd(16)} ${(ok / elapsed).toFixed(0).padStart(6)} PUT/s   ok ${ok}, failed ${failed}   latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms   emulator RSS ${rss().toFixed(0)} MiB   ${(ok / cpu).toFixed(0)} PUT per emulator CPU-second`,
    );
  }

  console.log(
    `koodrive-emulator PUT throughput: ${SECONDS} s per scenario, ${CONCURRENCY} concurrent keep-alive connections, loopback, Node ${process.version}, ${require("node:os").cpus().length} CPUs`,
  );
  await scenario("token auth", () => `Bearer ${TOKEN}`);
  const signed = ["host", "x-date", "x-user-id"];
  await scenario("HMAC app auth", (body, date) => {
    const headers = { host: base.host, "x-date": date, "x-user-id": USER_ID };
    const signature = expectedSignature({ method: "PUT", path: sharePath, rawQuery: "", headers, body: Buffer.from(body) }, signed, APP_SECRET);
    return `HMAC-SHA256 AppId=${APP_ID},SignedHeaders=${signed.join(";")},Signature=${signature}`;
  });
  agent.destroy();
  child.kill("SIGTERM");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
