import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { TOKEN, USER_ID } from "./support/fixtures";
import { CLI, alive, runCli } from "./support/cli";
import { raw, tokenHeaders } from "./support/rawHttp";
import { useScratchDir } from "./support/scratch";

/** Running servers that `start` spawned from this package's CLI (Linux /proc; its ready file lives in a
 *  koodrive-emulator-* scratch folder, which tells them from the foreground servers other test files run). */
function emulatorPids(): number[] {
  return fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        return cmdline.includes(CLI) && cmdline.includes("koodrive-emulator-") && alive(pid);
      } catch {
        return false;
      }
    });
}

const scratch = useScratchDir("koodrive-pipeline-");
const env = { PATH: process.env.PATH, KOODRIVE_EMULATOR_TOKEN: TOKEN };
const started: number[] = [];
afterAll(() => {
  for (const pid of started) if (alive(pid)) process.kill(pid, "SIGKILL");
});

describe("pipeline mode: start and stop", () => {
  it("start prints only the URL and returns once listening; stop ends it and removes the pid file", async () => {
    const pidFile = path.join(scratch(), "a.pid");
    const logFile = path.join(scratch(), "a.log");
    const up = await runCli(["start", "--pid-file", pidFile, "--log-file", logFile, "--log-requests", "--edition", "enterprise"], env);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\n$/);
    const url = up.stdout.trim();
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    started.push(pid);
    expect(alive(pid)).toBe(true);
    const share = await raw(url, "POST", "/__admin/shares", {}, JSON.stringify({ ownerId: USER_ID }));
    expect((await raw(url, "GET", `/koodrive/ose/v1/share/${share.json.shareId}`, tokenHeaders(TOKEN, USER_ID, { "X-Hw-Agentname": undefined }))).status).toBe(
      200,
    );

    const down = await runCli(["stop", "--pid-file", pidFile], env);
    expect(down.code).toBe(0);
    expect(down.stdout).toBe(`koodrive-emulator stopped (pid ${pid})\n`);
    expect(alive(pid)).toBe(false);
    expect(fs.existsSync(pidFile)).toBe(false);
    const log = fs.readFileSync(logFile, "utf8");
    expect(log).toMatch(/GET \/koodrive\/ose\/v1\/share\/\d+ 200/);
    expect(log).toMatch(/koodrive-emulator stopped: 1 requests \(by status: 200: 1\)/);
  });

  it("stop of something not running exits 0 with a message", async () => {
    const missing = await runCli(["stop", "--pid-file", path.join(scratch(), "never.pid")], env);
    expect(missing).toMatchObject({ code: 0, stdout: expect.stringMatching(/not running/) });
    const stale = path.join(scratch(), "stale.pid");
    fs.writeFileSync(stale, "999999999\n");
    const gone = await runCli(["stop", "--pid-file", stale], env);
    expect(gone).toMatchObject({ code: 0, stdout: expect.stringMatching(/not running \(pid 999999999 is gone\)/) });
    expect(fs.existsSync(stale)).toBe(false);
    const reused = path.join(scratch(), "reused.pid");
    fs.writeFileSync(reused, `${process.pid}\n`); // a pid another program (this test) has now
    const other = await runCli(["stop", "--pid-file", reused], env);
    expect(other).toMatchObject({ code: 0, stdout: `koodrive-emulator stop: not running (pid ${process.pid} is another program now, left alone)\n` });
  });

  it("stop sends SIGKILL when SIGTERM is ignored past --timeout", async () => {
    // A stand-in that ignores SIGTERM, run as a script named as the bin is: what stop checks a pid's command line for.
    const script = path.join(scratch(), "bin", "koodrive-emulator");
    fs.mkdirSync(path.dirname(script), { recursive: true });
    fs.writeFileSync(script, "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready')");
    const stubborn = spawn(process.execPath, [script]);
    const exited = new Promise((r) => stubborn.once("exit", (_code, signal) => r(signal)));
    try {
      await new Promise((r) => stubborn.stdout.once("data", r));
      const pidFile = path.join(scratch(), "stubborn.pid");
      fs.writeFileSync(pidFile, `${stubborn.pid}\n`);
      const res = await runCli(["stop", "--pid-file", pidFile, "--timeout", "0.5"], env);
      expect(res).toMatchObject({ code: 0, stdout: `koodrive-emulator killed (no exit within 0.5 s of SIGTERM) (pid ${stubborn.pid})\n` });
      expect(await exited).toBe("SIGKILL");
      expect(fs.existsSync(pidFile)).toBe(false);
    } finally {
      // If stop failed (say, the CLI was not built), the stand-in would outlive the run: it ignores SIGTERM.
      if (stubborn.exitCode === null && stubborn.signalCode === null) stubborn.kill("SIGKILL");
    }
  });

  it("start on a port in use fails fast with the server's own reason and leaves nothing running", async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    const pidFile = path.join(scratch(), "busy.pid");
    try {
      const began = Date.now();
      const res = await runCli(["start", "--pid-file", pidFile, "--port", String(port)], env);
      expect(res.code).toBe(1);
      expect(res.stdout).toBe("");
      expect(res.stderr).toMatch(/exited \(code 1\) before listening/);
      expect(res.stderr).toMatch(/EADDRINUSE/);
      expect(Date.now() - began).toBeLessThan(10_000);
      expect(fs.existsSync(pidFile)).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it("start gives up after --ready-timeout, or when it cannot write the pid file, and leaves nothing running", async () => {
    const before = emulatorPids();
    const slow = await runCli(["start", "--pid-file", path.join(scratch(), "slow.pid"), "--ready-timeout", "0.001"], env);
    expect(slow.code).toBe(1);
    expect(slow.stderr).toMatch(/did not listen within 0\.001 s; stopped it/);
    const unwritable = await runCli(["start", "--pid-file", path.join(scratch(), "no-such-dir", "x.pid")], env);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toMatch(/cannot write the pid file .*; stopped the server/);
    await new Promise((r) => setTimeout(r, 300));
    expect(emulatorPids().filter((pid) => !before.includes(pid))).toEqual([]);
  });

  it("start with a bad flag exits 2 before starting anything", async () => {
    const pidFile = path.join(scratch(), "bad.pid");
    const res = await runCli(["start", "--pid-file", pidFile, "--latency-ms=-5"], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--latency-ms must be/);
    expect(fs.existsSync(pidFile)).toBe(false);
    expect((await runCli(["start"], env)).stderr).toMatch(/start needs --pid-file/);
    // The rule as it is: 0 is refused, so the message must not say "from 0".
    const zero = await runCli(["start", "--pid-file", pidFile, "--ready-timeout", "0"], env);
    expect(zero).toMatchObject({ code: 2, stderr: expect.stringContaining("--ready-timeout must be a number of seconds above 0, at most 3600") });
  });

  it("start refuses a second server on the same pid file", async () => {
    const pidFile = path.join(scratch(), "twice.pid");
    const first = await runCli(["start", "--pid-file", pidFile], env);
    expect(first.code).toBe(0);
    started.push(Number(fs.readFileSync(pidFile, "utf8")));
    const second = await runCli(["start", "--pid-file", pidFile], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already running with pid \d+/);
    expect((await runCli(["stop", "--pid-file", pidFile], env)).code).toBe(0);
  });
});
