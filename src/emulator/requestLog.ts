/** One request as the emulator received it, credentials redacted. */
export interface LoggedRequest {
  /** Sequence number since start. */
  seq: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-case header names; `authorization` keeps its scheme and AppId but not the token or signature. */
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when it is not JSON; undefined when empty. */
  body?: unknown;
  /** HTTP status answered (0 when the connection was reset). */
  status: number;
  /** Fault injected into this request, if any. */
  fault?: string;
  /** True when the request changed the emulator's state (a write answered 200 before any after-apply fault). */
  applied?: boolean;
  /** Authentication scheme that succeeded. */
  auth?: "token" | "app";
}

/** Redacts the credential part of an `Authorization` value. */
export function redactAuthorization(value: string): string {
  if (value.startsWith("HMAC-SHA256 ")) return value.replace(/Signature=[^,\s]*/, "Signature=[REDACTED]");
  const scheme = /^Bearer[+ ]/i.exec(value)?.[0] ?? "";
  return `${scheme}[REDACTED]`;
}

/** Bounded request log (oldest entries are dropped), so long runs and benchmarks do not grow memory. */
export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  constructor(private readonly limit: number = 10_000) {}

  /** Records a request; returns the stored entry. */
  add(entry: Omit<LoggedRequest, "seq">): LoggedRequest {
    const stored = { seq: ++this.seq, ...entry };
    this.entries.push(stored);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return stored;
  }

  /** All retained entries, oldest first. */
  all(): LoggedRequest[] {
    return [...this.entries];
  }

  /** Forgets every entry (the sequence keeps counting). */
  clear(): void {
    this.entries = [];
  }
}
