import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Emulator, StateFileError } from "../src";
import { TOKEN, USER_ID, testEmulator } from "./support/fixtures";
import { alive, runCli } from "./support/cli";
import { raw, tokenHeaders, xDate } from "./support/rawHttp";
import { useScratchDir } from "./support/scratch";

const SHARE = "/koodrive/ose/v1/share";
const DAY = 86_400_000;
const scratch = useScratchDir("koodrive-statelock-");
const freshFile = (name: string) => path.join(fs.mkdtempSync(path.join(scratch(), `${name}-`)), "state.json");

/** The pid of a process that has exited: a lock naming it is stale. */
async function exitedPid(): Promise<number> {
  const exited = spawn(process.execPath, ["-e", ""]);
  return new Promise<number>((resolve) => exited.on("exit", () => resolve(exited.pid!)));
}

async function statusOf(emulator: Emulator, shareId: string): Promise<number> {
  const headers = tokenHeaders(TOKEN, USER_ID, { "X-Date": xDate(emulator.clock.now()) });
  const res = await raw(emulator.url, "GET", `${SHARE}/${shareId}`, headers);
  return res.json.shareLink.status;
}

describe("the state file keeps the clock", () => {
  it("a link that expired on a moved clock stays expired after a restart; an offset given at start wins", async () => {
    const file = freshFile("clock");
    const first = await testEmulator({ stateFile: file });
    let shareId: string;
    try {
      shareId = first.seedShare({ ownerId: USER_ID, validDays: 7 }).shareId;
      const moved = await raw(first.url, "POST", "/__admin/clock", {}, JSON.stringify({ advanceMs: 8 * DAY }));
      expect(moved.status).toBe(200);
      expect(await statusOf(first, shareId)).toBe(2);
    } finally {
      await first.close();
    }
    expect(JSON.parse(fs.readFileSync(file, "utf8")).clockOffsetMs).toBe(8 * DAY);

    const second = await testEmulator({ stateFile: file });
    try {
      expect(second.clock.offsetMs).toBe(8 * DAY);
      expect(await statusOf(second, shareId)).toBe(2);
    } finally {
      await second.close();
    }

    const rewound = await testEmulator({ stateFile: file, clockOffsetMs: 0 });
    try {
      expect(rewound.clock.offsetMs).toBe(0);
      expect(await statusOf(rewound, shareId)).toBe(0);
    } finally {
      await rewound.close();
    }
    const third = await testEmulator({ stateFile: file });
    expect(third.clock.offsetMs).toBe(0); // the offset given at start was saved too
    await third.close();
  });

  it("a clock move that cannot be saved is refused (500) and the clock stays where it was", async () => {
    const file = freshFile("unsaved");
    const emulator = await testEmulator({ stateFile: file, clockOffsetMs: DAY });
    try {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
      const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
      const moved = await raw(emulator.url, "POST", "/__admin/clock", {}, JSON.stringify({ advanceMs: 30 * DAY }));
      stderr.mockRestore();
      expect(moved.status).toBe(500);
      expect(moved.json.error).toContain(`state file ${file}: cannot be written`);
      expect(emulator.clock.offsetMs).toBe(DAY);
      expect(() => emulator.clock.setOffset(2 * DAY)).toThrow(`state file ${file}: cannot be written`);
      expect(emulator.clock.offsetMs).toBe(DAY);
    } finally {
      await emulator.close();
    }
  });

  it("a state file with a bad clock offset is refused at start, naming the field and the rule", async () => {
    const file = freshFile("badclock");
    fs.writeFileSync(file, JSON.stringify({ nextId: "10", clockOffsetMs: "30d", shares: [] }));
    await expect(testEmulator({ stateFile: file })).rejects.toThrow(
      `state file ${file}: clockOffsetMs must be an integer number of milliseconds from -3153600000000 to 3153600000000`,
    );
  });
});

describe("one emulator per state file", () => {
  it("a second emulator on a file in use is refused, naming the holder; the file is free again after close", async () => {
    const file = freshFile("twice");
    const first = await testEmulator({ stateFile: file });
    try {
      first.seedShare({ ownerId: USER_ID, shareId: "100" });
      const second = testEmulator({ stateFile: file });
      await expect(second).rejects.toThrow(StateFileError);
      await expect(testEmulator({ stateFile: file })).rejects.toThrow(
        `state file ${file}: is in use by another emulator, pid ${process.pid} (this process: close the other emulator first); one emulator per state file (remove ${file}.lock if no emulator is running)`,
      );
      first.seedShare({ ownerId: USER_ID, shareId: "102" }); // the refused start changed nothing
    } finally {
      await first.close();
    }
    expect(fs.readdirSync(path.dirname(file))).toEqual(["state.json"]);
    const again = await testEmulator({ stateFile: file });
    expect([again.getShare("100"), again.getShare("102")].map((s) => s?.shareId)).toEqual(["100", "102"]);
    await again.close();
  });

  it("a lock left by an emulator that is gone is taken over, also when its pid now belongs to another program", async () => {
    const file = freshFile("stale");
    const deadPid = await exitedPid();
    for (const holder of [{ pid: deadPid }, { pid: process.pid, startTicks: "1" }, "not a lock"]) {
      fs.writeFileSync(`${file}.lock`, typeof holder === "string" ? holder : JSON.stringify(holder));
      const emulator = await testEmulator({ stateFile: file });
      expect(JSON.parse(fs.readFileSync(`${file}.lock`, "utf8")).pid).toBe(process.pid);
      await emulator.close();
      expect(fs.existsSync(`${file}.lock`)).toBe(false);
    }
  });

  it("a lock whose holder is a zombie (killed and never reaped, as in a container without an init) is taken over", async () => {
    if (!fs.existsSync("/proc/self/stat")) return; // judged by /proc only
    // The child exits once its parent has become `sleep`, which never reaps it (exiting sooner, the shell may reap it).
    const parent = spawn("sh", ["-c", "sh -c 'while [ \"$(cat /proc/$PPID/comm)\" != sleep ]; do :; done' & echo $!; exec sleep 30"]);
    try {
      const pid = Number(await new Promise<string>((resolve) => parent.stdout.once("data", (c: Buffer) => resolve(c.toString().trim()))));
      const stat = () => fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(")").at(-1)!.trim().split(" ");
      for (let i = 0; i < 100 && stat()[0] !== "Z"; i++) await new Promise((r) => setTimeout(r, 20));
      expect(stat()[0]).toBe("Z");
      const file = freshFile("zombie");
      fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid, startTicks: stat()[19] }));
      const emulator = await testEmulator({ stateFile: file });
      expect(JSON.parse(fs.readFileSync(`${file}.lock`, "utf8")).pid).toBe(process.pid);
      await emulator.close();
    } finally {
      parent.kill("SIGKILL");
    }
  });

  it("a second close of an emulator does not remove the lock another one took since", async () => {
    const file = freshFile("closetwice");
    const first = await testEmulator({ stateFile: file });
    await first.close();
    const second = await testEmulator({ stateFile: file });
    try {
      await first.close().catch(() => undefined);
      await expect(testEmulator({ stateFile: file })).rejects.toThrow(/is in use by another emulator/);
    } finally {
      await second.close();
    }
  });

  it("two emulators starting at the same moment over a stale lock: never both take it", async () => {
    const file = freshFile("race");
    const deadPid = await exitedPid();
    const lockModule = path.join(__dirname, "..", "dist", "stateFileLock.js");
    // Each worker waits for the same wall-clock moment, then tries; it prints whether it took the lock.
    const worker = `const { StateFileLock } = require(${JSON.stringify(lockModule)});
const at = Number(process.argv[1]); while (Date.now() < at) {}
try { StateFileLock.acquire(${JSON.stringify(file)}); console.log("took"); setTimeout(() => {}, 1000); } catch (e) { console.log("refused"); }`;
    // (The winner stays a second, as an emulator would: a holder that has exited may rightly be taken over.)
    for (let round = 0; round < 10; round++) {
      fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: deadPid }));
      const at = String(Date.now() + 400);
      const outcomes = await Promise.all(
        [0, 1].map(
          () =>
            new Promise<string>((resolve) => {
              const child = spawn(process.execPath, ["-e", worker, at]);
              let out = "";
              child.stdout.on("data", (c) => (out += c));
              child.on("close", () => resolve(out.trim()));
            }),
        ),
      );
      expect(outcomes.sort()).toEqual(["refused", "took"]);
      fs.rmSync(`${file}.lock`, { force: true }); // the winner exited without releasing: stale again next round
    }
  }, 60_000);

  it("on a file system without hard links, an exclusive create takes the lock instead", async () => {
    const file = freshFile("nolinks");
    const noLinks = jest.spyOn(fs, "linkSync").mockImplementation(() => {
      throw Object.assign(new Error("EPERM: operation not permitted, link"), { code: "EPERM" });
    });
    try {
      const first = await testEmulator({ stateFile: file });
      await expect(testEmulator({ stateFile: file })).rejects.toThrow(/is in use by another emulator/);
      await first.close();
      expect(fs.existsSync(`${file}.lock`)).toBe(false);
      expect(noLinks).toHaveBeenCalled();
    } finally {
      noLinks.mockRestore();
    }
  });

  it("on a file system without hard links, a lock still being written is waited for, not taken over", async () => {
    const file = freshFile("slowcreate");
    const lockModule = path.join(__dirname, "..", "dist", "stateFileLock.js");
    // As on a network folder: no hard links, and a lock created exclusively shows empty for a while before its text.
    // The first start creates its lock empty and keeps it so until the second start is about to look at it (the
    // second says so with a file), then for 300 ms more: the second sees the empty lock whatever either start's
    // start-up costs on a loaded machine (timing them with clocks made the order flaky).
    const go = `${file}.go`;
    const worker = `const fs = require("node:fs");
fs.linkSync = () => { throw Object.assign(new Error("EPERM: operation not permitted, link"), { code: "EPERM" }); };
const write = fs.writeFileSync;
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
fs.writeFileSync = (target, data, options) => {
  if (options && options.flag === "wx" && target.endsWith(".lock")) {
    write(target, "", options);
    for (const until = Date.now() + 20000; !fs.existsSync(${JSON.stringify(go)}) && Date.now() < until; ) sleep(10);
    sleep(300);
    write(target, data);
    return;
  }
  return write(target, data, options);
};
const { StateFileLock } = require(${JSON.stringify(lockModule)});
if (process.argv[1] === "second") write(${JSON.stringify(go)}, "");
try { StateFileLock.acquire(${JSON.stringify(file)}); console.log("took"); setTimeout(() => {}, 1500); } catch (e) { console.log("refused"); }`;
    const run = (role: "first" | "second") =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, ["-e", worker, role]);
        let out = "";
        child.stdout.on("data", (c) => (out += c));
        child.on("close", () => resolve(out.trim()));
      });
    for (let round = 0; round < 3; round++) {
      fs.rmSync(go, { force: true });
      const first = run("first");
      // The second starts once the first one's lock exists, still empty.
      for (const until = Date.now() + 20_000; !fs.existsSync(`${file}.lock`) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 10));
      const outcomes = await Promise.all([first, run("second")]);
      expect(outcomes).toEqual(["took", "refused"]);
      fs.rmSync(`${file}.lock`, { force: true });
    }
  }, 60_000);

  it("a state file named through a symlink or a relative path is the same file: one lock, and saves reach the file", async () => {
    const file = freshFile("linked");
    const link = path.join(path.dirname(file), "link.json");
    fs.symlinkSync(file, link);
    const first = await testEmulator({ stateFile: file });
    try {
      await expect(testEmulator({ stateFile: link })).rejects.toThrow(`state file ${link}: is in use by another emulator, pid ${process.pid}`);
    } finally {
      await first.close();
    }
    // One emulator through the link: its saves go to the linked-to file, and the link stays a link.
    const viaLink = await testEmulator({ stateFile: link });
    viaLink.seedShare({ ownerId: USER_ID, shareId: "200" });
    await viaLink.close();
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).shares.map((s: { shareId: string }) => s.shareId)).toEqual(["200"]);
    // A relative path is resolved at start: a later chdir neither moves the saves nor strands the lock.
    const home = process.cwd();
    process.chdir(path.dirname(file));
    let relative: Emulator | undefined;
    try {
      relative = await testEmulator({ stateFile: "state.json" });
      process.chdir(home);
      relative.seedShare({ ownerId: USER_ID, shareId: "202" });
      await relative.close();
    } finally {
      process.chdir(home);
    }
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(["link.json", "state.json"]);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).shares).toHaveLength(2);
  });

  it("a link whose target starts with ../, reached through a linked folder, names the file the kernel finds (first start included)", async () => {
    const top = path.dirname(freshFile("dotdot"));
    fs.mkdirSync(path.join(top, "x", "y"), { recursive: true });
    fs.mkdirSync(path.join(top, "x", "data"));
    fs.symlinkSync(path.join(top, "x", "y"), path.join(top, "a")); // a -> x/y
    fs.symlinkSync("../data/s.json", path.join(top, "x", "y", "link")); // x/y/link -> ../data/s.json, i.e. x/data/s.json
    const emulator = await testEmulator({ stateFile: path.join(top, "a", "link") });
    emulator.seedShare({ ownerId: USER_ID, shareId: "300" });
    await emulator.close();
    expect(JSON.parse(fs.readFileSync(path.join(top, "x", "data", "s.json"), "utf8")).shares).toHaveLength(1);
    expect(fs.existsSync(path.join(top, "data"))).toBe(false);
  });

  it("a lock held on another machine or in another container is judged by its heartbeat, not by a pid that means nothing here", async () => {
    const file = freshFile("elsewhere");
    const deadPid = await exitedPid();
    const boot = fs.existsSync("/proc/sys/kernel/random/boot_id") ? fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() : undefined;
    const holders = [
      { record: { pid: deadPid, host: "build-agent-2", boot: "another-boot" }, where: " on build-agent-2" },
      { record: { pid: deadPid, host: os.hostname(), boot, pidns: "pid:[1]" }, where: " in another container (PID namespace)" },
    ];
    for (const { record, where } of holders) {
      fs.writeFileSync(`${file}.lock`, JSON.stringify(record));
      // Alive: its heartbeat moves the lock's time (from another process: a start blocks this one while it looks).
      const lockFile = JSON.stringify(`${file}.lock`);
      const beat = spawn(process.execPath, ["-e", `setInterval(() => require("node:fs").utimesSync(${lockFile}, new Date(), new Date()), 300);`]);
      try {
        await expect(testEmulator({ stateFile: file })).rejects.toThrow(
          `state file ${file}: is in use by another emulator, pid ${deadPid}${where}; one emulator per state file (remove ${file}.lock if no emulator is running)`,
        );
      } finally {
        beat.kill("SIGKILL");
        await new Promise((resolve) => beat.on("exit", resolve));
      }
      // Gone: no heartbeat for 5 s, and the lock is taken over.
      const emulator = await testEmulator({ stateFile: file });
      expect(JSON.parse(fs.readFileSync(`${file}.lock`, "utf8")).pid).toBe(process.pid);
      await emulator.close();
    }
    // Written before this machine's last boot: gone at once.
    if (boot !== undefined) {
      fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, host: os.hostname(), boot: "before-the-last-boot" }));
      const started = Date.now();
      const emulator = await testEmulator({ stateFile: file });
      expect(Date.now() - started).toBeLessThan(2000);
      await emulator.close();
    }
  }, 60_000);

  it("an emulator's lock shows it is alive to one elsewhere: its modification time moves", async () => {
    const file = freshFile("heartbeat");
    const emulator = await testEmulator({ stateFile: file });
    try {
      const first = fs.statSync(`${file}.lock`).mtimeMs;
      await new Promise((r) => setTimeout(r, 2500));
      expect(fs.statSync(`${file}.lock`).mtimeMs).toBeGreaterThan(first);
      const record = JSON.parse(fs.readFileSync(`${file}.lock`, "utf8"));
      expect(record.host).toBe(os.hostname());
    } finally {
      await emulator.close();
    }
  });

  it("a takeover guard left by an emulator killed mid-takeover, or a lock that is a folder: neither blocks for good nor fails unexplained", async () => {
    const file = freshFile("guard");
    const deadPid = await exitedPid();
    fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: deadPid }));
    fs.writeFileSync(`${file}.lock.takeover`, ""); // created, never written: its emulator was killed
    const emulator = await testEmulator({ stateFile: file });
    await emulator.close();
    expect(fs.readdirSync(path.dirname(file))).toEqual(["state.json"]);
    fs.mkdirSync(`${file}.lock`);
    await expect(testEmulator({ stateFile: file })).rejects.toThrow(`state file ${file}: cannot be locked: ${file}.lock is a folder (remove it)`);
  });

  it("a start that fails after taking the lock gives it back", async () => {
    const file = freshFile("failed");
    await expect(testEmulator({ stateFile: file, clockOffsetMs: 1.5 })).rejects.toThrow(/clockOffsetMs must be an integer/);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
    const blocker = await testEmulator({});
    try {
      await expect(testEmulator({ stateFile: file, port: blocker.port })).rejects.toThrow(/EADDRINUSE/);
      expect(fs.existsSync(`${file}.lock`)).toBe(false);
    } finally {
      await blocker.close();
    }
  });

  it("CLI: a second start on the same state file fails naming the first; after a kill -9 the next start takes over", async () => {
    const file = freshFile("cli");
    const env = { PATH: process.env.PATH, KOODRIVE_EMULATOR_TOKEN: TOKEN };
    const pidFile = path.join(path.dirname(file), "a.pid");
    const up = await runCli(["start", "--pid-file", pidFile, "--state", file], env);
    expect(up.code).toBe(0);
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    try {
      const second = await runCli(["start", "--pid-file", path.join(path.dirname(file), "b.pid"), "--state", file], env);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`state file ${file}: is in use by another emulator, pid ${pid}; one emulator per state file`);
      process.kill(pid, "SIGKILL");
      for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
      expect(fs.existsSync(`${file}.lock`)).toBe(true);
      const third = await runCli(["start", "--pid-file", pidFile, "--state", file], env);
      expect(third.stderr).toBe("");
      expect(third.code).toBe(0);
      // The clock moved on this emulator is where the next start without --clock-offset finds it.
      const url = third.stdout.trim();
      expect((await raw(url, "POST", "/__admin/clock", {}, JSON.stringify({ offsetMs: 10 * DAY }))).status).toBe(200);
      await runCli(["stop", "--pid-file", pidFile], env);
      const fourth = await runCli(["start", "--pid-file", pidFile, "--state", file], env);
      expect((await raw(fourth.stdout.trim(), "GET", "/__admin/clock")).json.offsetMs).toBe(10 * DAY);
      const down = await runCli(["stop", "--pid-file", pidFile], env);
      expect(down.stdout).toMatch(/stopped/);
      expect(fs.existsSync(`${file}.lock`)).toBe(false);
    } finally {
      for (const f of [pidFile, path.join(path.dirname(file), "b.pid")]) {
        const left = Number(fs.existsSync(f) ? fs.readFileSync(f, "utf8") : 0);
        if (left && alive(left)) process.kill(left, "SIGKILL");
      }
      if (alive(pid)) process.kill(pid, "SIGKILL");
    }
  });
});
