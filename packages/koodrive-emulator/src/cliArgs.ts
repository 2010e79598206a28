import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { clockOffsetProblem, parseDuration } from "./clock";
import { type FaultConfig, faultConfigProblem } from "./faults";
import { isEmptyToken } from "./requestAuth";
import type { Edition } from "./bodyRules";
import { type EmulatorOptions, optionsProblem } from "./server";
import type { AnswerFields } from "./shareView";

export const HELP = `koodrive-emulator: a local KooDrive share API (carrier or enterprise edition) for tests, demos and CI.

Usage
  koodrive-emulator [server options]                 run in the foreground (stop with SIGINT/SIGTERM)
  koodrive-emulator start [server options] --pid-file F [--log-file L] [--ready-timeout SECONDS]
                                                     start in the background; print the base URL; exit 0 once it
                                                     listens (non-zero with the reason if it cannot start)
  koodrive-emulator stop --pid-file F [--timeout SECONDS]
                                                     SIGTERM, SIGKILL after --timeout (default 10); exit 0 also
                                                     when it was not running
  koodrive-emulator --help

Server
  --port N                 port to listen on; 0 picks a free port (default 0)
  --host ADDR              interface to bind (default 127.0.0.1); any other than loopback needs --admin-token
  --state FILE             keep shares in FILE (written atomically, mode 0600) so they survive restarts; a file
                           that breaks a rule, or a path it cannot write (tested by writing it at start), is
                           refused at start, naming the file and the reason
  --edition NAME           carrier (default) or enterprise
  --clock-skew-seconds N   accept an X-Date up to N seconds ahead of the emulator's clock (default 0)
  --request-log-limit N    request-log entries kept (default 10000)
  --request-log-max-bytes N  request-log size kept, in bytes (default 16777216)
  --log-access-codes       keep access codes (extractCode) in logged bodies; default: redacted
  --partial-pages          list pages before the end come partial or empty (half a page, then an empty one,
                           alternately), as KooDrive warns they may; nextCursor stays until the end. Default: off
  --alternate-forms        successful answers in the other documented wire forms: code "0", counters as the
                           other type, expireTime as yyyy-MM-dd HH:mm:ss (UTC) and "" when none. Default: off
  --answers FIELDS         full (default): answers with the emulator's extras too (ownerId, containerId, counters,
                           updateTime); documented: only the fields the API's tables list; lean: the leanest its
                           examples show (a modify answer without linkUrl or status, cancel results without shareId)
  --tls-cert FILE          serve https with the certificate (chain) in FILE, PEM; with --tls-key. The base URL
  --tls-key FILE           then starts https://; clients must trust the certificate's CA (Node: NODE_EXTRA_CA_CERTS)
  --ready-file F           once listening, write the base URL to F (atomically)
  --log-requests           print one line per request: method, path, status, ms, fault (no secrets)

Credentials (at least one). Prefer the environment: command-line values show in ps.
  --token T                accept access token T (repeatable); env KOODRIVE_EMULATOR_TOKEN
  --app-id ID              accept HMAC-SHA256 app auth for app ID ...; env KOODRIVE_EMULATOR_APP_ID
  --app-secret S           ... signed with app secret S; env KOODRIVE_EMULATOR_APP_SECRET
  --token-ttl-seconds N    sliding token lifetime (KooDrive: 1200); default: tokens never expire
  --admin-token T          require "Authorization: Bearer T" on /__admin/*; required with a non-loopback --host;
                           env KOODRIVE_EMULATOR_ADMIN_TOKEN

Faults before the API (change at run time with PUT/PATCH/DELETE /__admin/faults)
  --latency-ms N           add N ms before every answer
  --error-rate P           fail a fraction P (0-1) of requests with --error-status (default 500)
  --error-status S
  --error-seed N           make --error-rate repeatable: the same requests fail on every run (0-4294967295);
                           default: Math.random, different on every run
  --fail-next N            fail the next N requests with --fail-status (default 503)
  --fail-status S
  --retry-after N          send Retry-After: N with every --fail-next and --error-rate failure, whatever its status
  --reset-next N           reset the connection of the next N requests
  --malformed-next N       answer the next N requests with a truncated JSON body
  --throttle-rps N         answer 429 (APIGW.0308, Retry-After: 1) above N requests per second

Faults after the change is applied: the next N successful writes (PUT/POST on the share API) change the state, then
  --drop-after-apply-next N      the connection is destroyed without an answer
  --truncate-after-apply-next N  the answer is 200 with the body cut short
  --fail-after-apply-next N      the answer is 500 (13000201)
  --delay-after-apply-next N     the answer comes only after --after-apply-delay-ms (default 35000)
  --after-apply-delay-ms MS
  GET requests never consume them, so a client can read back what landed.

Clock
  --clock-offset D         run the emulator's clock D ahead (30d, 12h, 90m, 15s, or milliseconds; negative: behind,
                           written with "=": --clock-offset=-30d).
                           Move it at run time with POST /__admin/clock {"advanceMs":n} or {"offsetMs":n}.

In the foreground the first stdout line is "KooDrive emulator listening on <base URL>"; on SIGINT/SIGTERM it prints a
one-line summary (requests by status, faults fired) and exits 0.
Admin API (never faulted or logged): GET /__admin/health, GET|DELETE /__admin/requests,
GET|PUT|PATCH|DELETE /__admin/faults, GET|POST /__admin/clock, POST /__admin/shares,
GET|PATCH|DELETE /__admin/shares/{id}, POST /__admin/tokens/expire.`;

/** Fault flags and the fault key each sets. */
export const FAULT_FLAGS: Record<string, keyof FaultConfig> = {
  "latency-ms": "latencyMs",
  "error-rate": "errorRate",
  "error-status": "errorStatus",
  "error-seed": "errorSeed",
  "fail-next": "failNext",
  "fail-status": "failStatus",
  "retry-after": "retryAfterSeconds",
  "reset-next": "resetNext",
  "malformed-next": "malformedNext",
  "throttle-rps": "throttleRps",
  "drop-after-apply-next": "dropAfterApplyNext",
  "truncate-after-apply-next": "truncateAfterApplyNext",
  "delay-after-apply-next": "delayAfterApplyNext",
  "after-apply-delay-ms": "afterApplyDelayMs",
  "fail-after-apply-next": "failAfterApplyNext",
};

/** Every server option the command line accepts (foreground, and `start` passes them through). */
export const SERVER_FLAGS = {
  port: { type: "string" },
  host: { type: "string" },
  state: { type: "string" },
  edition: { type: "string" },
  "clock-skew-seconds": { type: "string" },
  "clock-offset": { type: "string" },
  "request-log-limit": { type: "string" },
  "request-log-max-bytes": { type: "string" },
  "log-access-codes": { type: "boolean" },
  "ready-file": { type: "string" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  "log-requests": { type: "boolean" },
  "partial-pages": { type: "boolean" },
  "alternate-forms": { type: "boolean" },
  answers: { type: "string" },
  token: { type: "string", multiple: true },
  "app-id": { type: "string" },
  "app-secret": { type: "string" },
  "token-ttl-seconds": { type: "string" },
  "admin-token": { type: "string" },
  ...Object.fromEntries(Object.keys(FAULT_FLAGS).map((f) => [f, { type: "string" as const }])),
} as const;

/** Options of the `start` and `stop` commands. */
export const START_FLAGS = { "pid-file": { type: "string" }, "log-file": { type: "string" }, "ready-timeout": { type: "string" } } as const;
export const STOP_FLAGS = { "pid-file": { type: "string" }, timeout: { type: "string" } } as const;

/** A command line that cannot be used; the CLI prints it and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The server's options plus what only the CLI does with them. */
export interface ServerCommand {
  options: EmulatorOptions;
  readyFile?: string;
  logRequests: boolean;
}

function numberFlag(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a number`);
  return n;
}

/** A PEM file's text; a UsageError naming the flag and the file when it cannot be read or holds no PEM block. */
function pemFile(flag: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`--${flag} ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!text.includes("-----BEGIN ")) throw new UsageError(`--${flag} ${file} holds no PEM block (-----BEGIN ...)`);
  return text;
}

/** The flag (or variable) that sets each library option whose rule `optionsProblem` checks. */
const OPTION_FLAGS: Partial<Record<keyof EmulatorOptions, string>> = {
  edition: "--edition",
  answers: "--answers",
  port: "--port",
  tokenTtlSeconds: "--token-ttl-seconds",
  clockSkewSeconds: "--clock-skew-seconds",
  requestLogLimit: "--request-log-limit",
  requestLogMaxBytes: "--request-log-max-bytes",
  adminToken: "--admin-token / KOODRIVE_EMULATOR_ADMIN_TOKEN",
};

/** Reads server options from flags and environment; throws a UsageError naming the flag and rule. */
export function parseServerArgs(args: string[], env: NodeJS.ProcessEnv): ServerCommand {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    values = parseArgs({ args, options: SERVER_FLAGS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    const message = (e as Error).message;
    // parseArgs reads "--fail-next -1" as two options; the value form "--fail-next=-1" works.
    throw new UsageError(/argument is ambiguous/.test(message) ? `${message}\nWrite a negative value as --flag=-1 (e.g. --clock-offset=-30d).` : message);
  }
  const flagTokens = (values.token as string[] | undefined) ?? [];
  // An unset variable in `--token "$CI_TOKEN"` must not become a credential that accepts a client sending none.
  if (flagTokens.some(isEmptyToken)) throw new UsageError('--token must not be empty, blank or only "Bearer"');
  const envToken = env.KOODRIVE_EMULATOR_TOKEN;
  if (envToken !== undefined && envToken !== "" && isEmptyToken(envToken))
    throw new UsageError('KOODRIVE_EMULATOR_TOKEN must not be blank or only "Bearer" (leave it unset or empty for none)');
  const tokens = [...flagTokens, ...(envToken ? [envToken] : [])];
  const appId = (values["app-id"] as string | undefined) ?? env.KOODRIVE_EMULATOR_APP_ID;
  const appSecret = (values["app-secret"] as string | undefined) ?? env.KOODRIVE_EMULATOR_APP_SECRET;
  if (appId !== undefined && appId.trim() === "") throw new UsageError("--app-id / KOODRIVE_EMULATOR_APP_ID must not be empty");
  if (appSecret !== undefined && appSecret.trim() === "") throw new UsageError("--app-secret / KOODRIVE_EMULATOR_APP_SECRET must not be empty");
  if ((appId === undefined) !== (appSecret === undefined)) throw new UsageError("--app-id and --app-secret go together");
  if (tokens.length === 0 && appId === undefined) throw new UsageError("configure at least one credential: --token, or --app-id with --app-secret");
  const faults: FaultConfig = {};
  for (const [flag, key] of Object.entries(FAULT_FLAGS)) {
    const n = numberFlag(flag, values[flag]);
    if (n !== undefined) faults[key] = n;
  }
  for (const [flag, key] of Object.entries(FAULT_FLAGS)) {
    const problem = faults[key] === undefined ? undefined : faultConfigProblem({ [key]: faults[key] });
    if (problem) throw new UsageError(problem.replace(key, `--${flag}`));
  }
  const clockOffsetMs = clockOffsetFlag(values["clock-offset"] as string | undefined);
  const adminToken = (values["admin-token"] as string | undefined) ?? env.KOODRIVE_EMULATOR_ADMIN_TOKEN;
  const certFile = values["tls-cert"] as string | undefined;
  const keyFile = values["tls-key"] as string | undefined;
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError("--tls-cert and --tls-key go together");
  const options: EmulatorOptions = {
    port: numberFlag("port", values.port) ?? 0,
    host: values.host as string | undefined,
    stateFile: values.state as string | undefined,
    edition: ((values.edition as string | undefined) ?? "carrier") as Edition,
    clockOffsetMs,
    clockSkewSeconds: numberFlag("clock-skew-seconds", values["clock-skew-seconds"]),
    requestLogLimit: numberFlag("request-log-limit", values["request-log-limit"]),
    requestLogMaxBytes: numberFlag("request-log-max-bytes", values["request-log-max-bytes"]),
    logAccessCodes: values["log-access-codes"] === true,
    partialPages: values["partial-pages"] === true,
    alternateForms: values["alternate-forms"] === true,
    answers: ((values.answers as string | undefined) ?? "full") as AnswerFields,
    tokens,
    apps: appId !== undefined && appSecret !== undefined ? { [appId]: appSecret } : {},
    tokenTtlSeconds: numberFlag("token-ttl-seconds", values["token-ttl-seconds"]),
    adminToken,
    faults,
    tls: certFile !== undefined && keyFile !== undefined ? { cert: pemFile("tls-cert", certFile), key: pemFile("tls-key", keyFile) } : undefined,
  };
  // The library's own check, worded with the flag that set the option; a problem no flag alone causes (a non-loopback
  // host without an admin token) is the start's to refuse.
  const problem = optionsProblem(options);
  const flag = problem === undefined ? undefined : OPTION_FLAGS[problem.option];
  if (problem !== undefined && flag !== undefined) throw new UsageError(`${flag}${problem.message.slice(problem.option.length)}`);
  return { options, readyFile: values["ready-file"] as string | undefined, logRequests: values["log-requests"] === true };
}

/** Splits the `start` command's own flags from the server flags it passes on. */
export function splitStartArgs(args: string[]): { own: Record<string, string>; server: string[] } {
  const own: Record<string, string> = {};
  const server: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [name, inline] = arg.startsWith("--") ? (arg.slice(2).split(/=(.*)/s) as [string, string | undefined]) : [arg, undefined];
    if (arg.startsWith("--") && name in START_FLAGS) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      own[name] = value;
    } else {
      server.push(arg);
    }
  }
  return { own, server };
}

/** `--clock-offset`, or undefined without it: then a state file's saved offset applies (an explicit 0 would win). */
function clockOffsetFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError("--clock-offset must be a duration such as 30d, 12h, 90m, 15s or a number of milliseconds");
  const problem = clockOffsetProblem("--clock-offset", ms);
  if (problem) throw new UsageError(problem);
  if (Date.now() + ms < 0) throw new UsageError("--clock-offset would put the emulator's clock before 1970-01-01T00:00:00Z");
  return ms;
}

/** Seconds flag → milliseconds, with a default; throws a UsageError for a bad value. */
export function secondsFlag(flag: string, value: string | undefined, defaultSeconds: number): number {
  const n = value === undefined ? defaultSeconds : Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 3600) throw new UsageError(`--${flag} must be a number of seconds above 0, at most 3600`);
  return n * 1000;
}
