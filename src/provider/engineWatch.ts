import * as fs from "node:fs";

/**
 * A process as /proc shows it: its parent and its start time (which tells a reused pid apart); "gone" when it has
 * no entry; undefined when /proc could not be read (out of file descriptors, say), which says nothing either way.
 */
function processStat(pid: number): { ppid: number; startTicks: string } | "gone" | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: split after the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), startTicks: fields[19] ?? "" };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ESRCH" ? "gone" : undefined;
  }
}

function running(stat: ReturnType<typeof processStat>): { ppid: number; startTicks: string } | undefined {
  return typeof stat === "object" ? stat : undefined;
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
}

/** The engine's launcher script for Node dynamic providers: a shell that starts this process and is not exec'd. */
const LAUNCHER = "pulumi-resource-pulumi-nodejs";

/**
 * Ends this provider process once the Pulumi engine that started it has died. Nobody tells it otherwise: after a
 * `kill -9` of the CLI (or a CI cancel that signalled only the CLI) the engine's launcher shell lives on, re-parented,
 * and this process would send every request still queued in the request budget (renewals, restores the engine can
 * never record) and then idle for good, holding its memory. Checks every `intervalMs` that the engine still runs (the
 * same pid and start time); Linux only (/proc), elsewhere it watches nothing. Returns whether it watches.
 */
export function exitWhenEngineGone({
  intervalMs = 2000,
  exit = (code: number) => process.exit(code),
  log = (line: string) => console.error(line),
  proc = { stat: processStat, commandLine },
}: {
  intervalMs?: number;
  exit?: (code: number) => void;
  log?: (line: string) => void;
  /** How processes are read (/proc); a test seam. */
  proc?: { stat: typeof processStat; commandLine: typeof commandLine };
} = {}): boolean {
  const parent = running(proc.stat(process.pid))?.ppid;
  if (parent === undefined) return false;
  const enginePid = proc.commandLine(parent).includes(LAUNCHER) ? running(proc.stat(parent))?.ppid : parent;
  const engine = enginePid === undefined ? undefined : running(proc.stat(enginePid));
  if (enginePid === undefined || engine === undefined || enginePid <= 1) return false;
  const timer = setInterval(() => {
    const now = proc.stat(enginePid);
    // Gone, or its pid now names another process; an unreadable /proc is no news.
    if (now === undefined || (now !== "gone" && now.startTicks === engine.startTicks)) return;
    clearInterval(timer);
    log(`koodrive: the Pulumi engine (pid ${enginePid}) is gone: stopping this provider process without sending the requests still queued`);
    exit(1);
  }, intervalMs);
  timer.unref();
  return true;
}
