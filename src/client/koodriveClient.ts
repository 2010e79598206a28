import type { AxiosInstance, AxiosResponse } from "axios";
import type * as z from "../zod";
import { CANCEL_PATH, SHARE_PATH } from "./apiPaths";
import { definedFields } from "./definedFields";
import { appAuthorization } from "./appAuth";
import { type KooDriveClientEvent, type KooDriveClientEventListener, formatSeconds, retryEvent, waitingEvent } from "./clientEvents";
import { type ConnectionSettings, SETTING_DEFAULTS, credentialFixHint, settingsSecrets } from "./connectionSettings";
import { type CredentialAdmission, CredentialGate, type CredentialVerdict, isCredentialRejection } from "./credentialGate";
import { KooDriveError, isNotFoundAnswer, type KooDriveErrorKind, type KooDriveRequestInfo, outcomeUnknown } from "./koodriveError";
import { AccessCodes, redact } from "./redact";
import { type BudgetLimits, type BudgetOutcome, type BudgetPermit, type BudgetSnapshot, RequestBudget, TurnNotReached } from "./requestBudget";
import { bearerAuthorization, identityHeaders, newTraceId } from "./requestHeaders";
import { cancelResponseSchema, errorBodySchema, shareLinkResponseSchema, shareListResponseSchema } from "./responses";
import { type CancelResult, type ShareLink, fileIdsOf, sameFileSet } from "./shareLink";
import {
  type AttemptOutcome,
  CERTIFICATE_REFUSAL_CODES,
  NO_RETRIES_YET,
  NO_TLS_CODE,
  type RetryPolicy,
  decideRetry,
  defaultRetryPolicy,
  parseRetryAfter,
  recordRetry,
} from "./retryPolicy";
import { ServerClock, dateRejection } from "./serverClock";
import { type DeadlineTransport, MAX_ANSWER_BYTES, type Transport, axiosFor, deadlineTransport, transportFor } from "./transport";
import { userAgent } from "./userAgent";

/** Body of `PUT /koodrive/ose/v1/share/{shareId}`, both editions. Omitted fields are left unchanged. */
export interface UpdateShareBody {
  /** 0–365, mandatory for the API; 0 = no validity period on the carrier edition, "keep the current expiry" on enterprise. */
  validDays: number;
  /** Exactly 8 of `[0-9a-zA-Z]`. */
  extractCode?: string;
  comment?: string;
}

/** Body of `POST /koodrive/ose/v1/share`. */
export interface CreateShareBody {
  /** 1 = external link, 2 = enterprise-internal (enterprise edition only), 3 = specified enterprise users. */
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

/**
 * What one process shares for one endpoint: the adaptive request budget and the learned server clock. A
 * `KooDriveClientFactory` hands the same one to all its clients of an endpoint; a client built alone makes its own.
 */
export interface SharedEndpoint {
  readonly budget: RequestBudget;
  readonly serverClock: ServerClock;
}

/** The request-budget limits `settings` ask for. */
export function budgetLimits(settings: ConnectionSettings): BudgetLimits {
  return { maxConcurrency: settings.maxConcurrency ?? SETTING_DEFAULTS.maxConcurrency, requestsPerSecond: settings.requestsPerSecond };
}

/**
 * A budget and server clock for `settings`' endpoint, with its limits. `now` (a test's clock, `ClientOptions.now`)
 * serves both; by default the server clock reads the wall clock (it maps local instants to KooDrive's `Date` headers)
 * and the budget a monotonic one (it only measures waits).
 */
export function newSharedEndpoint(settings: ConnectionSettings, now?: () => Date): SharedEndpoint {
  const localNow = now === undefined ? undefined : () => now().getTime();
  return { budget: new RequestBudget(budgetLimits(settings), undefined, localNow), serverClock: new ServerClock(localNow) };
}

/** Options; all have production defaults. */
export interface ClientOptions {
  /** Overrides the retry policy; `limit` and `throttleRetryTimeoutMs` come from the settings unless given here. */
  retryPolicy?: Partial<RetryPolicy>;
  /** Told about every retry and every long wait; messages never hold a secret. Default: silent. */
  onEvent?: KooDriveClientEventListener;
  /**
   * Told when a request reported by a `waiting` event has been sent, once per such event, with how long it waited
   * in all: a listener counting the requests still waiting learns when none is left.
   */
  onLongWaitOver?: (waitedMs: number) => void;
  /** Budget and server clock shared with other clients of the endpoint (see `KooDriveClientFactory`). */
  sharedEndpoint?: SharedEndpoint;
  /**
   * Access codes never to print, shared with other clients (see `KooDriveClientFactory`); the client adds each one it
   * sends or is answered with. Default: the client's own.
   */
  accessCodes?: AccessCodes;
  /** Test seams. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  random?: () => number;
}

/** What every response schema demands: the success code (see `attempt`, which relies on it). */
interface SuccessEnvelope {
  code: 0 | "0";
}

interface RequestSpec<T extends SuccessEnvelope> {
  method: "GET" | "PUT" | "POST";
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  schema: z.ZodType<T>;
  /** Values in the body that must never appear in an error (e.g. the access code). */
  bodySecrets?: Array<string | undefined>;
  /** What is wrong with a well-formed answer that is still not an answer to this request (another share's), if anything. */
  answerProblem?: (data: T) => string | undefined;
}

/** What an attempt's answer tells the credential gate and the request budget. */
interface AttemptLearned {
  readonly credentials: CredentialVerdict;
  readonly budget: BudgetOutcome;
}

/** Nothing learned: the answer never came, or the attempt threw before it was read. */
const NOTHING_LEARNED: AttemptLearned = { credentials: { kind: "unknown" }, budget: { kind: "unanswered" } };

/** How an attempt words its failure as a {@link KooDriveError}. */
type FailureOf = (
  kind: KooDriveErrorKind,
  extra: { status?: number; code?: string; msg?: string; causeCode?: string; handshakeWithProxy?: boolean; foreignPage?: boolean },
) => KooDriveError;

/** What one attempt came to (see `KooDriveClient.attempt`), and what it taught. */
type AttemptResult<T> = { readonly learned: AttemptLearned } & (
  | { kind: "answered"; data: T }
  /** Sent, and no retry can mend it. */
  | { kind: "unrecoverable"; error: KooDriveError }
  /** For the retry policy to judge. */
  | { kind: "failed"; error: KooDriveError; outcome: AttemptOutcome }
);

/**
 * KooDrive share API client. Builds fresh identity headers for every attempt, with an `X-Date` in the server's time;
 * signs with token or HMAC app auth; sends through the endpoint's adaptive request budget; retries according to a
 * {@link RetryPolicy}; stops sending after KooDrive rejects its credentials; validates responses; and turns every
 * failure into a redacted {@link KooDriveError}.
 */
export class KooDriveClient {
  private readonly http: AxiosInstance;
  private readonly deadline: DeadlineTransport;
  private readonly policy: RetryPolicy;
  private readonly transport: Transport;
  private readonly shared: SharedEndpoint;
  private readonly credentials = new CredentialGate();
  /** The access codes this client has sent or received, and those its owner knows of (see `secretsOf`). */
  private readonly accessCodes: AccessCodes;
  private readonly host: string;
  /** The headers that are the same for every request of this client (token auth's `Authorization` among them). */
  private readonly constantHeaders: Record<string, string>;
  private readonly onEvent: KooDriveClientEventListener;
  private readonly onLongWaitOver: ((waitedMs: number) => void) | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly settings: ConnectionSettings,
    options: ClientOptions = {},
  ) {
    this.policy = {
      ...defaultRetryPolicy,
      limit: settings.maxRetries,
      throttleRetryTimeoutMs: settings.throttleRetryTimeoutMs ?? defaultRetryPolicy.throttleRetryTimeoutMs,
      ...options.retryPolicy,
    };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.onEvent = options.onEvent ?? (() => undefined);
    this.onLongWaitOver = options.onLongWaitOver;
    this.shared = options.sharedEndpoint ?? newSharedEndpoint(settings, options.now);
    this.accessCodes = options.accessCodes ?? new AccessCodes();
    this.transport = transportFor(settings.endpoint, settings.proxy);
    this.host = new URL(settings.endpoint).host;
    this.constantHeaders = { Host: this.host, Accept: "application/json", "User-Agent": userAgent() };
    if (settings.auth.kind === "token") this.constantHeaders.Authorization = bearerAuthorization(settings.auth.accessToken);
    this.deadline = deadlineTransport(settings.timeoutMs);
    this.http = axiosFor(settings.endpoint, settings.timeoutMs, this.transport, this.deadline);
  }

  /**
   * Marks now on KooDrive's clock: the returned function gives the server's time of this instant, by the offset learned
   * from KooDrive's `Date` headers by the time it is called (see `ServerClock.mark`). The clock `X-Date` is signed with.
   */
  markServerTime(): () => number {
    return this.shared.serverClock.mark();
  }

  /** How many times a failed request is retried (`maxRetries`): what callers that repeat an operation themselves match. */
  get retryLimit(): number {
    return this.policy.limit;
  }

  /** Whether {@link markServerTime} is on KooDrive's clock yet (an answer's `Date` header has been seen). */
  serverTimeKnown(): boolean {
    return this.shared.serverClock.known();
  }

  /** `GET /share/{shareId}`: the share's current settings. */
  async getShare(shareId: string): Promise<ShareLink> {
    const res = await this.request({
      method: "GET",
      path: `${SHARE_PATH}/${encodeURIComponent(shareId)}`,
      schema: shareLinkResponseSchema,
      answerProblem: aboutShare(shareId),
    });
    return res.shareLink;
  }

  /** `PUT /share/{shareId}`: applies settings; returns the share as KooDrive stored it. */
  async updateShare(shareId: string, body: UpdateShareBody): Promise<ShareLink> {
    const res = await this.request({
      method: "PUT",
      path: `${SHARE_PATH}/${encodeURIComponent(shareId)}`,
      body: definedFields(body),
      schema: shareLinkResponseSchema,
      bodySecrets: [body.extractCode],
      answerProblem: aboutShare(shareId),
    });
    return res.shareLink;
  }

  /**
   * `POST /share`: creates a share, retried only when KooDrive cannot have run it: a 429, a connection refused or a
   * name that did not resolve (EAI_AGAIN), an `X-Date` rejected, a proxy's 5xx refusal to forward it.
   */
  async createShare(body: CreateShareBody): Promise<ShareLink> {
    const res = await this.request({
      method: "POST",
      path: SHARE_PATH,
      body: definedFields(body),
      schema: shareLinkResponseSchema,
      bodySecrets: [body.extractCode],
      answerProblem: ({ shareLink }) => {
        const differs = createContradictions(shareLink, body);
        return differs.length === 0 ? undefined : `the answer is about share ${shareLink.shareId}, whose ${differs.join(", ")} is not what the create sent`;
      },
    });
    return res.shareLink;
  }

  /** `GET /share`: one page of the caller's shares by share time, newest first unless `oldestFirst`. */
  async listShares(page: { pageSize?: number; pageCursor?: string; oldestFirst?: boolean } = {}): Promise<ShareListPage> {
    const query: Record<string, string> = {};
    if (page.pageSize !== undefined) query.pageSize = String(page.pageSize);
    if (page.pageCursor !== undefined) query.pageCursor = page.pageCursor;
    if (page.oldestFirst) query.sortDirection = "1";
    const res = await this.request({ method: "GET", path: SHARE_PATH, query, schema: shareListResponseSchema });
    return { shareLinks: res.shareLinks, nextCursor: res.nextCursor };
  }

  /** `POST /share/cancel`: stops sharing up to 100 shares; one result per id. */
  async cancelShares(shareIds: string[]): Promise<CancelResult[]> {
    // Retried like a PUT (see `idempotentRequests` in the retry policy).
    const { data, earlierUnknown } = await this.send({ method: "POST", path: CANCEL_PATH, body: { shareIds }, schema: cancelResponseSchema });
    // Per-item messages are KooDrive's words, which end up in errors: redacted as the request's own messages are.
    return data.subResponseList.map((item) => {
      const msg = item.msg ?? item.message;
      return {
        shareId: item.shareId,
        code: String(item.code),
        msg: msg === undefined ? undefined : redact(msg, this.secretsOf(), this.accessCodes),
        ...(earlierUnknown ? { afterUnknownAttempt: true } : {}),
      };
    });
  }

  /** Sends `spec` until an attempt answers, fails for good, or the retry policy stops; the answer's body. */
  private async request<T extends SuccessEnvelope>(spec: RequestSpec<T>): Promise<T> {
    return (await this.send(spec)).data;
  }

  /**
   * Sends `spec` until an attempt answers, fails for good, or the retry policy stops: the answer's body, and whether
   * an attempt before the one answered may have been applied.
   */
  private async send<T extends SuccessEnvelope>(spec: RequestSpec<T>): Promise<{ data: T; earlierUnknown: boolean }> {
    const body = spec.body === undefined ? "" : JSON.stringify(spec.body);
    for (const secret of spec.bodySecrets ?? []) if (secret) this.accessCodes.add(secret);
    // When the first attempt got its turn: waiting for that turn (behind other calls in the request budget, or for
    // another request's verdict on the credentials) is not time spent being throttled, so a call queued behind many
    // others does not time out on its first 429. Every wait after it counts, the budget's included: once KooDrive
    // refuses, the budget's pauses are its doing.
    let startedAt: number | undefined;
    let history = NO_RETRIES_YET;
    // Whether a failed attempt before the last may have been applied: the last one alone cannot say what happened.
    let earlierUnknown = false;
    // The throttled answer a retry waits to repeat, while it waits.
    let throttledBy: KooDriveError | undefined;
    // A read's earlier attempts change nothing; a write's answered "not found" at last has nothing to find out.
    const withEarlier = (error: KooDriveError) =>
      earlierUnknown && !error.isNotFound && !outcomeUnknown(error as unknown) ? error.withEarlierAttemptUnknown() : error;
    for (let attempts = 1; ; attempts++) {
      // A throttled retry's waits for its turn count too (for the credentials' verdict, which a 429 does not give, and
      // in the budget): behind other throttled requests they could pass the throttle retry timeout.
      const giveUpAt = throttledBy === undefined || startedAt === undefined ? undefined : startedAt + this.policy.throttleRetryTimeoutMs;
      const turnNotReached = () => withEarlier(throttledBy!.withRetryStop(this.throttleTimeoutPassed(this.shared.budget.clock() - startedAt!)));
      // Throws when another request found the credentials rejected meanwhile.
      const admission = await this.admitBy(giveUpAt).catch((e: unknown) => {
        throw e instanceof KooDriveError ? withEarlier(e) : e;
      });
      if (admission === undefined) throw turnNotReached();
      let permit: BudgetPermit;
      try {
        permit = await this.shared.budget.acquire(
          (waitedMs, snapshot) => this.emit(waitingEvent(spec.method, spec.path, waitedMs, this.describeBudget(snapshot))),
          { retry: attempts > 1, onLongWaitOver: (waitedMs) => this.tell(() => this.onLongWaitOver?.(waitedMs)), giveUpAt },
        );
      } catch (e) {
        admission.settle({ kind: "unknown" });
        throw e instanceof TurnNotReached ? turnNotReached() : e;
      }
      // On the budget's clock, as its waits: a wall clock stepped mid-call must not stretch or cut the throttle timeout.
      startedAt ??= this.shared.budget.clock();
      let result: AttemptResult<T> | undefined;
      try {
        result = await this.attempt(spec, body, attempts);
      } finally {
        // An attempt that threw (a bug) taught nothing, and must not keep its place in the budget or the gate waiting.
        const learned = result?.learned ?? NOTHING_LEARNED;
        permit.release(learned.budget);
        admission.settle(learned.credentials);
      }
      if (result.kind === "answered") return { data: result.data, earlierUnknown };
      if (result.kind === "unrecoverable") throw withEarlier(result.error);
      const elapsedMs = this.shared.budget.clock() - startedAt;
      // On KooDrive's clock: a Retry-After date is one of its times.
      const request = `${spec.method} ${spec.path}`;
      const decision = decideRetry(this.policy, request, { ...history, elapsedMs }, result.outcome, this.shared.serverClock.now(), this.random);
      if (!decision.retry) throw withEarlier(decision.timeLimit ? result.error.withRetryStop(decision.reason) : result.error);
      earlierUnknown ||= spec.method !== "GET" && outcomeUnknown(result.error);
      this.emit(retryEvent(spec.method, spec.path, attempts, this.describeFailure(result.outcome, result.error), decision.delayMs));
      history = recordRetry(history, decision.budget, elapsedMs);
      throttledBy = decision.budget === "throttleRetries" ? result.error : undefined;
      await this.sleep(decision.delayMs);
    }
  }

  /**
   * One HTTP request of `spec` (the `attempts`th), and what its answer means: the validated body, an error no retry can
   * mend (invalid answer, KooDrive error code in a 2xx, rejected credentials), or a failure for the retry policy; with
   * what it tells the credential gate and the budget. Only the exchange itself fails as a network error: reading the
   * answer cannot throw.
   */
  private async attempt<T extends SuccessEnvelope>(spec: RequestSpec<T>, body: string, attempts: number): Promise<AttemptResult<T>> {
    // Each attempt is its own HTTP request and gets its own trace id; the error reports the last one.
    const traceId = newTraceId();
    const request: KooDriveRequestInfo = {
      method: spec.method,
      path: spec.path,
      userId: this.settings.userId,
      traceId,
      attempts,
      host: this.host,
      proxy: this.transport.proxy,
    };
    const fail: FailureOf = (kind, extra) =>
      new KooDriveError(
        {
          kind,
          status: extra.status,
          code: extra.code,
          koodriveMessage: extra.msg,
          causeCode: extra.causeCode,
          handshakeWithProxy: extra.handshakeWithProxy || undefined,
          foreignPage: extra.foreignPage || undefined,
          hint: kind === "credentials" ? credentialFixHint(this.settings.auth) : undefined,
          request,
        },
        // Needed only to word a failure, so gathered then, not for every request.
        { secrets: this.secretsOf(spec.bodySecrets), accessCodes: this.accessCodes },
      );
    const signing = this.shared.serverClock.signingTime();
    const headers = this.headersFor(spec, body, traceId, signing.time);
    let res: AxiosResponse<string>;
    try {
      res = await this.http.request<string>({ method: spec.method, url: spec.path, params: spec.query, data: body === "" ? undefined : body, headers });
    } catch (e) {
      const sent = (e as { request?: unknown }).request;
      // The agent replays only the part of a refused CONNECT's answer it had read, so axios may fail on the rest.
      const refusal = this.transport.tunnelRefusal(sent);
      if (refusal !== undefined) return this.proxyRefused(fail, refusal);
      // The whole exchange has a deadline (see `deadlineTransport`): a trickling answer must not hold the credential
      // gate, and every request waiting behind it, for ever.
      const code = this.deadline.timedOut(sent) ? "ETIMEDOUT" : networkCode(e);
      if (code === TOO_LARGE_CODE) {
        const error = fail("invalid-response", { msg: `the answer is larger than ${MAX_ANSWER_BYTES / 2 ** 20} MiB, far more than any KooDrive answer` });
        return { kind: "unrecoverable", error, learned: NOTHING_LEARNED };
      }
      const handshakeWithProxy = (CERTIFICATE_REFUSAL_CODES.includes(code) || code === NO_TLS_CODE) && this.transport.proxyHandshakeFailed(sent);
      const error = fail(code === "ECONNABORTED" || code === "ETIMEDOUT" ? "timeout" : "network", { causeCode: code, handshakeWithProxy });
      return { kind: "failed", error, outcome: { kind: "network", code }, learned: NOTHING_LEARNED };
    }
    // The proxy's own answer (a refused CONNECT; a 407, which only a proxy sends) is not KooDrive's: its Date is not
    // KooDrive's clock, and its status says nothing of the credentials or the quota.
    const refusal = this.transport.tunnelRefusal(res.request) ?? (res.status === 407 && this.transport.proxy !== undefined ? 407 : undefined);
    if (refusal !== undefined) return this.proxyRefused(fail, refusal);
    const parsed = parseJson(res.data);
    // A success accepted the signature, and so did KooDrive's "not found", which comes after authentication: its Date
    // must fit it (see `observe`).
    const accepted = (res.status >= 200 && res.status < 300) || isNotFoundAnswer(res.status, errorDetails(parsed).code);
    this.shared.serverClock.observe(headerValue(res.headers.date), undefined, accepted ? signing : undefined);
    if (res.status >= 200 && res.status < 300) {
      const learned: AttemptLearned = { credentials: { kind: "accepted" }, budget: { kind: "success" } };
      if (parsed === undefined) return { kind: "unrecoverable", error: fail("invalid-response", { status: res.status, msg: "body is not JSON" }), learned };
      // Every response schema demands the success code, so a body it accepts is no error; only a body it refuses
      // needs telling apart: a KooDrive error code inside a 2xx, or a malformed answer.
      const ok = spec.schema.safeParse(parsed);
      if (ok.success) {
        const problem = spec.answerProblem?.(ok.data);
        if (problem === undefined) this.rememberAccessCodes(ok.data);
        return problem === undefined
          ? { kind: "answered", data: ok.data, learned }
          : { kind: "unrecoverable", error: fail("invalid-response", { status: res.status, msg: problem }), learned };
      }
      const details = errorDetails(parsed);
      if (details.code !== undefined && details.code !== "0") return { kind: "unrecoverable", error: fail("api", { status: res.status, ...details }), learned };
      return { kind: "unrecoverable", error: fail("invalid-response", { status: res.status, msg: describeZodError(ok.error) }), learned };
    }
    const details = errorDetails(parsed);
    const skew = dateRejection(res.status, details.msg);
    // KooDrive and its gateway answer in JSON. A 401 or 403 that is a page instead is not taken for KooDrive refusing
    // the credentials (which would fail every later request unsent): a TLS-inspecting proxy serves its own block page
    // inside the tunnel it opened.
    const page = parsed === undefined && typeof res.data === "string" && res.data.trim() !== "";
    if (page && (res.status === 401 || res.status === 403)) {
      const error = fail("api", { status: res.status, foreignPage: true });
      return { kind: "unrecoverable", error, learned: { credentials: { kind: "unknown" }, budget: { kind: "error" } } };
    }
    if (skew === undefined && isCredentialRejection(res.status, details.msg)) {
      const rejected = fail("credentials", { status: res.status, code: details.code, msg: details.msg });
      return { kind: "unrecoverable", error: rejected, learned: { credentials: { kind: "rejected", error: rejected }, budget: { kind: "error" } } };
    }
    if (skew !== undefined) this.shared.serverClock.rejected(skew, signing.marginMs);
    const retryAfter = headerValue(res.headers["retry-after"]);
    const outcome: AttemptOutcome = skew !== undefined ? { kind: "date-rejected" } : { kind: "status", status: res.status, retryAfter };
    const error = fail("api", { status: res.status, code: details.code, msg: details.msg });
    if (this.policy.throttleStatusCodes.includes(res.status)) {
      // The shared budget pauses every request for the wait; no throttled request waits longer than the throttle
      // retry timeout, so neither does the pause (a Retry-After of a day would stall every other resource).
      const retryAfterMs = parseRetryAfter(retryAfter, this.shared.serverClock.now());
      const cappedMs = retryAfterMs === undefined ? undefined : Math.min(retryAfterMs, this.policy.throttleRetryTimeoutMs);
      return { kind: "failed", error, outcome, learned: { credentials: { kind: "unknown" }, budget: { kind: "throttled", retryAfterMs: cappedMs } } };
    }
    // "Not found" comes after authentication, so the credentials are good; other 4xx may come before it. Any answer
    // but a throttle passed the gateway's throttle and used a place of its quota.
    const credentials: CredentialVerdict = error.isNotFound ? { kind: "accepted" } : { kind: "unknown" };
    return { kind: "failed", error, outcome, learned: { credentials, budget: { kind: "error" } } };
  }

  /**
   * Admission through the credential gate, or undefined when `giveUpAt` (on the budget's clock) passes first; an
   * admission granted after that is handed straight back, so the gate does not wait for a request never sent.
   */
  private async admitBy(giveUpAt: number | undefined): Promise<CredentialAdmission | undefined> {
    const admitted = this.credentials.admit();
    if (giveUpAt === undefined) return admitted;
    let timer: NodeJS.Timeout | undefined;
    const givenUp = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), Math.max(0, giveUpAt - this.shared.budget.clock()));
    });
    const first = await Promise.race([admitted, givenUp]).finally(() => clearTimeout(timer));
    if (first === undefined)
      admitted.then(
        (late) => late.settle({ kind: "unknown" }),
        () => undefined,
      );
    return first;
  }

  /** Why a throttled retry was not sent: its turn in the request budget did not come within the throttle retry timeout. */
  private throttleTimeoutPassed(elapsedMs: number): string {
    return `not retried: throttled for ${formatSeconds(elapsedMs)}, and its turn behind the other throttled requests did not come within the throttle retry timeout of ${formatSeconds(this.policy.throttleRetryTimeoutMs)} (koodrive:throttleRetryTimeoutMs)`;
  }

  /** The proxy refused to forward an attempt, with `status`: nothing reached KooDrive, and nothing was learned of it. */
  private proxyRefused<T>(fail: FailureOf, status: number): AttemptResult<T> {
    return { kind: "failed", error: fail("proxy", { status }), outcome: { kind: "proxy-refused", status }, learned: NOTHING_LEARNED };
  }

  /**
   * What must never appear in a message: the credentials, the proxy's, and `bodySecrets` of the request; and (redacted
   * by `accessCodes`) every access code this client has sent or been answered with, or its owner knows of (an error
   * about a share may echo its code, a GET's too).
   */
  private secretsOf(bodySecrets: Array<string | undefined> = []): Array<string | undefined> {
    return [...settingsSecrets(this.settings), ...this.transport.secrets, ...bodySecrets];
  }

  /** Adds the access codes of the shares in an answer to those never printed. */
  private rememberAccessCodes(data: SuccessEnvelope): void {
    const answer = data as { shareLink?: ShareLink; shareLinks?: ShareLink[] };
    const links = answer.shareLinks ?? (answer.shareLink === undefined ? [] : [answer.shareLink]);
    for (const link of links) if (link.extractCode) this.accessCodes.add(link.extractCode);
  }

  private emit(event: KooDriveClientEvent): void {
    this.tell(() => this.onEvent(event));
  }

  /** Calls a listener: one that throws must not fail the request it was told about, nor the budget's queue. */
  private tell(listener: () => void): void {
    try {
      listener();
    } catch {
      // A failing listener must not fail the request it was told about.
    }
  }

  /** Why an attempt failed, for a retry message: status and code, or the socket error and the host. */
  private describeFailure(outcome: AttemptOutcome, error: KooDriveError): string {
    switch (outcome.kind) {
      case "date-rejected":
        return `HTTP ${error.status} (X-Date outside KooDrive's clock window; re-signing with the server's time)`;
      case "network":
        return error.kind === "timeout"
          ? `no complete answer from ${this.host} within ${this.settings.timeoutMs} ms`
          : `network error ${outcome.code} talking to ${this.host}${this.transport.proxy === undefined ? "" : ` through proxy ${this.transport.proxy}`}`;
      case "status":
        return `HTTP ${outcome.status}${error.code === undefined ? "" : ` ${error.code}`}${this.policy.throttleStatusCodes.includes(outcome.status) ? " (throttled)" : ""}`;
      case "proxy-refused":
        return `HTTP ${outcome.status} from proxy ${this.transport.proxy}, which did not forward the request to ${this.host}`;
    }
  }

  private describeBudget(snapshot: BudgetSnapshot): string {
    const rate = snapshot.requestsPerSecond === undefined ? "" : ` and ${Number(snapshot.requestsPerSecond.toPrecision(2))} requests/s`;
    const quota =
      snapshot.learnedQuota === undefined
        ? ""
        : ` and ${snapshot.learnedQuota} starts per ${formatSeconds(snapshot.quotaWindowMs)} (learned from KooDrive's 429s)`;
    const pause = snapshot.pausedForMs > 0 ? `; KooDrive asked to wait ${formatSeconds(snapshot.pausedForMs)} more` : "";
    return `the request budget for ${this.host} allows ${snapshot.concurrency} in flight${rate}${quota} (${snapshot.inFlight} in flight, ${snapshot.queued} queued)${pause}`;
  }

  private headersFor(
    spec: Pick<RequestSpec<SuccessEnvelope>, "method" | "path" | "query">,
    body: string,
    traceId: string,
    signedAt: Date,
  ): Record<string, string> {
    const identity = identityHeaders(this.settings.userId, this.settings.agentName, traceId, signedAt);
    // Object.assign, not object spread: spreading these hyphenated keys cost about 5 µs per request (Node 20/22),
    // a tenth of all the client's own work.
    const headers: Record<string, string> = Object.assign({}, this.constantHeaders, identity);
    if (body !== "") headers["Content-Type"] = "application/json";
    const auth = this.settings.auth;
    // A token's Authorization is among the constant headers; an app signature covers this request's date and body.
    if (auth.kind === "app") {
      headers.Authorization = appAuthorization(
        {
          method: spec.method,
          path: spec.path,
          query: spec.query,
          body,
          headers: { host: this.host, "x-date": identity["X-Date"], "x-user-id": identity["X-User-Id"] },
        },
        auth.appId,
        auth.appSecret,
      );
    }
    return headers;
  }
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

/** What `networkCode` calls an answer cut off at {@link MAX_ANSWER_BYTES}. */
const TOO_LARGE_CODE = "ERR_ANSWER_TOO_LARGE";

/**
 * What a share shows that a create of `body` cannot have made: each identifying field it states that differs from
 * what was sent (a field it leaves out cannot tell). Empty for the share the create made; for a create's answer,
 * anything else is an answer about another share. Not the message: free text a server may normalise (escaping,
 * trimming), which would turn every create into a search for its own share.
 */
export function createContradictions(link: ShareLink, body: CreateShareBody): string[] {
  const differs: string[] = [];
  if (link.containerId !== undefined && link.containerId !== body.containerId) differs.push("containerId");
  if (link.scope !== undefined && link.scope !== body.scope) differs.push("scope");
  if (body.extractCode !== undefined && link.extractCode !== undefined && link.extractCode !== body.extractCode) differs.push("extractCode");
  const files = fileIdsOf(link);
  if (files !== undefined && !sameFileSet(files, body.fileIds)) differs.push("files");
  return differs;
}

/** The share an answer is about must be the one asked about: another's settings would be recorded as this one's. */
function aboutShare(shareId: string): (data: { shareLink: ShareLink }) => string | undefined {
  return (data) => (data.shareLink.shareId === shareId ? undefined : `the answer is about share ${data.shareLink.shareId}, not ${shareId}`);
}

function networkCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = String((error as { message?: unknown }).message);
  // axios reports a connection closed in the middle of the answer's body by its own code; it is a reset after sending.
  if (code === "ERR_BAD_RESPONSE" && /stream has been aborted/.test(message)) return "ECONNRESET";
  if (code === "ERR_BAD_RESPONSE" && /maxContentLength/.test(message)) return TOO_LARGE_CODE;
  // Node names no code for a certificate signed with a digest OpenSSL refuses (SHA-1); OpenSSL's own name says it.
  if (code === "UNSPECIFIED" && /digest algorithm too weak|md too weak/i.test(message)) return "CA_MD_TOO_WEAK";
  // Node reports OpenSSL's "wrong version number" (plain http where TLS was expected) as EPROTO, or by its own name.
  if (code === "EPROTO" && /wrong version number/i.test(message)) return NO_TLS_CODE;
  return typeof code === "string" ? code : "UNKNOWN";
}

/**
 * The rule first, then where: `extractCode: Invalid input` reads to the redactor as a labelled access code, and the
 * message lost its word.
 */
function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.message} at ${i.path.join(".") || "the body"}`).join("; ");
}
