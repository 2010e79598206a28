import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";

/**
 * One emulator per state file. Each emulator reads its file once at start and rewrites it whole on every change, so a
 * second one on the same file would overwrite the first one's shares and hand out the same IDs. `<file>.lock` names
 * the holder: its pid and, on Linux, the process's start time, so a lock left by a killed emulator is taken over even
 * when another program has since been given its pid (as happens in containers, where pids are small and reused).
 */
export class StateFileLock {
  private released = false;
  private heartbeat: NodeJS.Timeout | undefined;

  private constructor(
    private readonly lockFile: string,
    /** The lock's text as this emulator wrote it (unique to it): release removes the lock only while it still holds it. */
    private readonly record: string,
  ) {}

  /**
   * Takes the lock of `stateFile` (give its real path: a symlink or a relative path is another name for the same
   * file). Throws an Error whose message follows "state file <name>: ": naming the holder when a live emulator holds
   * it, or why the lock cannot be written.
   */
  static acquire(stateFile: string): StateFileLock {
    const lockFile = `${stateFile}.lock`;
    const record = `${JSON.stringify({ ...holderOf(process.pid), ...HERE, id: randomUUID() })}\n`;
    // Written whole, then linked into place: a link fails when the target exists, and no one ever reads half a lock.
    const draft = `${lockFile}.${process.pid}.${randomUUID()}.tmp`;
    try {
      fs.writeFileSync(draft, record, { mode: 0o600 });
    } catch (e) {
      throw new Error(`cannot be written (${(e as Error).message})`);
    }
    let lock: StateFileLock;
    try {
      lock = new StateFileLock(lockFile, record).take(draft);
    } finally {
      fs.rmSync(draft, { force: true });
    }
    // The heartbeat: an emulator on another machine or in another container cannot ask whether this pid runs, so it
    // watches the lock's modification time instead (see `Sighting`).
    lock.heartbeat = setInterval(() => {
      const now = new Date();
      try {
        fs.utimesSync(lockFile, now, now);
      } catch {
        // gone (released or removed by hand) or not ours to touch: nothing to keep alive
      }
    }, HEARTBEAT_MS);
    lock.heartbeat.unref();
    return lock;
  }

  private take(draft: string): StateFileLock {
    // A takeover of a lock whose holder is gone happens under a guard (`<lock>.takeover`, linked the same way): two
    // emulators starting at once after a crash could otherwise both remove the stale lock, the second one the
    // first one's fresh lock, and both hold the file.
    const guard = `${this.lockFile}.takeover`;
    const lockSighting = new Sighting(this.lockFile);
    const guardSighting = new Sighting(guard);
    const deadline = performance.now() + TAKEOVER_TIMEOUT_MS;
    while (performance.now() < deadline) {
      if (linked(draft, this.lockFile)) return this;
      const lock = lockSighting.look();
      if (lock.kind === "held") throw new Error(inUseMessage(lock.holder, this.lockFile));
      if (lock.kind === "gone") continue;
      if (lock.kind === "wait") {
        sleepSync(TAKEOVER_WAIT_MS);
        continue;
      }
      if (linked(draft, guard)) {
        try {
          // The same stale lock under the guard (another emulator may have taken it over just before): remove it.
          if (lockSighting.unchanged()) fs.rmSync(this.lockFile, { force: true });
          if (linked(draft, this.lockFile)) return this;
        } finally {
          fs.rmSync(guard, { force: true });
        }
      } else {
        // Another emulator is taking it over; a guard its holder left (killed mid-takeover) is removed.
        if (guardSighting.look().kind === "stale" && guardSighting.unchanged()) fs.rmSync(guard, { force: true });
        sleepSync(TAKEOVER_WAIT_MS);
      }
    }
    throw new Error(
      `is in use: its lock ${this.lockFile} is being taken over by another emulator starting at the same time (remove ${guard} if no emulator is starting)`,
    );
  }

  /** Gives the lock up (close, or a start that failed after taking it), once, and only while this emulator holds it. */
  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.heartbeat);
    if (readText(this.lockFile) === this.record) fs.rmSync(this.lockFile, { force: true });
  }
}

/** The refusal of a start, naming the live holder (and where it runs, when not here). */
function inUseMessage(holder: Holder, lockFile: string): string {
  const place = placeOf(holder);
  const self = holder.pid === process.pid && place === "here" ? " (this process: close the other emulator first)" : "";
  const where = place === "here" ? "" : holder.host === HERE.host ? " in another container (PID namespace)" : ` on ${holder.host}`;
  return `is in use by another emulator, pid ${holder.pid}${where}${self}; one emulator per state file (remove ${lockFile} if no emulator is running)`;
}

/**
 * What a start makes of a lock (or guard) file it found, over the sightings of one start: `held` by a live emulator,
 * `stale` (its holder is gone: take it over), `wait` (cannot tell yet: look again), or `gone`. A lock that cannot be
 * read is being written (on a file system without hard links a lock is created empty and then written) unless it
 * stays the same for {@link UNREADABLE_GRACE_MS}; a holder on another machine or in another container is alive while
 * its heartbeat moves the lock's modification time, and gone when it has not moved for {@link FOREIGN_STALE_MS}.
 */
class Sighting {
  private identity: string | undefined;
  private since = 0;

  constructor(private readonly file: string) {}

  look(): { kind: "held"; holder: Holder } | { kind: "stale" | "wait" | "gone" } {
    const seen = this.read();
    if (seen === undefined) return { kind: "gone" };
    const now = performance.now();
    const changed = seen.identity !== this.identity;
    if (changed) {
      const wasSeen = this.identity !== undefined;
      this.identity = seen.identity;
      this.since = now;
      // A foreign holder whose lock changed while watched is alive (its heartbeat).
      if (wasSeen && seen.holder !== undefined && placeOf(seen.holder) === "elsewhere") return { kind: "held", holder: seen.holder };
    }
    const still = now - this.since;
    if (seen.holder === undefined) return still >= UNREADABLE_GRACE_MS ? { kind: "stale" } : { kind: "wait" };
    const place = placeOf(seen.holder);
    if (place === "rebooted") return { kind: "stale" };
    if (place === "here") return isRunning(seen.holder) ? { kind: "held", holder: seen.holder } : { kind: "stale" };
    return still >= FOREIGN_STALE_MS ? { kind: "stale" } : { kind: "wait" };
  }

  /** Whether the file is still the one last looked at (not rewritten, touched or replaced since). */
  unchanged(): boolean {
    return this.read()?.identity === this.identity;
  }

  private read(): { identity: string; holder: Holder | undefined } | undefined {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(this.file);
    } catch {
      return undefined;
    }
    if (stat.isDirectory()) throw new Error(`cannot be locked: ${this.file} is a folder (remove it)`);
    const text = readText(this.file);
    return { identity: `${stat.ino}:${stat.size}:${stat.mtimeMs}:${text}`, holder: parseHolder(text) };
  }
}

/** How long a start keeps looking at a lock it cannot judge yet, or waits for another start's takeover, and how often. */
const TAKEOVER_TIMEOUT_MS = 8_000;
const TAKEOVER_WAIT_MS = 50;
/** A lock that cannot be read and stays the same this long was left half-written (its emulator killed): stale. */
const UNREADABLE_GRACE_MS = 1_000;
/** How often a holder touches its lock, and how long one on another machine or in another container may not. */
const HEARTBEAT_MS = 1_000;
const FOREIGN_STALE_MS = 5_000;

/**
 * Links `draft` to `target`: true when it now holds the lock, false when `target` exists. On a file system without
 * hard links (some shared or network folders) an exclusive create of `target` does the same, though a reader may then
 * see it before it is whole (see `Sighting`: such a lock is waited for, not taken over).
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
  /** Where it runs ({@link Place}); absent in locks of emulators before the heartbeat, judged by pid as then. */
  host?: string;
  boot?: string;
  pidns?: string;
}

/**
 * Where an emulator runs: a pid means something only on the same machine, since the same boot, in the same PID
 * namespace (a container has its own). A state file on a shared folder or a volume two containers mount can be
 * locked from elsewhere.
 */
interface Place {
  host: string;
  /** `/proc/sys/kernel/random/boot_id` (Linux; shared by a machine's containers). */
  boot?: string;
  /** The PID namespace, `readlink /proc/self/ns/pid` (Linux). */
  pidns?: string;
}

const HERE: Place = placeHere();

function placeHere(): Place {
  const place: Place = { host: os.hostname() };
  try {
    place.boot = fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    // no /proc (macOS)
  }
  try {
    place.pidns = fs.readlinkSync("/proc/self/ns/pid");
  } catch {
    // no /proc
  }
  return place;
}

/** Whether a holder's pid can be asked about here, or it ran before this machine's last boot, or elsewhere. */
function placeOf(holder: Holder): "here" | "rebooted" | "elsewhere" {
  if (holder.host === undefined) return "here";
  if (holder.host !== HERE.host) return "elsewhere";
  if (holder.boot !== undefined && HERE.boot !== undefined && holder.boot !== HERE.boot) return "rebooted";
  return holder.pidns === HERE.pidns ? "here" : "elsewhere";
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
    const field = (key: string): string | undefined => (typeof value[key] === "string" ? value[key] : undefined);
    return { pid: value.pid, startTicks: field("startTicks"), host: field("host"), boot: field("boot"), pidns: field("pidns") };
  } catch {
    return undefined;
  }
}
