// Benchmark (not a test): the emulator's resident memory before and after 300 unauthenticated 1 MiB POSTs, the flood
// that used to grow it by ~350 MB (every body was kept in the request log). Target: < 50 MB growth. The emulator runs
// as the CLI in its own process; RSS is read from /proc (Linux).
// Usage: npm run bench:memory [-- --posts 300]   (after npm run build)
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const readline = require("node:readline");
const { parseArgs } = require("node:util");

const { values } = parseArgs({ options: { posts: { type: "string", default: "300" } } });
const POSTS = Math.min(2000, Number(values.posts));
const TARGET_MB = 50;
const body = Buffer.alloc(1024 * 1024, "a");

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;

function post(base, agent) {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        path: "/koodrive/ose/v1/share",
        method: "POST",
        agent,
        headers: { "Content-Type": "application/json", "Content-Length": body.length },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

async function main() {
  const child = spawn(process.execPath, [path.join(__dirname, "../dist/cli.js"), "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, KOODRIVE_EMULATOR_TOKEN: "bench-memory-token" },
  });
  const line = await new Promise((resolve) => readline.createInterface({ input: child.stdout }).once("line", resolve));
  const base = new URL(/(http:\/\/\S+)/.exec(line)[1]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const warmup = await post(base, agent);
  await new Promise((r) => setTimeout(r, 300));
  const before = rssMb(child.pid);
  const statuses = new Map();
  for (let i = 0; i < POSTS; i++) {
    const status = await post(base, agent);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  await new Promise((r) => setTimeout(r, 500));
  const after = rssMb(child.pid);
  const log = await fetch(`${base.origin}/__admin/requests`).then((r) => r.json());
  const logBytes = JSON.stringify(log).length;
  agent.destroy();
  child.kill("SIGTERM");
  const growth = after - before;
  console.log(`koodrive-emulator memory: ${POSTS} unauthenticated 1 MiB POSTs (warm-up answered ${warmup}), Node ${process.version}`);
  console.log(
    `  answers: ${[...statuses].map(([s, n]) => `${s} x${n}`).join(", ")}; request log holds ${log.requests.length} entries, ${(logBytes / 1024).toFixed(0)} KiB`,
  );
  console.log(
    `  emulator RSS before ${before.toFixed(1)} MiB, after ${after.toFixed(1)} MiB, growth ${growth.toFixed(1)} MiB (target < ${TARGET_MB} MB): ${growth < TARGET_MB ? "ok" : "OVER TARGET"}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
