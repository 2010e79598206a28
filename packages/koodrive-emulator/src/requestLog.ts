import { isObject } from "./bodyRules";
import { parseAppAuthorization } from "./requestAuth";

/** One request as the emulator received it, credentials and (by default) access codes redacted. */
export interface LoggedRequest {
  /** Sequence number since start. */
  seq: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-case header names; `authorization` keeps its scheme (and for app auth AppId and SignedHeaders), never the
   *  token or signature. */
  headers: Record<string, string>;
  /** Parsed JSON body of an authenticated request (access codes redacted unless `logAccessCodes`); undefined for an
   *  empty body, a rejected request (never kept: it could be anyone's 1 MiB) or a body over the log's body limit. */
  body?: unknown;
  /** Size of the request body in bytes. */
  bodyBytes: number;
  /** HTTP status answered (0 when the connection was dropped without an answer). */
  status: number;
  /** Milliseconds from the end of the request to the answer. */
  ms?: number;
  /** Fault injected into this request, if any: a pre-apply fault (`reset`, `malformed`, `status 503`, `throttle`) or
   *  an after-apply one (`dropAfterApply`, `truncateAfterApply`, `failAfterApply`, `delayAfterApply`). */
  fault?: string;
  /** True when the request changed the emulator's state (a write answered 200 before any after-apply fault); false
   *  when a change was made and then rolled back because the state file could not be written (answered 500). */
  applied?: boolean;
  /** Why the emulator itself failed this request (e.g. the state file could not be written); also printed to stderr. */
  error?: string;
  /** Authentication scheme that succeeded. */
  auth?: "token" | "app";
}

export const REDACTED = "[REDACTED]";

/**
 * What the log keeps of an `Authorization` value. App auth: the scheme, AppId and SignedHeaders, re-serialised from the
 * parsed fields, and `Signature=[REDACTED]` (never the signature), or the scheme and "[REDACTED]" when the value is not in the documented form.
 * Token auth: the `Bearer` prefix only.
 */
export function redactAuthorization(value: string): string {
  if (/^HMAC-SHA256/i.test(value)) {
    const parsed = parseAppAuthorization(value);
    return parsed.ok
      ? `HMAC-SHA256 AppId=${parsed.appId},SignedHeaders=${parsed.signedHeaders},Signature=${REDACTED}`
      : `${value.slice(0, "HMAC-SHA256".length)} ${REDACTED}`;
  }
  const scheme = /^Bearer[+ ]/i.exec(value)?.[0] ?? "";
  return `${scheme}${REDACTED}`;
}

/**
 * A field that holds an access code, in any spelling a client might send it (the API's is `extractCode`): any case,
 * snake, kebab or spaced (`extract_code`, `Extract-Code`).
 */
const isAccessCodeKey = (key: string) => key.toLowerCase().replace(/[\s_-]/g, "") === "extractcode";

/**
 * The body with every access code replaced, at any depth and in any key spelling: a client that nests one or
 * misspells the key still sent it, and the log never shows an access code in plain text. (Bodies are nested at most
 * 1,000 levels: the transport refuses deeper ones.)
 */
export function redactAccessCode(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(redactAccessCode);
  if (!isObject(body)) return body;
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, isAccessCodeKey(key) ? REDACTED : redactAccessCode(value)]));
}

/** The query with access codes replaced, for a client that misplaces one there. */
export function redactQuery(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).map(([key, value]) => [key, isAccessCodeKey(key) ? REDACTED : value]));
}

/**
 * A body as JSON text; undefined when it cannot be serialised (the transport refuses bodies nested past its limit, so
 * this only guards the log, whose answers must stay serialisable, against other callers of `add`).
 */
function jsonText(body: unknown): string | undefined {
  try {
    return JSON.stringify(body);
  } catch {
    return undefined;
  }
}

/** Limits of the request log. */
export interface RequestLogLimits {
  /** Entries kept (oldest dropped first); default 10,000. */
  maxEntries?: number;
  /** Total bytes of retained entries (as JSON); default 16 MiB. */
  maxBytes?: number;
  /** A body larger than this (as JSON) is not kept, only its size; default 64 KiB. */
  maxBodyBytes?: number;
}

const DEFAULT_LOG_LIMITS: Required<RequestLogLimits> = { maxEntries: 10_000, maxBytes: 16 * 1024 * 1024, maxBodyBytes: 64 * 1024 };

/** One retained request: the body as JSON text, which costs what it counts (parsed, `[{},{},…]` costs 35 times more). */
interface Retained {
  readonly entry: LoggedRequest;
  readonly bodyText?: string;
  readonly bytes: number;
}

/** Request log bounded by entries and by bytes, so long runs, floods and benchmarks do not grow memory. */
export class RequestLog {
  /** Dropped entries' slots hold undefined until the next compaction, so that nothing keeps them. */
  private entries: Array<Retained | undefined> = [];
  private head = 0;
  private bytes = 0;
  private seq = 0;
  private readonly limits: Required<RequestLogLimits>;

  constructor(limits: RequestLogLimits = {}) {
    this.limits = { ...DEFAULT_LOG_LIMITS, ...Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) };
  }

  /** Records a request; returns the stored entry. */
  add(entry: Omit<LoggedRequest, "seq">): LoggedRequest {
    const stored: LoggedRequest = { seq: ++this.seq, ...entry };
    const text = stored.body === undefined ? undefined : jsonText(stored.body);
    const bodyText = text !== undefined && text.length <= this.limits.maxBodyBytes ? text : undefined;
    if (bodyText === undefined) delete stored.body;
    const { body: _parsed, ...kept } = stored;
    // JSON size of the entry without serialising it all again: headers and body dominate.
    let size = 200 + (bodyText?.length ?? 0) + stored.path.length;
    for (const [k, v] of Object.entries(stored.headers)) size += k.length + v.length + 6;
    for (const [k, v] of Object.entries(stored.query)) size += k.length + v.length + 6;
    this.entries.push({ entry: kept, bodyText, bytes: size });
    this.bytes += size;
    while (this.entries.length - this.head > this.limits.maxEntries || (this.bytes > this.limits.maxBytes && this.entries.length - this.head > 1)) {
      this.bytes -= this.entries[this.head]!.bytes;
      this.entries[this.head] = undefined;
      this.head += 1;
    }
    // Compact now and then instead of shifting the array on every add.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return stored;
  }

  /** All retained entries, oldest first. */
  all(): LoggedRequest[] {
    return this.entries.slice(this.head).map((e) => (e!.bodyText === undefined ? e!.entry : { ...e!.entry, body: JSON.parse(e!.bodyText) }));
  }

  /** All retained entries, oldest first, as JSON text: {@link all}'s, without parsing the bodies. */
  json(): string {
    const entries = this.entries.slice(this.head).map((e) => {
      const text = JSON.stringify(e!.entry);
      return e!.bodyText === undefined ? text : `${text.slice(0, -1)},"body":${e!.bodyText}}`;
    });
    return `[${entries.join(",")}]`;
  }

  /** Approximate bytes held. */
  get retainedBytes(): number {
    return this.bytes;
  }

  /** Forgets every entry (the sequence keeps counting). */
  clear(): void {
    this.entries = [];
    this.head = 0;
    this.bytes = 0;
  }
}
