import fs from "node:fs";

/**
 * One emulator per state file. Each emulator reads its file once at start and rewrites it whole on every change, so a
 * second one on the same file would overwrite the first one's shares and hand out the same IDs. `<file>.lock` names
 * the holder: its pid and, on Linux, the process's start time, so a lock left by a killed emulator is taken over even
 * when another program has since been given its pid (as happens in containers, where pids are small and reused).
 */
export class StateFileLock {
  private constructor(private readonly lockFile: string) {}

  /**
   * Takes the lock of `stateFile`. Throws an Error whose message follows "state file <name>: ": naming the holder when
   * a live emulator holds it, or why the lock cannot be written.
   */
  static acquire(stateFile: string): StateFileLock {
    const lockFile = `${stateFile}.lock`;
    // Written whole, then linked into place: a link fails when the lock exists, and no one ever reads half a lock.
    const draft = `${lockFile}.${process.pid}.${Date.now()}.tmp`;
    try {
      fs.writeFileSync(draft, `${JSON.stringify(holderOf(process.pid))}\n`, { mode: 0o600 });
    } catch (e) {
      throw new Error(`cannot be written (${(e as Error).message})`);
    }
    try {
      return StateFileLock.link(draft, lockFile);
    } finally {
      fs.rmSync(draft, { force: true });
    }
  }

  private static link(draft: string, lockFile: string): StateFileLock {
    // Two tries: the second after removing a lock whose holder is gone.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.linkSync(draft, lockFile);
        return new StateFileLock(lockFile);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new Error(`cannot be written (${(e as Error).message})`);
      }
      const text = readText(lockFile);
      const holder = parseHolder(text);
      if (holder && isRunning(holder)) {
        const self = holder.pid === process.pid ? " (this process: close the other emulator first)" : "";
        throw new Error(`is in use by another emulator, pid ${holder.pid}${self}; one emulator per state file (remove ${lockFile} if no emulator is running)`);
      }
      // Its holder is gone (or it is not a lock this emulator wrote): remove it, unless another emulator replaced it
      // meanwhile.
      if (readText(lockFile) === text) fs.rmSync(lockFile, { force: true });
    }
    throw new Error(`is in use: its lock ${lockFile} was taken by another emulator starting at the same time`);
  }

  /** Gives the lock up (close, or a start that failed after taking it). */
  release(): void {
    fs.rmSync(this.lockFile, { force: true });
  }
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
