/** How a KooDrive call failed. */
export type KooDriveErrorKind =
  /** KooDrive answered with an error status or a non-zero `code`. */
  | "api"
  /** No usable answer: connection refused or reset, DNS failure. */
  | "network"
  /** No answer within the per-request timeout. */
  | "timeout"
  /** A 2xx answer whose body is not the documented shape. */
  | "invalid-response";

/** The request a {@link KooDriveError} is about; never carries headers or body. */
export interface KooDriveRequestInfo {
  readonly method: string;
  readonly path: string;
  /** `X-Traceid` of the last attempt, for correlation with KooDrive's logs. */
  readonly traceId: string;
  /** Attempts made, retries included. */
  readonly attempts: number;
}

/** Fields of a {@link KooDriveError}; texts must already be redacted by whoever builds it. */
export interface KooDriveErrorDetails {
  readonly kind: KooDriveErrorKind;
  readonly request: KooDriveRequestInfo;
  readonly status?: number;
  readonly code?: string;
  readonly koodriveMessage?: string;
  /** Low-level cause (e.g. `ECONNRESET`), never an axios error object: those carry request headers. */
  readonly causeCode?: string;
}

/**
 * The one error type of the KooDrive client. It carries the HTTP status, KooDrive's `code` and `msg`, and the
 * method, path and trace id of the request. Credentials and access codes are redacted before they reach it, and it
 * holds no reference to the request's headers, so logging or serializing it is safe.
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

  constructor(details: KooDriveErrorDetails) {
    super(KooDriveError.describe(details));
    this.kind = details.kind;
    this.status = details.status;
    this.code = details.code;
    this.koodriveMessage = details.koodriveMessage;
    this.causeCode = details.causeCode;
    this.request = details.request;
  }

  /** True for KooDrive's "resource not found" (`13000309`), which the provider treats as "share gone". */
  get isNotFound(): boolean {
    return this.code === "13000309";
  }

  /** A plain object for structured logs. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, kind: this.kind, status: this.status, code: this.code, koodriveMessage: this.koodriveMessage, causeCode: this.causeCode, request: this.request };
  }

  private static describe(d: KooDriveErrorDetails): string {
    const what = `KooDrive ${d.request.method} ${d.request.path}`;
    const attempts = `${d.request.attempts} attempt${d.request.attempts === 1 ? "" : "s"}, trace id ${d.request.traceId}`;
    switch (d.kind) {
      case "api": {
        const code = d.code !== undefined ? `, code ${d.code}` : "";
        const msg = d.koodriveMessage ? `: ${d.koodriveMessage}` : "";
        return `${what} failed with HTTP ${d.status ?? "?"}${code}${msg} (${attempts})`;
      }
      case "network":
        return `${what} failed: network error ${d.causeCode ?? "unknown"} (${attempts})`;
      case "timeout":
        return `${what} timed out (${attempts})`;
      case "invalid-response":
        return `${what} returned an unexpected response${d.koodriveMessage ? `: ${d.koodriveMessage}` : ""} (${attempts})`;
    }
  }
}
