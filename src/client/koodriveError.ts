import { type AccessCodes, redact } from "./redact";
import { CERTIFICATE_REFUSAL_CODES, NO_TLS_CODE, neverSent } from "./retryPolicy";

/** KooDrive's "resource not found" code; for a share: it does not exist, or it is not the acting user's. */
export const NOT_FOUND_CODE = "13000309";

/**
 * The statuses a "not found" answer comes with: KooDrive's business failures are HTTP 400 (some pages answer 200 with
 * the code), and a gateway may say 404. The same code with any other status (a 5xx, a 429) is no final answer: taken
 * for "share gone", it would drop a resource from state, and a `KooDriveShare` would be created again.
 */
function notFoundStatus(status: number | undefined): boolean {
  return status !== undefined && ((status >= 200 && status < 300) || status === 400 || status === 404);
}

/** Whether an answer is KooDrive's final "not found": its code with a status that means it (see `notFoundStatus`). */
export function isNotFoundAnswer(status: number | undefined, code: string | undefined): boolean {
  return code === NOT_FOUND_CODE && notFoundStatus(status);
}

/** How a KooDrive call failed. */
export type KooDriveErrorKind =
  /** KooDrive answered with an error status or a non-zero `code`. */
  | "api"
  /** No usable answer: connection refused or reset, DNS failure. */
  | "network"
  /** No answer within the per-request timeout. */
  | "timeout"
  /** A 2xx answer whose body is not the documented shape. */
  | "invalid-response"
  /** KooDrive rejected the credentials; later operations with them fail with the same error, sending nothing. */
  | "credentials"
  /** The proxy refused to forward the request (its own answer, with `status`): nothing reached KooDrive. */
  | "proxy";

/** The request a {@link KooDriveError} is about; never carries headers or body. */
export interface KooDriveRequestInfo {
  readonly method: string;
  readonly path: string;
  /** The acting user (`X-User-Id`): a program or stack may act as several. */
  readonly userId?: string;
  /** `X-Traceid` of the last attempt, for correlation with KooDrive's logs. */
  readonly traceId: string;
  /** Attempts made, retries included. */
  readonly attempts: number;
  /** `host:port` of the endpoint, named in connection errors. */
  readonly host?: string;
  /** The proxy the request went through, without credentials. */
  readonly proxy?: string;
}

/** Fields of a {@link KooDriveError}; KooDrive's message is redacted by the error itself. */
export interface KooDriveErrorDetails {
  readonly kind: KooDriveErrorKind;
  readonly request: KooDriveRequestInfo;
  readonly status?: number;
  readonly code?: string;
  readonly koodriveMessage?: string;
  /** Low-level cause (e.g. `ECONNRESET`), never an axios error object: those carry request headers. */
  readonly causeCode?: string;
  /** What the user should change, e.g. which setting holds a rejected credential (names settings, never values). */
  readonly hint?: string;
  /** Why a retryable failure was not retried (again): a time limit on waiting for KooDrive. */
  readonly retryStop?: string;
  /** A failed TLS handshake (a refused certificate, no TLS at all) was with an https proxy, not with the endpoint. */
  readonly handshakeWithProxy?: boolean;
  /** The answer was a page, not JSON as KooDrive's and its gateway's are: someone between may have sent it. */
  readonly foreignPage?: boolean;
  /**
   * An earlier attempt of this operation may have been applied (its answer was lost), whatever this last one shows:
   * a write that then failed unsent (a proxy's refusal, a refused connection) is still of unknown outcome.
   */
  readonly earlierAttemptUnknown?: boolean;
  /** Whether the answer was KooDrive's final "not found" (see {@link KooDriveError.isNotFound}); derived when absent. */
  readonly notFound?: boolean;
}

/**
 * The one error type of the KooDrive client. It carries the HTTP status, KooDrive's `code` and `msg`, and the
 * method, path and trace id of the request. It redacts KooDrive's message itself (the credentials and access codes
 * it is given, and anything shaped like a bearer token or a signature), and it holds no reference to the request's
 * headers, so logging or serializing it is safe.
 */
export class KooDriveError extends Error {
  override readonly name = "KooDriveError";
  /** See {@link KooDriveErrorKind}. */
  readonly kind: KooDriveErrorKind;
  /** HTTP status, when KooDrive answered. */
  readonly status?: number;
  /** KooDrive's `code` as a string (it arrives as a number or a string), e.g. `"13000309"`. */
  readonly code?: string;
  /** KooDrive's `msg`, redacted. */
  readonly koodriveMessage?: string;
  /** Socket-level cause code, for network errors. */
  readonly causeCode?: string;
  /** The request, without headers or body. */
  readonly request: KooDriveRequestInfo;
  /** What the user should change, when the error says. */
  readonly hint?: string;
  /** An earlier attempt of the operation may have been applied (see {@link KooDriveErrorDetails}). */
  readonly earlierAttemptUnknown: boolean;
  private readonly details: KooDriveErrorDetails;

  /**
   * @param details What happened; `koodriveMessage` as KooDrive sent it.
   * @param options.secrets Values that must not appear in the message: the credentials and the request's access code.
   */
  constructor(details: KooDriveErrorDetails, { secrets = [], accessCodes }: { secrets?: ReadonlyArray<string | undefined>; accessCodes?: AccessCodes } = {}) {
    // KooDrive's code too: it is printed with the message, and a gateway's `error_code` is free text like it. Whether
    // it means "not found" is decided on the code as sent (an access code may be 13000309) and kept with the details.
    const redacted = {
      ...details,
      notFound: details.notFound ?? (details.kind === "api" && isNotFoundAnswer(details.status, details.code)),
      koodriveMessage: details.koodriveMessage === undefined ? undefined : redact(details.koodriveMessage, secrets, accessCodes),
      code: details.code === undefined ? undefined : redact(details.code, secrets, accessCodes),
    };
    super(KooDriveError.describe(redacted));
    this.details = redacted;
    this.hint = details.hint;
    this.kind = details.kind;
    this.status = details.status;
    this.code = redacted.code;
    this.koodriveMessage = redacted.koodriveMessage;
    this.causeCode = details.causeCode;
    this.request = details.request;
    this.earlierAttemptUnknown = details.earlierAttemptUnknown === true;
  }

  /**
   * True for KooDrive's "resource not found" (`13000309`) as a final answer (see `notFoundStatus`), which the provider
   * treats as "share gone".
   */
  get isNotFound(): boolean {
    return this.details.notFound === true;
  }

  /** True when KooDrive rejected the credentials (see {@link KooDriveErrorKind}). */
  get isCredentialRejection(): boolean {
    return this.kind === "credentials";
  }

  /** This error, saying why it was not retried (again). */
  withRetryStop(reason: string): KooDriveError {
    return new KooDriveError({ ...this.details, retryStop: reason });
  }

  /** This error, for an operation an earlier attempt of which may have been applied (see `outcomeUnknown`). */
  withEarlierAttemptUnknown(): KooDriveError {
    return new KooDriveError({ ...this.details, earlierAttemptUnknown: true });
  }

  /** The same error again (same message, same first request), for an operation that failed without sending. */
  repeated(): KooDriveError {
    return new KooDriveError(this.details);
  }

  /** A plain object for structured logs. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      status: this.status,
      code: this.code,
      koodriveMessage: this.koodriveMessage,
      causeCode: this.causeCode,
      hint: this.hint,
      earlierAttemptUnknown: this.earlierAttemptUnknown || undefined,
      handshakeWithProxy: this.details.handshakeWithProxy,
      foreignPage: this.details.foreignPage,
      request: this.request,
    };
  }

  private static describe(d: KooDriveErrorDetails): string {
    const what = `KooDrive ${d.request.method} ${d.request.path}${d.request.userId === undefined ? "" : ` as user ${d.request.userId}`}`;
    const earlier = d.earlierAttemptUnknown ? "; an earlier attempt's outcome is unknown" : "";
    const attempts = `${d.request.attempts} attempt${d.request.attempts === 1 ? "" : "s"}, trace id ${d.request.traceId}${d.retryStop ? `; ${d.retryStop}` : ""}${earlier}`;
    switch (d.kind) {
      case "api":
        return `${what} failed with ${KooDriveError.answer(d)} (${attempts})${notKooDrivesRefusal(d)}`;
      case "network": {
        const hint = certificateHint(d) ?? noTlsHint(d) ?? unresolvedHint(d);
        return `${what} failed: network error ${d.causeCode ?? "unknown"}${KooDriveError.where(d.request)} (${attempts})${hint ? `: ${hint}` : ""}`;
      }
      case "timeout":
        return `${what} timed out${KooDriveError.where(d.request)} (${attempts})`;
      case "credentials":
        // No path or trace id: every operation failing on these credentials shows this one text.
        return `KooDrive rejected the credentials${d.request.userId === undefined ? "" : ` for user ${d.request.userId}`} (${KooDriveError.answer(d)}). ${d.hint ?? ""}`.trim();
      case "proxy":
        return `${what} failed: proxy ${d.request.proxy ?? "(unknown)"} refused to forward it to ${d.request.host ?? "KooDrive"} with HTTP ${d.status ?? "?"} (${attempts}): ${proxyHint(d)}`;
      case "invalid-response":
        return `${what} returned an unexpected response${d.koodriveMessage ? `: ${d.koodriveMessage}` : ""} (${attempts})`;
    }
  }

  /** `HTTP 401, code 13000104: Unauthorized: …` */
  private static answer(d: KooDriveErrorDetails): string {
    return `HTTP ${d.status ?? "?"}${d.code !== undefined ? `, code ${d.code}` : ""}${d.koodriveMessage ? `: ${d.koodriveMessage}` : ""}`;
  }

  private static where(request: KooDriveRequestInfo): string {
    if (request.host === undefined) return "";
    return request.proxy === undefined ? ` talking to ${request.host}` : ` talking to ${request.host} through proxy ${request.proxy}`;
  }
}

/** What to do when the other end answered a TLS handshake with something else (plain http, most likely). */
function noTlsHint(d: KooDriveErrorDetails): string | undefined {
  if (d.causeCode !== NO_TLS_CODE) return undefined;
  return d.handshakeWithProxy
    ? `the proxy ${d.request.proxy ?? ""} did not answer in TLS: if it is a plain http proxy, write its URL with http://. Nothing was sent`
    : `${d.request.host ?? "the endpoint"} did not answer in TLS: if it serves plain http (an emulator started without --tls-cert, say), write koodrive:endpoint with http://. Nothing was sent`;
}

/**
 * What to do about a host name that does not resolve. Through a proxy, only the proxy's name is looked up here (the
 * proxy resolves KooDrive's), so that is the one to check.
 */
function unresolvedHint(d: KooDriveErrorDetails): string | undefined {
  if (d.causeCode !== "ENOTFOUND") return undefined;
  return d.request.proxy === undefined
    ? `the host name of ${d.request.host ?? "the endpoint"} does not resolve: check koodrive:endpoint, or this machine's DNS. Nothing was sent`
    : `the proxy's host name (${d.request.proxy}) does not resolve: check the proxy URL (koodrive:proxy, or HTTPS_PROXY / ALL_PROXY), or this machine's DNS. Nothing was sent`;
}

/**
 * For a 401 or 403 that is a page, not JSON as KooDrive's and its gateway's answers are: who else may have answered.
 * A TLS-inspecting proxy opens the tunnel, then serves its own block page inside it.
 */
function notKooDrivesRefusal(d: KooDriveErrorDetails): string {
  if (!d.foreignPage) return "";
  return `: the answer is a page, not KooDrive's JSON, so it may not be KooDrive's: a proxy between this machine and ${d.request.host ?? "KooDrive"} (a TLS-inspecting one answers inside the tunnel) may have refused the request; if it is KooDrive's, check the credentials`;
}

/** What a proxy's refusal means, and what to do about it. */
function proxyHint(d: KooDriveErrorDetails): string {
  const host = d.request.host ?? "KooDrive";
  if (d.status === 407)
    return "the proxy asks for credentials: give them in the proxy URL (http://user:password@proxy:port, in koodrive:proxy or HTTPS_PROXY), or correct them. Not retried";
  if (d.status !== undefined && d.status >= 500) return `the proxy could not reach ${host} (its DNS or network, or KooDrive, may be down)`;
  return `the proxy does not let this machine reach ${host}: have ${host} allowed there, or bypass the proxy (NO_PROXY, or koodrive:proxy "none") if KooDrive can be reached without it. Not retried`;
}

/**
 * What to do about a certificate this machine refused, or undefined for any other network error. With a proxy, the
 * certificate may be the proxy's own (a TLS-inspecting one re-signs every site): the same fix applies.
 */
function certificateHint(d: KooDriveErrorDetails): string | undefined {
  const code = d.causeCode;
  if (code === undefined || !CERTIFICATE_REFUSAL_CODES.includes(code)) return undefined;
  const { host, proxy } = d.request;
  const presented = d.handshakeWithProxy
    ? `the certificate presented by proxy ${proxy ?? "(unknown)"}`
    : `the certificate presented for ${host ?? "KooDrive"}${proxy === undefined ? "" : " (through the proxy)"}`;
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID")
    return `${presented} is outside its validity period by this machine's clock: check the clock, or that certificate. Not retried`;
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID" || code === "ERR_TLS_CERT_ALTNAME_FORMAT")
    return `${presented} is for another host name: check ${d.handshakeWithProxy ? "the proxy URL" : "koodrive:endpoint"}. Not retried`;
  if (code === "INVALID_PURPOSE" || code === "CERT_CHAIN_TOO_LONG" || code === "PATH_LENGTH_EXCEEDED")
    return `${presented} breaks the rules for a server certificate (its purpose, or the length of its chain): it must be reissued (for a TLS-inspecting proxy, by its administrators). Not retried`;
  if (code === "CA_MD_TOO_WEAK")
    return `${presented} is signed with a digest this machine's OpenSSL refuses as too weak (SHA-1, say): its certificate authority (often a TLS-inspecting proxy's) must sign with SHA-256 or better. Not retried`;
  return (
    `${presented} is not signed by a certificate authority this machine trusts. Behind a TLS-inspecting proxy, or for an ` +
    "endpoint with a private certificate authority, add that authority's certificate to Node's trust store: " +
    "NODE_EXTRA_CA_CERTS=/path/to/ca.pem in the environment of `pulumi`. Not retried"
  );
}

/**
 * Whether a failed write may have been applied all the same, so that its effect must be read back before it is sent
 * again or reported: no usable answer after sending (a timeout, a reset, a truncated or unparsable 2xx body) or a
 * 5xx after the retries, or after an earlier attempt's such answer. A request that never left (no connection, no
 * name, no TLS, a refused certificate: `neverSent`) sent nothing, and every other answer says what
 * happened.
 */
export function outcomeUnknown(error: unknown): error is KooDriveError {
  if (!(error instanceof KooDriveError)) return false;
  if (error.earlierAttemptUnknown) return true;
  if (error.kind === "timeout" || error.kind === "invalid-response") return true;
  if (error.kind === "network") return !neverSent(error.causeCode);
  return error.kind === "api" && (error.status ?? 0) >= 500;
}
