import { definedFields } from "../client/definedFields";
import type { KooDriveClient, UpdateShareBody } from "../client/koodriveClient";
import type { Props } from "./handler";
import { type KooDriveError, outcomeUnknown } from "../client/koodriveError";
import type { ShareLink } from "../client/shareLink";
import { expiryFitsNoValidityWrite, expiryFitsWrite, parseKooDriveTime } from "../time/koodriveTime";
import type { KooDriveEdition } from "../client/connectionSettings";
import { findShare, orNotFound, shareNotFound } from "./findShare";
import type { ProviderContext } from "./context";

/** Whether `live` shows the effect of PUT `body` sent at `sentAtMs`, read back at `nowMs` (both on KooDrive's clock, within the clock tolerance). */
function showsApplied(live: ShareLink, body: UpdateShareBody, sentAtMs: number, nowMs: number, edition: KooDriveEdition): boolean {
  if (body.extractCode !== undefined && live.extractCode !== body.extractCode) return false;
  if (body.comment !== undefined && (live.comment ?? "") !== body.comment) return false;
  const expiry = parseKooDriveTime(live.expireTime);
  if (body.validDays === 0) return expiryFitsNoValidityWrite(expiry, edition);
  // Exact arithmetic only: under a rounding KooDrive a landed PUT is sent again (idempotent), whereas a rounding slack
  // would count a lost PUT that shortens the validity by a day as applied, and the link would stay open a day longer.
  return expiry.kind === "time" && expiryFitsWrite(expiry.ms, body.validDays, sentAtMs, nowMs, 0);
}

/** The PUT body for declared settings: `validDays` always, the optional settings when the resource manages them. */
export function settingsBody(inputs: Props): UpdateShareBody {
  const body: UpdateShareBody = { validDays: Number(inputs.validDays) };
  if (inputs.extractCode !== undefined) body.extractCode = String(inputs.extractCode);
  if (inputs.comment !== undefined) body.comment = String(inputs.comment);
  return body;
}

/**
 * A read-back after a lost write showed the share written by someone else since (`what` changed), and the caller's
 * `beforeResend` refused to write over it: nothing was sent again.
 */
export class ResendRefused extends Error {
  constructor(
    readonly shareId: string,
    readonly what: string,
  ) {
    super(`KooDrive share ${shareId}: the write's answer was lost, and the share, read back, was changed since by another writer (${what}): not sent again`);
  }
}

/**
 * PUT the declared settings of `inputs` to `shareId` as `owner`, through {@link applySettings}; a share that is missing
 * or not the owner's fails naming both, and `consequence` (what the user should do about it).
 */
export async function writeDeclaredSettings(ctx: ProviderContext, shareId: string, inputs: Props, owner: string, consequence: string): Promise<ShareLink> {
  const applied = await orNotFound(applySettings(ctx.client(owner), shareId, settingsBody(inputs), ctx));
  if (applied === undefined) throw shareNotFound(shareId, owner, consequence);
  return applied;
}

/** What a write needs from the provider: the edition (what an answer means) and where to say what it did. */
interface SettingsWriteContext {
  edition(): KooDriveEdition;
  notice(shareId: string, message: string): void;
}

/** Why a PUT's outcome is unknown (see `outcomeUnknown`), for the read-back notice: its kind, never the message. */
function unknownOutcome(error: KooDriveError): string {
  const last = lastFailure(error);
  return error.earlierAttemptUnknown ? `an earlier attempt's answer was lost; the last attempt got ${last}` : last;
}

/** How the last attempt of a PUT failed, in a few words. */
function lastFailure(error: KooDriveError): string {
  switch (error.kind) {
    case "api":
      return `HTTP ${error.status}`;
    case "proxy":
      return `HTTP ${error.status} from the proxy`;
    case "network":
      return `network error${error.causeCode === undefined ? "" : ` ${error.causeCode}`}`;
    case "timeout":
      return "no answer in time";
    case "credentials":
      return "a rejection of the credentials";
    case "invalid-response":
      return "an unreadable answer";
  }
}

/**
 * `PUT /share/{id}` whose outcome is always known. When the answer is lost or unusable, the share is read back: if
 * it shows the change, the write counts as done (no error for a write that in fact applied); if not, the PUT (which
 * is idempotent) is sent once more, unless `beforeResend` finds, in the share read back, a write that is not this one's
 * (then {@link ResendRefused}). Either way a notice says so: the client prints its own retries, but not these.
 * Returns the share as KooDrive holds it afterwards.
 */
export async function applySettings(
  client: KooDriveClient,
  shareId: string,
  body: UpdateShareBody,
  ctx: SettingsWriteContext,
  beforeResend?: (live: ShareLink) => string | undefined,
): Promise<ShareLink> {
  const edition = ctx.edition();
  // On KooDrive's clock, which stamps the expiry (as for a lost create): a local clock far off cannot hide the write.
  const sentAt = client.markServerTime();
  try {
    const applied = await client.updateShare(shareId, body);
    // An answer without the expiry a validity period must have produced is incomplete, not "never expires": the
    // state would then ask for a renewal on every run. So is one whose expiry is in no documented form: recorded, it
    // would block renewals and a restoring destroy. The link's URL and status, which outputs show, are in §6.2's table
    // but not in the enterprise edition's example answer. Such an answer is completed from the share.
    const expiryUnusable = body.validDays > 0 && parseKooDriveTime(applied.expireTime).kind !== "time";
    if (!expiryUnusable && applied.linkUrl !== undefined && applied.status !== undefined) return applied;
    // A write that is done stays done if that read fails: the next plan or refresh sees what the answer lacked.
    const live = await findShare(client, shareId).catch(() => undefined);
    if (live === undefined) return applied;
    // What the answer says overrides the read, except an expiry it gave in no documented form; what it leaves out does not.
    return { ...live, ...definedFields(applied), ...(expiryUnusable ? { expireTime: live.expireTime } : {}) };
  } catch (error) {
    if (!outcomeUnknown(error)) throw error;
    // If even the read-back fails, the PUT's own error says more about what went wrong.
    const live = await findShare(client, shareId).catch(() => Promise.reject(error));
    const readBackAt = client.markServerTime();
    const unknown = `the write's outcome is unknown (${unknownOutcome(error)});`;
    if (live !== undefined && showsApplied(live, body, sentAt(), readBackAt(), edition)) {
      ctx.notice(shareId, `${unknown} the share, read back, shows it applied`);
      return live;
    }
    const otherWrite = live === undefined ? undefined : beforeResend?.(live);
    if (otherWrite !== undefined) throw new ResendRefused(shareId, otherWrite);
    ctx.notice(
      shareId,
      `${unknown} ${live === undefined ? "the share was not found when read back" : "the share, read back, does not show it applied"}: sending it again`,
    );
    return client.updateShare(shareId, body);
  }
}
