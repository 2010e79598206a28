import http from "node:http";
import { AddressInfo } from "node:net";
import { ErrorReply, apiError, ErrorCodes, invalidParameter, noSuchApi, notFound, throttled } from "./apiErrors";
import { cancelSharesRule, createShareRule, listQueryRule, parseExpireTime, updateShareRule } from "./bodyRules";
import { EmulatorClock } from "./clock";
import { FaultConfig, FaultInjector } from "./faults";
import { AuthConfig, authenticate, tokenFromAuthorization } from "./requestAuth";
import { LoggedRequest, RequestLog, redactAuthorization } from "./requestLog";
import { ShareStore, StoredShare, expiryFromValidDays } from "./shareStore";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Accepted access tokens for token auth (`Bearer <t>`, `Bearer+<t>` or bare). */
  tokens?: string[];
  /** App id → app secret, for HMAC-SHA256 app auth. */
  apps?: Record<string, string>;
  /** Sliding token lifetime in seconds (KooDrive: 1200); default: tokens never expire. */
  tokenTtlSeconds?: number;
  /** Seconds an `X-Date` may be ahead of the emulator's clock; default 0, as documented ("not later than now"). */
  clockSkewSeconds?: number;
  /** `carrier` (default): `X-Hw-Agentname` required, `validDays: 0` = no validity period.
   *  `enterprise`: no agent header, `validDays: 0` = keep the current expiry. */
  edition?: "carrier" | "enterprise";
  /** Persist shares to this JSON file (atomically) so they survive restarts; default: memory only. */
  stateFile?: string;
  /** Faults active from the start. */
  faults?: FaultConfig;
  /** Request-log entries kept (oldest dropped first); default 10,000. */
  requestLogLimit?: number;
  /** Time source the emulator's clock adds its offset to; default `Date.now`. */
  now?: () => number;
  /** Start the emulator's clock this many milliseconds ahead of `now` (negative: behind); default 0. */
  clockOffsetMs?: number;
}

/** Fields an out-of-band change (`PATCH /__admin/shares/{id}`) may set. */
export interface ShareChange {
  extractCode?: string | null;
  comment?: string | null;
  /** ISO-8601 or `yyyy-MM-dd HH:mm:ss`; null removes the validity period. */
  expireTime?: string | null;
  status?: number;
  viewCnt?: number;
  downloadCnt?: number;
  saveCnt?: number;
}

/** A share to create directly, bypassing auth (admin API / test setup). */
export interface ShareSeed {
  ownerId: string;
  /** Numeric, like KooDrive's; default: the next free 19-digit ID. */
  shareId?: string;
  containerId?: string;
  displayName?: string;
  fileIds?: string[];
  scope?: number;
  extractCode?: string;
  comment?: string;
  /** 0 = no validity period (default 7). */
  validDays?: number;
}

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  readonly port: number;
  /** Faults: `set`, `merge`, `clear`, `current`. */
  readonly faults: FaultInjector;
  /** What the emulator received. */
  readonly requests: RequestLog;
  /** The emulator's clock: `now()`, `advance(ms)`, `setOffset(ms)`. Expiry, X-Date, token TTL, throttling and
   *  every `Date` header follow it. */
  readonly clock: EmulatorClock;
  /** Creates a share directly, as its owner would have. Returns the share as the detail API shows it. */
  seedShare(seed: ShareSeed): Record<string, unknown>;
  /** Changes a share behind the API's back (drift). Returns the share as the detail API shows it. */
  changeShare(shareId: string, change: ShareChange): Record<string, unknown>;
  /** The share as the detail API would show it to its owner, or undefined. */
  getShare(shareId: string): Record<string, unknown> | undefined;
  /** Makes a token expired, as if idle for longer than its lifetime. */
  expireToken(token: string): void;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const SHARE = "/koodrive/ose/v1/share";
const MAX_BODY = 1024 * 1024;

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const clock = new EmulatorClock(options.now ?? Date.now, options.clockOffsetMs ?? 0);
  const now = () => clock.now();
  const pendingDelays = new Set<NodeJS.Timeout>();
  // A client learns the server's time from Date, so every answer shows the emulator's clock, not the host's.
  const httpDate = () => new Date(now()).toUTCString();
  const edition = options.edition ?? "carrier";
  const store = new ShareStore(options.stateFile);
  const faults = new FaultInjector(options.faults ?? {});
  const requests = new RequestLog(options.requestLogLimit);
  const auth: AuthConfig = {
    tokens: new Set((options.tokens ?? []).map(tokenFromAuthorization)),
    apps: new Map(Object.entries(options.apps ?? {})),
    tokenTtlMs: options.tokenTtlSeconds === undefined ? undefined : options.tokenTtlSeconds * 1000,
    expiredTokens: new Set(),
    tokenLastUse: new Map(),
    clockSkewMs: (options.clockSkewSeconds ?? 0) * 1000,
    requireAgentName: edition === "carrier",
  };
  let baseUrl = "";

  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const view = (s: StoredShare, counters: "number" | "string"): Record<string, unknown> => {
    const count = (n: number) => (counters === "string" ? String(n) : n);
    const expired = s.status === 0 && s.expireTime !== undefined && now() > s.expireTime;
    return {
      shareId: s.shareId,
      shortUrl: s.shortUrl,
      linkUrl: `${baseUrl}/cloudfile/#/sharelink/i/${s.shortUrl}`,
      shareTime: iso(s.shareTime),
      expireTime: iso(s.expireTime),
      scope: s.scope,
      extractCode: s.extractCode,
      displayName: s.displayName,
      status: expired ? 2 : s.status,
      comment: s.comment,
      ownerId: s.ownerId,
      containerId: s.containerId,
      viewCnt: count(s.viewCnt),
      downloadCnt: count(s.downloadCnt),
      saveCnt: count(s.saveCnt),
      updateTime: iso(s.updateTime),
    };
  };
  const ok = (fields: Record<string, unknown>): Reply => ({ status: 200, body: { ...fields, code: 0, msg: "Success." } });
  const fromError = (e: ErrorReply): Reply => ({ status: e.status, body: e.body, headers: e.headers });

  const seed = (s: ShareSeed): StoredShare => {
    const fileIds = s.fileIds ?? [`file-${store.size + 1}`];
    return store.create(
      {
        ownerId: s.ownerId,
        shareId: s.shareId,
        containerId: s.containerId ?? "IAAB5thdWzxEoAsiA1681759183084696448",
        fileIds,
        scope: s.scope ?? 1,
        displayName: s.displayName ?? displayNameFor(fileIds),
        extractCode: s.extractCode,
        comment: s.comment,
        validDays: s.validDays ?? 7,
      },
      now(),
    );
  };

  const change = (share: StoredShare, c: ShareChange): string | undefined => {
    if (c.extractCode !== undefined && c.extractCode !== null && !/^[0-9a-zA-Z]{8}$/.test(c.extractCode)) return "extractCode must be 8 characters from [0-9a-zA-Z]";
    let expiry: number | undefined;
    if (typeof c.expireTime === "string") {
      expiry = parseExpireTime(c.expireTime);
      if (expiry === undefined) return "expireTime must be ISO-8601 or yyyy-MM-dd HH:mm:ss";
    }
    store.change(share, (s) => {
      if (c.extractCode !== undefined) s.extractCode = c.extractCode ?? undefined;
      if (c.comment !== undefined) s.comment = c.comment ?? undefined;
      if (c.expireTime !== undefined) s.expireTime = expiry;
      for (const k of ["status", "viewCnt", "downloadCnt", "saveCnt"] as const) if (typeof c[k] === "number") s[k] = c[k] as number;
    }, now());
    return undefined;
  };

  function handleApi(method: string, path: string, query: URLSearchParams, body: unknown, userId: string): Reply {
    if (path === SHARE && method === "POST") {
      const problem = createShareRule(body);
      if (problem) return fromError(invalidParameter(problem));
      const b = body as Record<string, unknown>;
      const fileIds = b.fileIds as string[];
      const share = store.create(
        {
          ownerId: userId,
          containerId: b.containerId as string,
          fileIds,
          scope: Number(b.scope),
          displayName: displayNameFor(fileIds),
          extractCode: b.extractCode as string | undefined,
          comment: b.comment as string | undefined,
          validDays: b.validDays as number,
          expireTime: typeof b.expireTime === "string" ? parseExpireTime(b.expireTime) : undefined,
        },
        now(),
      );
      const v = view(share, "number");
      return ok({ shareLink: { shareId: v.shareId, shortUrl: v.shortUrl, linkUrl: v.linkUrl, extractCode: v.extractCode, comment: v.comment, expireTime: v.expireTime, createTime: v.shareTime } });
    }
    if (path === SHARE && method === "GET") {
      const problem = listQueryRule(query);
      if (problem) return fromError(invalidParameter(problem));
      const pageSize = Number(query.get("pageSize") ?? 100);
      const offset = Number(query.get("pageCursor") ?? 0);
      const all = store.listOwned(userId, query.get("sortDirection") === "1");
      const page = all.slice(offset, offset + pageSize).map((s) => view(s, "number"));
      const next = offset + pageSize < all.length ? { nextCursor: String(offset + pageSize) } : {};
      return ok({ shareLinks: page, ...next });
    }
    if (path === `${SHARE}/cancel` && method === "POST") {
      const problem = cancelSharesRule(body);
      if (problem) return fromError(invalidParameter(problem));
      const subResponseList = ((body as { shareIds: string[] }).shareIds).map((shareId) => {
        if (!store.owned(shareId, userId)) return { shareId, code: ErrorCodes.RESOURCE_NOT_FOUND, msg: "Resource not found." };
        store.remove(shareId);
        return { shareId, code: 0, msg: "success" };
      });
      return ok({ subResponseList });
    }
    const id = path.startsWith(`${SHARE}/`) ? decodeURIComponent(path.slice(SHARE.length + 1)) : undefined;
    if (id === undefined || id.includes("/") || (method !== "GET" && method !== "PUT")) return fromError(noSuchApi());
    const share = store.owned(id, userId);
    if (method === "GET") return share ? ok({ shareLink: view(share, "number") }) : fromError(notFound());
    const problem = updateShareRule(body);
    if (problem) return fromError(invalidParameter(problem));
    if (!share) return fromError(notFound());
    const b = body as { validDays: number; extractCode?: string; comment?: string };
    store.change(share, (s) => {
      if (b.extractCode !== undefined) s.extractCode = b.extractCode;
      if (b.comment !== undefined) s.comment = b.comment;
      if (b.validDays > 0 || edition === "carrier") s.expireTime = expiryFromValidDays(b.validDays, now());
    }, now());
    // The modify API's field table types the counters as strings.
    return ok({ shareLink: view(share, "string") });
  }

  function handleAdmin(method: string, path: string, body: unknown): Reply {
    const bad = (msg: string): Reply => ({ status: 400, body: { error: msg } });
    if (path === "/__admin/health" && method === "GET") return { status: 200, body: { ok: true, shares: store.size } };
    if (path === "/__admin/requests") {
      if (method === "GET") return { status: 200, body: { requests: requests.all() } };
      if (method === "DELETE") { requests.clear(); return { status: 204, body: undefined }; }
    }
    if (path === "/__admin/faults") {
      if (method === "GET") return { status: 200, body: faults.current() };
      if (method === "DELETE") { faults.clear(); return { status: 204, body: undefined }; }
      if (method === "PUT" || method === "PATCH") {
        try {
          if (method === "PUT") faults.set(body as FaultConfig);
          else faults.merge(body as FaultConfig);
        } catch (e) {
          return bad((e as Error).message);
        }
        return { status: 200, body: faults.current() };
      }
    }
    if (path === "/__admin/clock") {
      if (method === "GET") return { status: 200, body: clock.describe() };
      if (method === "POST") {
        const b = (body ?? {}) as { advanceMs?: unknown; offsetMs?: unknown };
        if (typeof body !== "object" || body === null || Array.isArray(body) || (b.advanceMs === undefined) === (b.offsetMs === undefined)) return bad("send exactly one of advanceMs or offsetMs");
        try {
          if (b.advanceMs !== undefined) clock.advance(b.advanceMs as number);
          else clock.setOffset(b.offsetMs as number);
        } catch (e) {
          return bad((e as Error).message);
        }
        return { status: 200, body: clock.describe() };
      }
    }
    if (path === "/__admin/tokens/expire" && method === "POST") {
      const token = (body as { token?: unknown })?.token;
      if (typeof token !== "string") return bad("token is required");
      auth.expiredTokens.add(tokenFromAuthorization(token));
      return { status: 204, body: undefined };
    }
    if (path === "/__admin/shares" && method === "POST") {
      const s = body as ShareSeed;
      if (typeof s?.ownerId !== "string" || !/^\d+$/.test(s.ownerId)) return bad("ownerId (numeric) is required");
      if (s.shareId !== undefined && (typeof s.shareId !== "string" || !/^\d{1,32}$/.test(s.shareId) || store.get(s.shareId))) return bad("shareId must be a new numeric ID");
      return { status: 201, body: view(seed(s), "number") };
    }
    const m = /^\/__admin\/shares\/([^/]+)$/.exec(path);
    if (m) {
      const share = store.get(decodeURIComponent(m[1]!));
      if (!share) return { status: 404, body: { error: "no such share" } };
      if (method === "GET") return { status: 200, body: view(share, "number") };
      if (method === "PATCH") {
        const problem = change(share, (body ?? {}) as ShareChange);
        return problem ? bad(problem) : { status: 200, body: view(share, "number") };
      }
      if (method === "DELETE") { store.remove(share.shareId); return { status: 204, body: undefined }; }
    }
    return { status: 404, body: { error: `no admin route ${method} ${path}` } };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => {
      void respond(req, res, Buffer.concat(chunks), size > MAX_BODY);
    });
  });

  async function respond(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer, tooLarge: boolean): Promise<void> {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://emulator");
    const path = url.pathname;
    const text = raw.toString("utf8");
    let body: unknown;
    let bodyIsJson = true;
    if (text.trim() !== "") {
      try { body = JSON.parse(text); } catch { bodyIsJson = false; body = text; }
    }
    const send = (reply: Reply) => {
      const payload = reply.body === undefined ? "" : JSON.stringify(reply.body);
      res.writeHead(reply.status, { Date: httpDate(),  ...(payload ? { "Content-Type": "application/json;charset=UTF-8" } : {}), "Content-Length": Buffer.byteLength(payload), ...reply.headers });
      res.end(payload);
    };
    if (path.startsWith("/__admin/")) {
      send(bodyIsJson ? handleAdmin(method, path, body) : { status: 400, body: { error: "body must be JSON" } });
      return;
    }

    const entry: Omit<LoggedRequest, "seq"> = {
      time: new Date(now()).toISOString(), method, path, query: Object.fromEntries(url.searchParams),
      headers: loggedHeaders(req.headers), body, status: 0,
    };
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    const fault = faults.next(now());
    if (fault.kind === "reset") {
      requests.add({ ...entry, fault: "reset" });
      req.socket.destroy();
      return;
    }
    let reply: Reply;
    if (fault.kind === "throttle") {
      reply = fromError(throttled(1));
      entry.fault = "throttle";
    } else if (fault.kind === "status") {
      const e = fault.status === 429 ? throttled(fault.retryAfterSeconds ?? 1) : apiError(fault.status, ErrorCodes.INNER_INVOKE_FAILURE, "inner server invoke failure");
      if (fault.retryAfterSeconds !== undefined) e.headers = { "Retry-After": String(fault.retryAfterSeconds) };
      reply = fromError(e);
      entry.fault = `status ${fault.status}`;
    } else if (fault.kind === "malformed") {
      entry.fault = "malformed";
      requests.add({ ...entry, status: 200 });
      res.writeHead(200, { Date: httpDate(), "Content-Type": "application/json;charset=UTF-8" });
      res.end('{"code":0,"msg":"Success.","shareLink":{"shareId":');
      return;
    } else if (tooLarge) {
      reply = fromError(invalidParameter("the body exceeds 1 MiB"));
    } else {
      const outcome = authenticate({ method, path, rawQuery: url.search.slice(1), headers: req.headers, body: raw }, auth, now());
      if (!outcome.ok) reply = fromError(outcome.reply);
      else {
        entry.auth = outcome.scheme;
        reply = bodyIsJson ? handleApi(method, path, url.searchParams, body, outcome.userId) : fromError(invalidParameter("the body must be valid JSON"));
      }
    }
    const applied = (method === "PUT" || method === "POST") && reply.status === 200;
    if (applied) {
      entry.applied = true;
      const after = faults.afterApply();
      if (after.kind === "dropAfterApply") {
        requests.add({ ...entry, status: 0, fault: after.kind });
        req.socket.destroy();
        return;
      }
      if (after.kind === "truncateAfterApply") {
        requests.add({ ...entry, status: 200, fault: after.kind });
        const payload = Buffer.from(JSON.stringify(reply.body));
        const cut = payload.subarray(0, Math.floor(payload.length / 2));
        res.writeHead(200, { Date: httpDate(), "Content-Type": "application/json;charset=UTF-8", "Content-Length": cut.length });
        res.end(cut);
        return;
      }
      if (after.kind === "failAfterApply") {
        entry.fault = after.kind;
        reply = fromError(apiError(500, ErrorCodes.INNER_INVOKE_FAILURE, "inner server invoke failure"));
      }
      if (after.kind === "delayAfterApply") {
        entry.fault = after.kind;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            pendingDelays.delete(timer);
            resolve();
          }, after.delayMs);
          pendingDelays.add(timer);
        });
        if (res.destroyed) {
          requests.add({ ...entry, status: 0 });
          return;
        }
      }
    }
    requests.add({ ...entry, status: reply.status });
    send(reply);
  }

  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  const mustGet = (shareId: string) => {
    const share = store.get(shareId);
    if (!share) throw new Error(`no share ${shareId}`);
    return share;
  };
  return {
    url: baseUrl,
    port: address.port,
    faults,
    requests,
    clock,
    seedShare: (s) => view(seed(s), "number"),
    changeShare: (shareId, c) => {
      const share = mustGet(shareId);
      const problem = change(share, c);
      if (problem) throw new Error(problem);
      return view(share, "number");
    },
    getShare: (shareId) => {
      const share = store.get(shareId);
      return share ? view(share, "number") : undefined;
    },
    expireToken: (token) => auth.expiredTokens.add(tokenFromAuthorization(token)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of pendingDelays) clearTimeout(timer);
        pendingDelays.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** KooDrive shows a multi-file share as "<first file> and more files". */
function displayNameFor(fileIds: string[]): string {
  return fileIds.length > 1 ? `${fileIds[0]} and more files` : (fileIds[0] ?? "");
}

function loggedHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const v = Array.isArray(value) ? value.join(", ") : value;
    out[name] = name === "authorization" ? redactAuthorization(v) : v;
  }
  return out;
}
