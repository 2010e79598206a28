import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { HELP, SERVER_FLAGS, START_FLAGS, STOP_FLAGS } from "../src/cliArgs";
import { TOKEN, USER_ID } from "./support/fixtures";
import { CLI, killLeftovers, runCli, startForeground, stopWith } from "./support/cli";
import { raw, tokenHeaders } from "./support/rawHttp";
import { useScratchDir } from "./support/scratch";

const SHARE = "/koodrive/ose/v1/share";
const scratch = useScratchDir("koodrive-cli-");
afterEach(killLeftovers);

describe("koodrive-emulator CLI, foreground", () => {
  it("--help documents every flag and prefers the environment for credentials", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(HELP);
    for (const flag of [...Object.keys(SERVER_FLAGS), ...Object.keys(START_FLAGS), ...Object.keys(STOP_FLAGS)]) expect(HELP).toContain(`--${flag}`);
    expect(HELP).toMatch(/Prefer the environment: command-line values show in ps/);
    for (const env of ["KOODRIVE_EMULATOR_TOKEN", "KOODRIVE_EMULATOR_APP_ID", "KOODRIVE_EMULATOR_APP_SECRET", "KOODRIVE_EMULATOR_ADMIN_TOKEN"])
      expect(HELP).toContain(env);
  });

  it("prints the base URL first, writes the ready file, logs requests without secrets and sums up on SIGTERM", async () => {
    const readyFile = path.join(scratch(), "ready");
    const { child, firstLine, lines } = await startForeground([
      "--port",
      "0",
      "--token",
      TOKEN,
      "--fail-next",
      "1",
      "--fail-status",
      "500",
      "--drop-after-apply-next",
      "1",
      "--ready-file",
      readyFile,
      "--log-requests",
    ]);
    const url = /^KooDrive emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(firstLine)![1]!;
    expect(fs.readFileSync(readyFile, "utf8")).toBe(`${url}\n`);
    const share = await raw(url, "POST", "/__admin/shares", {}, JSON.stringify({ ownerId: USER_ID }));
    const sharePath = `${SHARE}/${share.json.shareId}`;
    expect((await raw(url, "GET", sharePath, tokenHeaders(TOKEN, USER_ID))).status).toBe(500);
    await expect(raw(url, "PUT", sharePath, tokenHeaders(TOKEN, USER_ID), JSON.stringify({ validDays: 1, extractCode: "SECRET99" }))).rejects.toThrow();
    expect((await raw(url, "GET", sharePath, tokenHeaders(TOKEN, USER_ID))).status).toBe(200);
    expect(await stopWith(child, "SIGTERM")).toBe(0);
    const output = lines.join("\n");
    expect(lines.slice(1, 4).map((l) => l.replace(/^\S+ /, "").replace(/ [\d.]+ms/, " Nms"))).toEqual([
      `GET ${sharePath} 500 Nms fault=status 500`,
      `PUT ${sharePath} 0 Nms fault=dropAfterApply applied`,
      `GET ${sharePath} 200 Nms`,
    ]);
    expect(lines.at(-1)).toBe("koodrive-emulator stopped: 3 requests (by status: 0: 1, 200: 1, 500: 1); faults fired: dropAfterApply: 1, status 500: 1");
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain("SECRET99");
  });

  it("starts share IDs afresh on every start, so state kept from an earlier run cannot meet a new share", async () => {
    const firstIds: string[] = [];
    for (let run = 0; run < 2; run++) {
      const { child, firstLine } = await startForeground(["--token", TOKEN]);
      const url = firstLine.split(" ").at(-1)!;
      const share = await raw(url, "POST", "/__admin/shares", {}, JSON.stringify({ ownerId: USER_ID }));
      firstIds.push(share.json.shareId);
      await stopWith(child, "SIGTERM");
    }
    expect(firstIds[0]).toMatch(/^\d{19}$/);
    expect(firstIds[1]).toMatch(/^\d{19}$/);
    expect(BigInt(firstIds[1]!)).toBeGreaterThan(BigInt(firstIds[0]!));
  });

  it("stops on SIGINT too, with exit code 0", async () => {
    const { child } = await startForeground(["--token", TOKEN]);
    expect(await stopWith(child, "SIGINT")).toBe(0);
  });

  it("takes credentials and the clock offset from the environment and flags", async () => {
    const { child, firstLine } = await startForeground(["--clock-offset", "30d", "--token", TOKEN]);
    const url = firstLine.split(" ").at(-1)!;
    const clock = await raw(url, "GET", "/__admin/clock");
    expect(clock.json.offsetMs).toBe(30 * 86_400_000);
    expect(Date.parse(clock.headers.date!) - Date.now()).toBeGreaterThan(30 * 86_400_000 - 5000);
    await stopWith(child, "SIGTERM");
  });

  it.each([
    [["--port", "abc", "--token", "t"], /--port must be a number/],
    [[], /at least one credential/],
    [["--bogus"], /Unknown option/],
    [["--token", "t", "--error-rate", "3"], /--error-rate must be a probability/],
    [["--token", "t", "--fail-after-apply-next", "1.5"], /--fail-after-apply-next must be an integer count/],
    [["--token", "t", "--clock-offset", "soon"], /--clock-offset must be a duration/],
    [["--token", "t", "--edition", "gold"], /--edition must be carrier or enterprise/],
    [["--token", "t", "--answers", "documented-detail"], /--answers must be one of full, documented, lean/],
    [["--token", "t", "--request-log-max-bytes", "0"], /--request-log-max-bytes must be a positive integer/],
    [["--token", "t", "--port", "70000"], /--port must be an integer from 0 to 65535/],
    [["--token", "t", "--token-ttl-seconds", "0"], /--token-ttl-seconds must be a positive number/],
    [["--token", "t", "--admin-token", "short"], /--admin-token \/ KOODRIVE_EMULATOR_ADMIN_TOKEN must be at least 8 characters/],
  ])("rejects %j with exit code 2 and the rule", async (args, msg) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(msg);
  });

  it("refuses a non-loopback bind without an admin token (exit 1, reason on stderr)", async () => {
    const { code, stderr } = await runCli(["--token", "t", "--host", "0.0.0.0"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot start: binding to 0\.0\.0\.0 exposes the admin API.*admin token/);
  });

  it("refuses a bad state file at start, naming the file and the entry", async () => {
    const file = path.join(scratch(), "bad-state.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        nextId: "10",
        shares: [
          {
            shareId: "5",
            shortUrl: "6",
            ownerId: "1",
            containerId: "c",
            fileIds: ["f"],
            scope: 1,
            displayName: "f",
            shareTime: 0,
            updateTime: 0,
            expireTime: 1e20,
            status: 0,
            viewCnt: 0,
            downloadCnt: 0,
            saveCnt: 0,
          },
        ],
      }),
    );
    const { code, stderr } = await runCli(["--token", "t", "--state", file]);
    expect(code).toBe(1);
    expect(stderr).toContain(`state file ${file}: shares[0] (shareId 5): expireTime must be epoch milliseconds up to year 9999`);
  });
});

describe("a start cancelled while it waits for the server", () => {
  it.each(["SIGTERM", "SIGINT"] as const)(
    "%s stops the server it started, which no pid file names yet, and exits 128+n",
    async (signal) => {
      // The server takes 2 s to start listening (a preload that blocks only the server process), so the signal comes
      // while start is still waiting.
      const preload = path.join(scratch(), "slow-server.js");
      fs.writeFileSync(preload, 'if (process.argv.includes("--ready-file")) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);\n');
      const free = net.createServer();
      await new Promise<void>((resolve) => free.listen(0, "127.0.0.1", resolve));
      const port = (free.address() as net.AddressInfo).port;
      await new Promise((resolve) => free.close(resolve));
      const pidFile = path.join(scratch(), "emulator.pid");
      const start = spawn(process.execPath, [CLI, "start", "--pid-file", pidFile, "--port", String(port), "--token", TOKEN], {
        env: { PATH: process.env.PATH, NODE_OPTIONS: `--require ${preload}` },
      });
      let stderr = "";
      start.stderr.on("data", (c) => (stderr += c));
      const exited = new Promise<number | null>((resolve) => start.on("close", (code) => resolve(code)));
      await new Promise((resolve) => setTimeout(resolve, 500));
      start.kill(signal);
      expect(await exited).toBe(128 + os.constants.signals[signal]);
      expect(stderr).toMatch(new RegExp(`${signal} while waiting for the server to listen; stopped it`));
      expect(fs.existsSync(pidFile)).toBe(false);
      // Past the server's 2 s: nothing listens on its port.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const connected = await new Promise<boolean>((resolve) => {
        const socket = net.connect(port, "127.0.0.1", () => {
          socket.destroy();
          resolve(true);
        });
        socket.on("error", () => resolve(false));
      });
      expect(connected).toBe(false);
    },
    20_000,
  );
});
