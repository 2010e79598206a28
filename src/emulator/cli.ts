#!/usr/bin/env node
import { parseArgs } from "node:util";
import { clockOffsetProblem, parseDuration } from "./clock";
import { FaultConfig, faultConfigProblem } from "./faults";
import { startEmulator } from "./server";

const HELP = `koodrive-emulator: a local KooDrive share API (carrier edition) for tests, demos and CI.

Usage: koodrive-emulator [options]

Server
  --port N                 port to listen on; 0 picks a free port (default 0)
  --host ADDR              interface to bind (default 127.0.0.1)
  --state FILE             keep shares in FILE (written atomically) so they survive restarts; default: memory
  --edition NAME           carrier (default) or enterprise
  --clock-skew-seconds N   accept an X-Date up to N seconds ahead of this clock (default 0)
  --request-log-limit N    request-log entries kept (default 10000)

Credentials (at least one; also from KOODRIVE_EMULATOR_TOKEN, KOODRIVE_EMULATOR_APP_ID/_APP_SECRET)
  --token T                accept access token T (repeatable); clients send "Bearer T" or "Bearer+T"
  --app-id ID              accept HMAC-SHA256 app auth for app ID ...
  --app-secret S           ... signed with app secret S
  --token-ttl-seconds N    sliding token lifetime (KooDrive: 1200); default: tokens never expire

Faults (change at run time with PUT/PATCH/DELETE /__admin/faults)
  --latency-ms N           add N ms before every answer
  --error-rate P           fail a fraction P (0-1) of requests with --error-status (default 500)
  --error-status S
  --fail-next N            fail the next N requests with --fail-status (default 503)
  --fail-status S
  --retry-after N          send Retry-After: N with 429/503 failures
  --reset-next N           reset the connection of the next N requests
  --malformed-next N       answer the next N requests with a truncated JSON body
  --throttle-rps N         answer 429 (APIGW.0308, Retry-After: 1) above N requests per second

After-apply faults: the next N successful writes (PUT/POST on the share API) change the state, then
  --drop-after-apply-next N      the connection is destroyed without an answer
  --truncate-after-apply-next N  the answer is 200 with the body cut short
  --fail-after-apply-next N      the answer is 500 (13000201)
  --delay-after-apply-next N     the answer comes only after --after-apply-delay-ms (default 35000)
  --after-apply-delay-ms MS
  GET requests never consume them, so a client can read back what landed.

Clock
  --clock-offset D         run the emulator's clock D ahead (e.g. 30d, 12h, 90m, 15s, 500 = ms; negative: behind).
                           Move it at run time with POST /__admin/clock {"advanceMs":n} or {"offsetMs":n}.

  --help                   show this text

The first line on stdout is "KooDrive emulator listening on <base URL>". SIGINT/SIGTERM stop it cleanly.
Admin API (no auth, never faulted or logged): GET /__admin/health, GET|DELETE /__admin/requests,
GET|PUT|PATCH|DELETE /__admin/faults, GET|POST /__admin/clock, POST /__admin/shares, GET|PATCH|DELETE /__admin/shares/{id},
POST /__admin/tokens/expire.`;

const numberFlags: Record<string, keyof FaultConfig> = {
  "latency-ms": "latencyMs", "error-rate": "errorRate", "error-status": "errorStatus", "fail-next": "failNext",
  "fail-status": "failStatus", "retry-after": "retryAfterSeconds", "reset-next": "resetNext",
  "malformed-next": "malformedNext", "throttle-rps": "throttleRps", "drop-after-apply-next": "dropAfterApplyNext",
  "truncate-after-apply-next": "truncateAfterApplyNext", "delay-after-apply-next": "delayAfterApplyNext",
  "after-apply-delay-ms": "afterApplyDelayMs", "fail-after-apply-next": "failAfterApplyNext",
};

function fail(message: string): never {
  process.stderr.write(`koodrive-emulator: ${message}\nRun koodrive-emulator --help for usage.\n`);
  process.exit(2);
}

function toNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) fail(`--${flag} must be a number`);
  return n;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        port: { type: "string" }, host: { type: "string" }, state: { type: "string" }, edition: { type: "string" },
        "clock-skew-seconds": { type: "string" }, "clock-offset": { type: "string" }, "request-log-limit": { type: "string" },
        token: { type: "string", multiple: true }, "app-id": { type: "string" }, "app-secret": { type: "string" },
        "token-ttl-seconds": { type: "string" }, help: { type: "boolean" },
        ...Object.fromEntries(Object.keys(numberFlags).map((f) => [f, { type: "string" as const }])),
      },
      strict: true,
    });
  } catch (e) {
    fail((e as Error).message);
  }
  const v = parsed.values as Record<string, string | string[] | boolean | undefined>;
  if (v.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const tokens = [...((v.token as string[] | undefined) ?? []), ...(process.env.KOODRIVE_EMULATOR_TOKEN ? [process.env.KOODRIVE_EMULATOR_TOKEN] : [])];
  const appId = (v["app-id"] as string | undefined) ?? process.env.KOODRIVE_EMULATOR_APP_ID;
  const appSecret = (v["app-secret"] as string | undefined) ?? process.env.KOODRIVE_EMULATOR_APP_SECRET;
  if ((appId === undefined) !== (appSecret === undefined)) fail("--app-id and --app-secret go together");
  if (tokens.length === 0 && appId === undefined) fail("configure at least one credential: --token, or --app-id with --app-secret");
  const edition = (v.edition as string | undefined) ?? "carrier";
  if (edition !== "carrier" && edition !== "enterprise") fail("--edition must be carrier or enterprise");
  const faults: FaultConfig = {};
  for (const [flag, key] of Object.entries(numberFlags)) {
    const n = toNumber(flag, v[flag] as string | undefined);
    if (n !== undefined) faults[key] = n;
  }
  const problem = faultConfigProblem(faults as Record<string, unknown>);
  if (problem) fail(problem);
  const clockOffsetText = v["clock-offset"] as string | undefined;
  const clockOffsetMs = clockOffsetText === undefined ? 0 : parseDuration(clockOffsetText);
  if (clockOffsetMs === undefined) fail("--clock-offset must be a duration such as 30d, 12h, 90m, 15s or a number of milliseconds");
  const offsetProblem = clockOffsetProblem("--clock-offset", clockOffsetMs);
  if (offsetProblem) fail(offsetProblem);
  const port = toNumber("port", v.port as string | undefined) ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail("--port must be from 0 to 65535");

  const emulator = await startEmulator({
    port,
    host: v.host as string | undefined,
    stateFile: v.state as string | undefined,
    edition,
    clockOffsetMs,
    clockSkewSeconds: toNumber("clock-skew-seconds", v["clock-skew-seconds"] as string | undefined),
    requestLogLimit: toNumber("request-log-limit", v["request-log-limit"] as string | undefined),
    tokens,
    apps: appId !== undefined && appSecret !== undefined ? { [appId]: appSecret } : {},
    tokenTtlSeconds: toNumber("token-ttl-seconds", v["token-ttl-seconds"] as string | undefined),
    faults,
  }).catch((e: Error) => fail(`cannot start: ${e.message}`));
  process.stdout.write(`KooDrive emulator listening on ${emulator.url}\n`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

void main();
