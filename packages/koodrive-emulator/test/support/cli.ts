import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

/** The built CLI (tests run after `npm run build`, as `npm test` does). */
export const CLI = path.join(__dirname, "../../dist/cli.js");

/** Runs the CLI to completion, or until `timeoutMs` (when given) has passed: a CLI that should refuse to start may
 *  listen instead; resolves with its exit code (null when killed) and output. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = { PATH: process.env.PATH },
  timeoutMs?: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env });
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on("exit", () => clearTimeout(timer));
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (c) => (stdout += c));
    p.stderr.on("data", (c) => (stderr += c));
    p.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const foregroundChildren = new Set<ChildProcess>();

/** Kills foreground emulators a failed test left running. */
export function killLeftovers(): void {
  for (const child of foregroundChildren) child.kill("SIGKILL");
}

/** Starts the CLI in the foreground; resolves with the process and its first stdout line. */
export async function startForeground(args: string[]): Promise<{ child: ChildProcess; firstLine: string; lines: string[] }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH } });
  foregroundChildren.add(child);
  child.once("exit", () => foregroundChildren.delete(child));
  const lines: string[] = [];
  const reader = readline.createInterface({ input: child.stdout! });
  const firstLine = await new Promise<string>((resolve, reject) => {
    reader.on("line", (l) => {
      lines.push(l);
      if (lines.length === 1) resolve(l);
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code}`)));
  });
  return { child, firstLine, lines };
}

/** Sends a signal and resolves with the exit code. */
export function stopWith(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.kill(signal);
  });
}

/** True while a process with this pid runs (a zombie, exited but not yet reaped by init, counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return !fs.existsSync("/proc/self");
  }
}
