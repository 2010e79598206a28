/**
 * What the client reports while an operation is slow, so a user watching "creating (16s)" learns why. Messages
 * name the method and path (which holds the shareId), never a header, body or credential.
 */
export type KooDriveClientEvent =
  /** An attempt failed and will be retried after `delayMs`. */
  | { kind: "retry"; method: string; path: string; attempt: number; reason: string; delayMs: number; message: string }
  /** A request has been waiting for the endpoint's request budget for `waitedMs` and still is. */
  | { kind: "waiting"; method: string; path: string; waitedMs: number; reason: string; message: string };

/** Receives client events; must not throw. */
export type KooDriveClientEventListener = (event: KooDriveClientEvent) => void;

/** A duration for every message the client writes: `1.3 s`, `1 s`, `300 s`; under 0.1 s in milliseconds (`40 ms`), not `0 s`. */
export function formatSeconds(ms: number): string {
  return ms > 0 && ms < 100 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** The retry event for failed attempt number `attempt`. */
export function retryEvent(method: string, path: string, attempt: number, reason: string, delayMs: number): KooDriveClientEvent {
  return {
    kind: "retry",
    method,
    path,
    attempt,
    reason,
    delayMs,
    message: `KooDrive ${method} ${path} got ${reason} on attempt ${attempt}; retrying in ${formatSeconds(delayMs)}`,
  };
}

/** The event for a request still queued after `waitedMs`. */
export function waitingEvent(method: string, path: string, waitedMs: number, reason: string): KooDriveClientEvent {
  return { kind: "waiting", method, path, waitedMs, reason, message: `KooDrive ${method} ${path} has waited ${formatSeconds(waitedMs)} to be sent: ${reason}` };
}
