#!/usr/bin/env node
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { HELP, STOP_FLAGS, UsageError, parseServerArgs, secondsFlag, splitStartArgs } from "./cliArgs";
import type { LoggedRequest } from "./requestLog";
import { startEmulator } from "./server";
import { firstShareIdAt } from "./shareStore";

const LISTENING = "KooDrive emulator listening on";

function say(stream: NodeJS.WriteStream, line: string): void {
  stream.write(`${line}\n`);
}

/**
 * A reader of stdout or stderr that goes away (`| head -1`, a log shipper that died) makes the next write fail with
 * EPIPE, an error event that would end the process: the emulator keeps serving, and says nothing more there.
 */
function surviveClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
}

/** Writes `text` to `file` so a reader never sees it half-written. */
function writeAtomically(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Counts what the summary line reports. */
class RequestTally {
  private total = 0;
  private readonly byStatus = new Map<number, number>();
  private readonly faults = new Map<string, number>();

  add(entry: LoggedRequest): void {
    this.total += 1;
    this.byStatus.set(entry.status, (this.byStatus.get(entry.status) ?? 0) + 1);
    if (entry.fault) this.faults.set(entry.fault, (this.faults.get(entry.fault) ?? 0) + 1);
  }

  summary(): string {
    const list = (m: Map<string | number, number>) =>
      [...m]
        .sort()
        .map(([k, n]) => `${k}: ${n}`)
        .join(", ") || "none";
    return `koodrive-emulator stopped: ${this.total} requests (by status: ${list(this.byStatus)}); faults fired: ${list(this.faults)}`;
  }
}

/** `koodrive-emulator [flags]`: serve until SIGINT/SIGTERM. */
async function foreground(args: string[]): Promise<void> {
  const command = parseServerArgs(args, process.env);
  surviveClosedOutput();
  const tally = new RequestTally();
  const emulator = await startEmulator({
    // IDs of its own on every start: a stack or script kept from an earlier run must not act on this run's shares.
    firstShareId: firstShareIdAt(Date.now()),
    ...command.options,
    onRequest: (entry) => {
      tally.add(entry);
      if (command.logRequests)
        say(
          process.stdout,
          `${entry.time} ${entry.method} ${entry.path} ${entry.status} ${entry.ms ?? 0}ms${entry.fault ? ` fault=${entry.fault}` : ""}${entry.applied ? " applied" : entry.applied === false ? " not-applied" : ""}`,
        );
    },
  }).catch((e: Error) => {
    say(process.stderr, `koodrive-emulator: cannot start: ${e.message}`);
    process.exit(1);
  });
  const stop = () => {
    void emulator.close().then(() => {
      say(process.stdout, tally.summary());
      process.exit(0);
    });
  };
  // Handlers first: whoever reads the URL may signal at once.
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  if (command.readyFile) writeAtomically(command.readyFile, `${emulator.url}\n`);
  say(process.stdout, `${LISTENING} ${emulator.url}`);
}

/** True when a process (of any program) has this pid. */
function isLive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True when `pid` is a running koodrive-emulator (on Linux, checked by its command line, so a reused pid is not). */
function isEmulatorProcess(pid: number): boolean {
  if (!isLive(pid)) return false;
  try {
    // Its own script where Node takes the script (the first argument after Node's options), as `start` spawns it or
    // as the bin runs: another program that reused the pid may name this package among its arguments
    // (`npm run build -w koodrive-emulator`) or run a script whose name merely ends in cli.js (npm-cli.js).
    const [, ...args] = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const script = args.find((arg) => !arg.startsWith("-"));
    return script !== undefined && (script === __filename || /\/koodrive-emulator(\.js)?$/.test(script) || script.endsWith("/koodrive-emulator/dist/cli.js"));
  } catch {
    return true; // no /proc (macOS): trust the pid
  }
}

function readPid(pidFile: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(pidFile, "utf8").trim();
  } catch {
    return undefined;
  }
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `start`: a detached server; prints its URL once it listens, or fails with the reason and leaves nothing running. */
async function start(args: string[]): Promise<number> {
  const { own, server } = splitStartArgs(args);
  const pidFile = own["pid-file"];
  if (!pidFile) throw new UsageError("start needs --pid-file F");
  if (server.some((a) => a === "--ready-file" || a.startsWith("--ready-file=")))
    throw new UsageError("start prints the URL itself; --ready-file is for the foreground mode");
  const readyTimeoutMs = secondsFlag("ready-timeout", own["ready-timeout"], 30);
  parseServerArgs(server, process.env); // a bad flag fails here, before anything starts
  const runningPid = readPid(pidFile);
  if (runningPid !== undefined && isEmulatorProcess(runningPid)) {
    say(process.stderr, `koodrive-emulator start: already running with pid ${runningPid} (pid file ${pidFile})`);
    return 1;
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-emulator-"));
  const readyFile = path.join(scratch, "ready");
  const logFile = own["log-file"] ?? path.join(scratch, "log");
  const log = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, [__filename, ...server, "--ready-file", readyFile], { detached: true, stdio: ["ignore", log, log], env: process.env });
  fs.closeSync(log);
  let exit: string | undefined;
  child.once("exit", (code, signal) => (exit = signal ? `signal ${signal}` : `code ${code}`));
  child.once("error", (e) => (exit = e.message));
  child.unref();
  const startupLog = () => {
    try {
      return fs.readFileSync(logFile, "utf8").split("\n").filter(Boolean).slice(-20).join("\n");
    } catch {
      return "";
    }
  };
  // A start cancelled while it waits (a CI step's timeout, Ctrl-C) must not leave a server running that no pid file
  // names, which `stop` could not reach: the signal stops the server too.
  const cancelSignals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  const onCancel = (signal: NodeJS.Signals) => {
    child.kill("SIGKILL");
    fs.rmSync(scratch, { recursive: true, force: true });
    say(process.stderr, `koodrive-emulator start: ${signal} while waiting for the server to listen; stopped it`);
    process.exit(128 + (os.constants.signals[signal] ?? 0));
  };
  for (const signal of cancelSignals) process.once(signal, onCancel);
  const deadline = Date.now() + readyTimeoutMs;
  try {
    while (Date.now() < deadline && exit === undefined) {
      if (fs.existsSync(readyFile)) {
        const url = fs.readFileSync(readyFile, "utf8").trim();
        try {
          writeAtomically(pidFile, `${child.pid}\n`);
        } catch (e) {
          child.kill("SIGKILL");
          say(process.stderr, `koodrive-emulator start: cannot write the pid file (${(e as Error).message}); stopped the server`);
          return 1;
        }
        say(process.stdout, url);
        return 0;
      }
      await sleep(50);
    }
    if (exit === undefined) {
      child.kill("SIGKILL");
      say(process.stderr, `koodrive-emulator start: the server did not listen within ${readyTimeoutMs / 1000} s; stopped it\n${startupLog()}`);
    } else {
      say(process.stderr, `koodrive-emulator start: the server exited (${exit}) before listening:\n${startupLog()}`);
    }
    return 1;
  } finally {
    for (const signal of cancelSignals) process.off(signal, onCancel);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** `stop`: SIGTERM, SIGKILL after the timeout, remove the pid file. */
async function stop(args: string[]): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args, options: STOP_FLAGS, strict: true }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const pidFile = values["pid-file"];
  if (!pidFile) throw new UsageError("stop needs --pid-file F");
  const timeoutMs = secondsFlag("timeout", values.timeout, 10);
  const pid = readPid(pidFile);
  if (pid === undefined || !isEmulatorProcess(pid)) {
    fs.rmSync(pidFile, { force: true });
    const why = pid === undefined ? `no pid in ${pidFile}` : isLive(pid) ? `pid ${pid} is another program now, left alone` : `pid ${pid} is gone`;
    say(process.stdout, `koodrive-emulator stop: not running (${why})`);
    return 0;
  }
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && isEmulatorProcess(pid)) await sleep(50);
  let how = "stopped";
  if (isEmulatorProcess(pid)) {
    process.kill(pid, "SIGKILL");
    how = `killed (no exit within ${timeoutMs / 1000} s of SIGTERM)`;
    for (let i = 0; i < 40 && isEmulatorProcess(pid); i++) await sleep(50);
  }
  fs.rmSync(pidFile, { force: true });
  say(process.stdout, `koodrive-emulator ${how} (pid ${pid})`);
  return 0;
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    say(process.stdout, HELP);
    return;
  }
  try {
    if (argv[0] === "start") process.exitCode = await start(argv.slice(1));
    else if (argv[0] === "stop") process.exitCode = await stop(argv.slice(1));
    else await foreground(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    say(process.stderr, `koodrive-emulator: ${e.message}\nRun koodrive-emulator --help for usage.`);
    process.exit(2);
  }
}

main(process.argv.slice(2)).catch((e: Error) => {
  say(process.stderr, `koodrive-emulator: ${e.message}`);
  process.exit(1);
});
