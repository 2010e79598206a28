import type { KooDriveError } from "./koodriveError";

/**
 * Whether an error answer means "these credentials are wrong or expired" (not the clock, see `serverClock.ts`):
 * HTTP 401 and 403, or a 400 that KooDrive words as an authentication failure (bad signature, unknown app id).
 */
export function isCredentialRejection(status: number | undefined, message: string | undefined): boolean {
  if (status === 401 || status === 403) return true;
  return status === 400 && message !== undefined && /authenticat|signature|appid|unauthori[sz]ed/i.test(message);
}

/** What one admitted request proved about the credentials. */
export type CredentialVerdict = { kind: "accepted" } | { kind: "rejected"; error: KooDriveError } | { kind: "unknown" };

/** A request let through the gate; `settle` exactly once with what its answer proved. */
export interface CredentialAdmission {
  settle(verdict: CredentialVerdict): void;
}

/**
 * One bad credential, one request. Until some answer proves the credentials good, requests with them go one at a
 * time; after a rejection, every later request fails at once with the same error, and nothing more is sent. One gate
 * per set of connection settings in a process.
 */
export class CredentialGate {
  private accepted = false;
  private rejection: KooDriveError | undefined;
  private probe: Promise<void> | undefined;

  /** Waits until a request may be sent; throws the first rejection's error once credentials were rejected. */
  async admit(): Promise<CredentialAdmission> {
    for (;;) {
      if (this.rejection !== undefined) throw this.rejection.repeated();
      if (this.accepted) return { settle: (verdict) => this.record(verdict) };
      if (this.probe === undefined) return this.startProbe();
      await this.probe;
    }
  }

  /** The one request in flight while the credentials are unproven; the others wait for its verdict. */
  private startProbe(): CredentialAdmission {
    let finish!: () => void;
    this.probe = new Promise((resolve) => (finish = resolve));
    let settled = false;
    return {
      settle: (verdict) => {
        if (settled) return;
        settled = true;
        this.record(verdict);
        this.probe = undefined;
        finish();
      },
    };
  }

  /** Applies a verdict. A rejection after earlier acceptance (a token expiring mid-run) closes the gate too. */
  private record(verdict: CredentialVerdict): void {
    if (verdict.kind === "accepted" && this.rejection === undefined) this.accepted = true;
    if (verdict.kind === "rejected" && this.rejection === undefined) {
      this.rejection = verdict.error;
      this.accepted = false;
    }
  }
}
