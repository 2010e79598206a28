import type { AddressInfo } from "node:net";
import { EDITIONS, type Edition } from "./bodyRules";
import { EmulatorClock } from "./clock";
import { EmulatorState, type ShareChange, type ShareSeed } from "./emulatorState";
import { type FaultConfig, FaultInjector } from "./faults";
import { type AuthConfig, isEmptyToken, tokenFromAuthorization } from "./requestAuth";
import { type LoggedRequest, RequestLog } from "./requestLog";
import { ShareStore } from "./shareStore";
import { ANSWER_FIELDS, type AnswerFields, type ShareView, isAnswerFields } from "./shareView";
import { createTransport } from "./transport";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. Any other than loopback requires `adminToken`. */
  host?: string;
  /** Accepted access tokens for token auth (`Bearer <t>`, `Bearer+<t>` or bare). */
  tokens?: string[];
  /** App id → app secret, for HMAC-SHA256 app auth. */
  apps?: Record<string, string>;
  /** Sliding token lifetime in seconds (KooDrive: 1200); default: tokens never expire. */
  tokenTtlSeconds?: number;
  /** Seconds an `X-Date` may be ahead of the emulator's clock; default 0, as documented ("not later than now"). */
  clockSkewSeconds?: number;
  /** `carrier` (default) or `enterprise`; see the README's table of differences. */
  edition?: Edition;
  /** Persist shares to this JSON file (atomically, mode 0600) so they survive restarts; default: memory only.
   *  A file that breaks a rule, or a path that cannot be written (it is written once at start to find out), is refused
   *  at start, naming the file and the entry or reason. A write that cannot be saved later is rolled back, answered
   *  500 and logged with `applied: false` and `error`; the reason also goes to stderr. */
  stateFile?: string;
  /**
   * ID of the first share the emulator creates (an even number of at most 19 digits); default 1689743054514187776,
   * the same on every start, which tests rely on. The CLI starts from one of its own (see `firstShareIdAt`).
   */
  firstShareId?: string;
  /** Faults active from the start. */
  faults?: FaultConfig;
  /** Request-log entries kept (oldest dropped first); default 10,000. */
  requestLogLimit?: number;
  /** Request-log size in bytes; default 16 MiB. */
  requestLogMaxBytes?: number;
  /** Keep access codes in logged request bodies; default false (they show as "[REDACTED]"). */
  logAccessCodes?: boolean;
  /** Token for the admin API (`Authorization: Bearer <token>`); required when binding beyond loopback. */
  adminToken?: string;
  /** Called once per share-API request after it was answered or dropped (the CLI's --log-requests uses it). */
  onRequest?: (entry: LoggedRequest) => void;
  /** Time source the emulator's clock adds its offset to; default `Date.now`. */
  now?: () => number;
  /**
   * List pages before the end come partial or empty, deterministically, as KooDrive warns its pages may (koodrive-api.md
   * §5.2): page 1 has half of `pageSize` (rounded up, at least 1), page 2 none, and so on alternately; `nextCursor`
   * stays until the last share was listed. Catches clients that stop at a short or empty page. Default false.
   */
  partialPages?: boolean;
  /**
   * Successful share-API answers use the other forms koodrive-api.md documents: `code` "0" instead of 0, counters as
   * strings on detail and list pages and numbers in the modify answer (the other way round by default), `expireTime`
   * as `yyyy-MM-dd HH:mm:ss` (UTC) and "" for a link without one (absent by default). Catches clients that accept one
   * form only. Default false.
   */
  alternateForms?: boolean;
  /**
   * How much the share answers carry. `full` (default): the emulator's own extras too (`ownerId`, `containerId`,
   * counters and `updateTime` on the details answer; `ownerId`, `containerId`, `comment` on the modify answer, as the
   * carrier example shows). `documented`: only the fields koodrive-api.md's tables list (details §6.4, modify §6.2).
   * `lean`: the leanest answers its pages show: details §6.4, a modify answer with only the enterprise example's
   * fields (`shareId`, `shortUrl`, `extractCode`, `createTime`, `updateTime`, `expireTime`), a create answer without
   * `createTime`, cancel results without `shareId` (the enterprise table has none). Catches clients that rely on more.
   */
  answers?: AnswerFields;
  /** Start the emulator's clock this many milliseconds ahead of `now` (negative: behind); default 0. */
  clockOffsetMs?: number;
  /**
   * Serve https with this certificate (chain) and private key, both PEM, as KooDrive does: for clients whose https
   * path (certificate trust, a proxy's `CONNECT` tunnel) must be tested too. Default: plain http.
   */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:43121` (`https://` with `tls`). */
  readonly url: string;
  readonly port: number;
  /** Faults: `set`, `merge`, `clear`, `current`. */
  readonly faults: FaultInjector;
  /** What the emulator received. */
  readonly requests: RequestLog;
  /** The emulator's clock: `now()`, `advance(ms)`, `setOffset(ms)`. Expiry, X-Date, token TTL, throttling and
   *  every `Date` header follow it. */
  readonly clock: EmulatorClock;
  /** `carrier` or `enterprise`. */
  readonly edition: Edition;
  /** Creates a share directly, as its owner would have; throws an InputError naming a bad field. */
  seedShare(seed: ShareSeed): ShareView;
  /** Changes a share behind the API's back (drift); throws an InputError for a bad change or unknown share. */
  changeShare(shareId: string, change: ShareChange): ShareView;
  /** The share as the detail API would show it to its owner, or undefined. */
  getShare(shareId: string): ShareView | undefined;
  /** Makes a token expired, as if idle for longer than its lifetime. */
  expireToken(token: string): void;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Loopback interfaces: binding anywhere else exposes the admin API to the network. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** A bad option: which one, and the rule it breaks, worded with the option's name (the CLI puts its flag there). */
export interface OptionsProblem {
  option: keyof EmulatorOptions;
  message: string;
}

/** The first option that breaks its rule: the one check of the options, for the library and the CLI alike. */
export function optionsProblem(o: EmulatorOptions): OptionsProblem | undefined {
  const bad = (option: keyof EmulatorOptions, rule: string): OptionsProblem => ({ option, message: `${option} ${rule}` });
  if (o.edition !== undefined && !EDITIONS.includes(o.edition)) return bad("edition", `must be ${EDITIONS.join(" or ")}`);
  if (o.answers !== undefined && !isAnswerFields(o.answers)) return bad("answers", `must be one of ${ANSWER_FIELDS.join(", ")}`);
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535)) return bad("port", "must be an integer from 0 to 65535");
  if (o.tokenTtlSeconds !== undefined && !(Number.isFinite(o.tokenTtlSeconds) && o.tokenTtlSeconds > 0))
    return bad("tokenTtlSeconds", "must be a positive number");
  if (o.clockSkewSeconds !== undefined && !(Number.isFinite(o.clockSkewSeconds) && o.clockSkewSeconds >= 0 && o.clockSkewSeconds <= 86_400))
    return bad("clockSkewSeconds", "must be from 0 to 86400");
  for (const k of ["requestLogLimit", "requestLogMaxBytes"] as const) {
    if (o[k] !== undefined && !(Number.isInteger(o[k]) && o[k]! >= 1)) return bad(k, "must be a positive integer");
  }
  const emptyToken = (o.tokens ?? []).findIndex((t) => typeof t !== "string" || isEmptyToken(t));
  if (emptyToken >= 0) return { option: "tokens", message: `tokens[${emptyToken}] must be a non-empty token (not blank, not only "Bearer")` };
  for (const [appId, secret] of Object.entries(o.apps ?? {})) {
    if (appId.trim() === "" || typeof secret !== "string" || secret.trim() === "") return bad("apps", "must map non-empty app IDs to non-empty app secrets");
  }
  if (o.adminToken !== undefined && o.adminToken.length < 8) return bad("adminToken", "must be at least 8 characters");
  if (o.tls !== undefined && !(o.tls.cert?.length > 0 && o.tls.key?.length > 0))
    return bad("tls", "needs both a certificate (cert) and a private key (key), in PEM");
  const host = o.host ?? "127.0.0.1";
  if (!isLoopback(host) && o.adminToken === undefined) {
    return {
      option: "host",
      message: `binding to ${host} exposes the admin API beyond this machine: set an admin token (adminToken, --admin-token or KOODRIVE_EMULATOR_ADMIN_TOKEN)`,
    };
  }
  return undefined;
}

/** Starts the emulator; resolves once it listens. Rejects (and listens on nothing) for bad options or state. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const problem = optionsProblem(options);
  if (problem) throw new RangeError(problem.message);
  const edition = options.edition ?? "carrier";
  const auth: AuthConfig = {
    tokens: new Set((options.tokens ?? []).map(tokenFromAuthorization)),
    apps: new Map(Object.entries(options.apps ?? {})),
    tokenTtlMs: options.tokenTtlSeconds === undefined ? undefined : options.tokenTtlSeconds * 1000,
    expiredTokens: new Set(),
    tokenLastUse: new Map(),
    clockSkewMs: (options.clockSkewSeconds ?? 0) * 1000,
    requireAgentName: edition === "carrier",
  };
  const store = new ShareStore(options.stateFile, options.firstShareId);
  let transport: ReturnType<typeof createTransport>;
  let state: EmulatorState;
  try {
    state = new EmulatorState(
      edition,
      store,
      auth,
      new FaultInjector(options.faults ?? {}),
      // A moved clock is kept in the state file with the shares it expired; an offset given at start wins.
      new EmulatorClock(options.now ?? Date.now, options.clockOffsetMs ?? store.savedClockOffsetMs ?? 0, (ms) => store.saveClockOffset(ms)),
      new RequestLog({ maxEntries: options.requestLogLimit, maxBytes: options.requestLogMaxBytes }),
    );
    transport = transportFor(state, options);
    await listen(transport.server, options);
  } catch (e) {
    store.close();
    throw e;
  }
  // A server error after start (e.g. EMFILE) must not take down the process hosting the emulator.
  transport.server.on("error", () => undefined);
  const address = transport.server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  state.baseUrl = `${options.tls === undefined ? "http" : "https"}://${host}:${address.port}`;
  state.partialPages = options.partialPages === true;
  state.alternateForms = options.alternateForms === true;
  state.answers = options.answers ?? "full";

  return {
    url: state.baseUrl,
    port: address.port,
    faults: state.faults,
    requests: state.requests,
    clock: state.clock,
    edition,
    seedShare: (seed) => state.seed(seed),
    changeShare: (shareId, change) => state.change(shareId, change),
    getShare: (shareId) => {
      const share = state.store.get(shareId);
      return share ? state.view(share) : undefined;
    },
    expireToken: (token) => state.expireToken(token),
    close: async () => {
      try {
        await transport.close();
      } finally {
        store.close();
      }
    },
  };
}

function transportFor(state: EmulatorState, options: EmulatorOptions): ReturnType<typeof createTransport> {
  try {
    return createTransport(state, {
      adminToken: options.adminToken,
      logAccessCodes: options.logAccessCodes,
      onRequest: options.onRequest,
      tls: options.tls,
    });
  } catch (e) {
    // Only the TLS context can fail here: a certificate or key that is not PEM, or a key that is not the certificate's.
    throw new RangeError(`tls: the certificate and key cannot be used (${(e as Error).message})`);
  }
}

function listen(server: ReturnType<typeof createTransport>["server"], options: EmulatorOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}
