import http from "node:http";
import https from "node:https";
import axios, { AxiosInstance } from "axios";
import { z } from "zod";
import { appAuthorization } from "./appAuth";
import { ConnectionSettings, settingsSecrets } from "./connectionSettings";
import { KooDriveError, KooDriveErrorKind } from "./koodriveError";
import { redact } from "./redact";
import { bearerAuthorization, identityHeaders, newTraceId } from "./requestHeaders";
import {
  CancelResult,
  ShareLink,
  cancelResponseSchema,
  errorBodySchema,
  shareLinkResponseSchema,
  shareListResponseSchema,
} from "./responses";
import { AttemptOutcome, RetryPolicy, decideRetry, defaultRetryPolicy } from "./retryPolicy";

/** Body of `PUT /koodrive/ose/v1/share/{shareId}` (carrier edition). Omitted fields are left unchanged. */
export interface UpdateShareBody {
  /** 0–365; 0 = no validity period (carrier). Mandatory for the API. */
  validDays: number;
  /** Exactly 8 of `[0-9a-zA-Z]`. */
  extractCode?: string;
  comment?: string;
}

/** Body of `POST /koodrive/ose/v1/share`. */
export interface CreateShareBody {
  /** 1 = external link, 3 = specified enterprise users. */
  scope: number;
  fileIds: string[];
  containerId: string;
  validDays: number;
  extractCode?: string;
  comment?: string;
}

/** One page of `GET /koodrive/ose/v1/share`. */
export interface ShareListPage {
  shareLinks: ShareLink[];
  /** Absent on the last page. */
  nextCursor?: string;
}

/** Test seams; production code uses the defaults. */
export interface ClientOptions {
  /** Overrides the retry policy; its `limit` is replaced by the settings' `maxRetries` unless given here. */
  retryPolicy?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  random?: () => number;
}

const SHARE_PATH = "/koodrive/ose/v1/share";
const keepAliveHttp = new http.Agent({ keepAlive: true });
const keepAliveHttps = new https.Agent({ keepAlive: true });

interface RequestSpec<T> {
  method: "GET" | "PUT" | "POST";
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  schema: z.ZodType<T>;
  /** Values in the body that must never appear in an error (e.g. the access code). */
  bodySecrets?: Array<string | undefined>;
}

/**
 * KooDrive share API client (carrier edition). Builds fresh identity headers and `X-Date` for every attempt,
 * signs with token or HMAC app auth, retries according to a {@link RetryPolicy}, validates responses, and turns
 * every failure into a redacted {@link KooDriveError}.
 */
export class KooDriveClient {
  private readonly http: AxiosInstance;
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => Date;
  private readonly random: () => number;

  constructor(private readonly settings: ConnectionSettings, options: ClientOptions = {}) {
    this.policy = { ...defaultRetryPolicy, limit: settings.maxRetries, ...options.retryPolicy };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.http = axios.create({
      baseURL: settings.endpoint,
      timeout: settings.timeoutMs,
      httpAgent: keepAliveHttp,
      httpsAgent: keepAliveHttps,
      responseType: "text",
      transformResponse: [(data: unknown) => data],
      transformRequest: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
      proxy: false,
    });
  }

  /** `GET /share/{shareId}`: the share's current settings. */
  async getShare(shareId: string): Promise<ShareLink> {
    const res = await this.request({ method: "GET", path: `${SHARE_PATH}/${encodeURIComponent(shareId)}`, schema: shareLinkResponseSchema });
    return res.shareLink;
  }

  /** `PUT /share/{shareId}`: applies settings; returns the share as KooDrive stored it. */
  async updateShare(shareId: string, body: UpdateShareBody): Promise<ShareLink> {
    const res = await this.request({
      method: "PUT",
      path: `${SHARE_PATH}/${encodeURIComponent(shareId)}`,
      body: compact(body),
      schema: shareLinkResponseSchema,
      bodySecrets: [body.extractCode],
    });
    return res.shareLink;
  }

  /** `POST /share`: creates a share (not retried except on 429, which means it never ran). */
  async createShare(body: CreateShareBody): Promise<ShareLink> {
    const res = await this.request({ method: "POST", path: SHARE_PATH, body: compact(body), schema: shareLinkResponseSchema, bodySecrets: [body.extractCode] });
    return res.shareLink;
  }

  /** `GET /share`: one page of the caller's shares, newest first. */
  async listShares(page: { pageSize?: number; pageCursor?: string } = {}): Promise<ShareListPage> {
    const query: Record<string, string> = {};
    if (page.pageSize !== undefined) query.pageSize = String(page.pageSize);
    if (page.pageCursor !== undefined) query.pageCursor = page.pageCursor;
    const res = await this.request({ method: "GET", path: SHARE_PATH, query, schema: shareListResponseSchema });
    return { shareLinks: res.shareLinks, nextCursor: res.nextCursor };
  }

  /** `POST /share/cancel`: stops sharing up to 100 shares; one result per id. */
  async cancelShares(shareIds: string[]): Promise<CancelResult[]> {
    const res = await this.request({ method: "POST", path: `${SHARE_PATH}/cancel`, body: { shareIds }, schema: cancelResponseSchema });
    return res.subResponseList.map((item) => ({ shareId: item.shareId, code: String(item.code), msg: item.msg ?? item.message }));
  }

  private async request<T>(spec: RequestSpec<T>): Promise<T> {
    const body = spec.body === undefined ? "" : JSON.stringify(spec.body);
    const secrets = [...settingsSecrets(this.settings), ...(spec.bodySecrets ?? [])];
    const url = new URL(this.settings.endpoint + spec.path);
    for (let attempt = 1; ; attempt++) {
      // Each attempt is its own HTTP request and gets its own trace id; the error reports the last one.
      const traceId = newTraceId();
      const fail = (kind: KooDriveErrorKind, extra: { status?: number; code?: string; msg?: string; causeCode?: string }) =>
        new KooDriveError({
          kind,
          status: extra.status,
          code: extra.code,
          koodriveMessage: extra.msg === undefined ? undefined : redact(extra.msg, secrets),
          causeCode: extra.causeCode,
          request: { method: spec.method, path: spec.path, traceId, attempts: attempt },
        });
      let outcome: AttemptOutcome;
      let error: KooDriveError;
      try {
        const res = await this.http.request<string>({
          method: spec.method,
          url: spec.path,
          params: spec.query,
          data: body === "" ? undefined : body,
          headers: this.headersFor(spec, url.host, body, traceId),
        });
        const parsed = parseJson(res.data);
        if (res.status >= 200 && res.status < 300) {
          if (parsed === undefined) throw fail("invalid-response", { status: res.status, msg: "body is not JSON" });
          const envelope = errorBodySchema.safeParse(parsed);
          const code = envelope.success ? envelope.data.code : undefined;
          if (code !== undefined && String(code) !== "0") {
            throw fail("api", { status: res.status, code: String(code), msg: envelope.success ? envelope.data.msg : undefined });
          }
          const ok = spec.schema.safeParse(parsed);
          if (!ok.success) throw fail("invalid-response", { status: res.status, msg: describeZodError(ok.error) });
          return ok.data;
        }
        const details = errorDetails(parsed);
        error = fail("api", { status: res.status, code: details.code, msg: details.msg });
        outcome = { kind: "status", status: res.status, retryAfter: headerValue(res.headers["retry-after"]) };
      } catch (e) {
        if (e instanceof KooDriveError) throw e;
        const code = networkCode(e);
        error = fail(code === "ECONNABORTED" || code === "ETIMEDOUT" ? "timeout" : "network", { causeCode: code });
        outcome = { kind: "network", code };
      }
      const decision = decideRetry(this.policy, spec.method, attempt, outcome, this.now().getTime(), this.random);
      if (!decision.retry) throw error;
      await this.sleep(decision.delayMs);
    }
  }

  private headersFor(spec: RequestSpec<unknown>, host: string, body: string, traceId: string): Record<string, string> {
    const identity = identityHeaders(this.settings.userId, this.settings.agentName, traceId, this.now());
    const headers: Record<string, string> = { ...identity, Host: host, Accept: "application/json" };
    if (body !== "") headers["Content-Type"] = "application/json";
    const auth = this.settings.auth;
    headers.Authorization =
      auth.kind === "token"
        ? bearerAuthorization(auth.accessToken)
        : appAuthorization(
            { method: spec.method, path: spec.path, query: spec.query, body, headers: { host, "x-date": identity["X-Date"], "x-user-id": identity["X-User-Id"] } },
            auth.appId,
            auth.appSecret,
          );
    return headers;
  }
}

function compact<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== "string" || text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorDetails(body: unknown): { code?: string; msg?: string } {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return {};
  const b = parsed.data;
  const code = b.code ?? b.error?.errorCode ?? b.error_code;
  return { code: code === undefined ? undefined : String(code), msg: b.msg ?? b.message ?? b.error?.errorMsg ?? b.error_msg };
}

function headerValue(value: unknown): string | undefined {
  return typeof value === "string" ? value : Array.isArray(value) ? String(value[0]) : undefined;
}

function networkCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" ? code : "UNKNOWN";
}

function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
}
