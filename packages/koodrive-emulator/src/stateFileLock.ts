import { randomUUID } from "node:crypto";
import fs from "node:fs";

/**
 * One emulator per state file. Each emulator reads its file once at start and rewrites it whole on every change, so a
 * second one on the same file would overwrite the first one's shares and hand out the same IDs. `<file>.lock` names
 * the holder: its pid and, on Linux, the process's start time, so a lock left by a killed emulator is taken over even
 * when another program has since been given its pid (as happens in containers, where pids are small and reused).
 */
export class StateFileLock {
  private released = false;

  private constructor(
    private readonly lockFile: string,
    /** The lock's text as this emulator wrote it (unique to it): release removes the lock only while it still holds it. */
    private readonly record: string,
  ) {}

  /**
   * Takes the lock of `stateFile`. Throws an Error whose message follows "state file <name>: ": naming the holder when
   * a live emulator holds it, or why the lock cannot be written.
   */
  static acquire(stateFile: string): StateFileLock {
    const lockFile = `${stateFile}.lock`;
    const record = `${JSON.stringify({ ...holderOf(process.pid), id: randomUUID() })}\n`;
    // Written whole, then linked into place: a link fails when the target exists, and no one ever reads half a lock.
    const draft = `${lockFile}.${process.pid}.${randomUUID()}.tmp`;
    try {
      fs.writeFileSync(draft, record, { mode: 0o600 });
    } catch (e) {
      throw new Error(`cannot be written (${(e as Error).message})`);
    }
    try {
      return new StateFileLock(lockFile, record).take(draft);
    } finally {
      fs.rmSync(draft, { force: true });
    }
  }

  private take(draft: string): StateFileLock {
    // A takeover of a lock whose holder is gone happens under a guard (`<lock>.takeover`, linked the same way): two
    // emulators starting at once after a crash could otherwise both remove the stale lock, the second one the
    // first one's fresh lock, and both hold the file.
    const guard = `${this.lockFile}.takeover`;
    for (let attempt = 0; attempt < TAKEOVER_ATTEMPTS; attempt++) {
      if (linked(draft, this.lockFile)) return this;
      const holder = parseHolder(readText(this.lockFile));
      if (holder && isRunning(holder)) {
        const self = holder.pid === process.pid ? " (this process: close the other emulator first)" : "";
        throw new Error(
          `is in use by another emulator, pid ${holder.pid}${self}; one emulator per state file (remove ${this.lockFile} if no emulator is running)`,
        );
      }
      if (linked(draft, guard)) {
        try {
          // Still stale under the guard (another emulator may have taken it over just before): remove it, take it.
          const current = parseHolder(readText(this.lockFile));
          if (!(current && isRunning(current))) fs.rmSync(this.lockFile, { force: true });
          if (linked(draft, this.lockFile)) return this;
        } finally {
          fs.rmSync(guard, { force: true });
        }
      } else {
        // Another emulator is taking it over; a guard whose holder died mid-takeover is removed.
        const guardHolder = parseHolder(readText(guard));
        if (guardHolder !== undefined && !isRunning(guardHolder)) fs.rmSync(guard, { force: true });
        sleepSync(TAKEOVER_WAIT_MS);
      }
    }
    throw new Error(`is in use: its lock ${this.lockFile} is being taken over by another emulator starting at the same time`);
  }

  /** Gives the lock up (close, or a start that failed after taking it), once, and only while this emulator holds it. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (readText(this.lockFile) === this.record) fs.rmSync(this.lockFile, { force: true });
  }
}

/** How often, and how long apart, a start retries while another emulator takes a stale lock over (about 2 s in all). */
const TAKEOVER_ATTEMPTS = 40;
const TAKEOVER_WAIT_MS = 50;

/**
 * Links `draft` to `target`: true when it now holds the lock, false when `target` exists. On a file system without
 * hard links (some shared or network folders) an exclusive create of `target` does the same, though a reader may then
 * see it before it is whole (read as a lock of nobody, so briefly takeable: the guard still keeps takeovers apart).
 */
function linked(draft: string, target: string): boolean {
  try {
    fs.linkSync(draft, target);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "ENOSYS") throw new Error(`cannot be written (${(e as Error).message})`);
  }
  try {
    fs.writeFileSync(target, fs.readFileSync(draft), { flag: "wx", mode: 0o600 });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new Error(`cannot be written (${(e as Error).message})`);
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

interface Holder {
  pid: number;
  /** Clock ticks after boot at which the process started (`/proc/<pid>/stat` field 22); absent without /proc. */
  startTicks?: string;
}

function holderOf(pid: number): Holder {
  const startTicks = processStartTicks(pid);
  return startTicks === undefined ? { pid } : { pid, startTicks };
}

/** The state and start time of a process from `/proc/<pid>/stat` (Linux), or undefined. */
function procStat(pid: number): { state: string; startTicks: string } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may itself hold spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0]!, startTicks: fields[19]! };
  } catch {
    return undefined;
  }
}

function processStartTicks(pid: number): string | undefined {
  return procStat(pid)?.startTicks;
}

function isRunning(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const stat = procStat(holder.pid);
  if (stat === undefined) return true; // no /proc (macOS): trust the pid
  // A killed emulator whose parent never reaps it (a container without an init) stays a zombie: gone all the same.
  return stat.state !== "Z" && (holder.startTicks === undefined || stat.startTicks === holder.startTicks);
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function parseHolder(text: string | undefined): Holder | undefined {
  try {
    const value = JSON.parse(text ?? "");
    if (!Number.isInteger(value?.pid) || value.pid <= 0) return undefined;
    return { pid: value.pid, startTicks: typeof value.startTicks === "string" ? value.startTicks : undefined };
  } catch {
    return undefined;
  }
}
