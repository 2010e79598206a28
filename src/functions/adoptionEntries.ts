import { SHARE_STATUS, describeShareStatus } from "../resources/common/linkState";
import { renewBeforeDaysProblem, validDaysProblem } from "../resources/common/rules";
import type { KooDriveEdition } from "../client/connectionSettings";
import { parseKooDriveTime, validDaysUntil } from "../time/koodriveTime";
import type { ShareInfo } from "./shareInfo";

/** One entry of a many-shares input file (the format of `examples/many-shares/shares.json`). */
export interface AdoptionEntry {
  /**
   * Pulumi resource name: the display name made safe, plus the share ID's last 6 digits; all its digits when another
   * entry's name would be the same.
   */
  name: string;
  shareId: string;
  /**
   * Days the link has left, rounded up: declaring them keeps the current expiry (to within a day) on the first `up`.
   * Or the period {@link AdoptionOptions.validDays} gives.
   */
  validDays: number;
  /** From {@link AdoptionOptions.renewBeforeDays}, for a link with an expiry. */
  renewBeforeDays?: number;
  comment?: string;
  /** Present when the shares belong to a user other than `koodrive:userId`. */
  userId?: string;
}

/** What to declare instead of each link's current validity. */
export interface AdoptionOptions {
  /** The validity period to declare for every entry (never-expiring links included), instead of the days left. */
  validDays?: number;
  /** `renewBeforeDays` for every entry with an expiry (to keep links alive); must be less than its `validDays`. */
  renewBeforeDays?: number;
  /**
   * The edition the entries are for (`koodrive:edition`; default `"carrier"`). The enterprise edition cannot declare a
   * link without a validity period (validDays 0): there such links fail, all named at once, unless `validDays` is given.
   */
  edition?: KooDriveEdition;
}

/** What {@link adoptionEntries} made of a user's shares. */
export interface AdoptionPlan {
  entries: AdoptionEntry[];
  /** Shares left out, with why (expired, files deleted, invalid): adopting them would renew a dead link. */
  skipped: Array<{ shareId: string; reason: string }>;
}

/** A resource name: the display name made safe, and the share ID's last 6 digits, or all of them (`fullId`). */
function resourceName(share: ShareInfo, fullId = false): string {
  const base =
    (share.displayName ?? "share")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "share";
  return `${base}-${fullId ? share.shareId : share.shareId.slice(-6)}`;
}

/**
 * Names entries whose short names collide (shares of one file whose IDs end alike: a user with a thousand shares of
 * `report.pdf` has even odds of one such pair) with their whole share IDs, so that every name is unique; the others
 * keep their short names.
 */
function uniqueNames(named: ReadonlyArray<{ share: ShareInfo; entry: AdoptionEntry }>): void {
  const count = new Map<string, number>();
  for (const { entry } of named) count.set(entry.name, (count.get(entry.name) ?? 0) + 1);
  for (const { share, entry } of named) if ((count.get(entry.name) ?? 0) > 1) entry.name = resourceName(share, true);
}

/**
 * Turns a user's shares into `KooDriveShareSettings` input entries for bulk adoption. Access codes are never
 * written (the file is not a secret store): codes stay unmanaged until an entry names a secret config key for one.
 * `validDays` is the validity left, rounded up, or 0 for a link without a validity period (carrier edition), unless
 * `options` declare a period. An entry that `options.renewBeforeDays` would renew on every run fails, naming the share,
 * as do entries the edition cannot declare: by the rules the resources check, before any resource is declared.
 */
export function adoptionEntries(shares: ShareInfo[], now: Date, userId?: string, options: AdoptionOptions = {}): AdoptionPlan {
  const named: Array<{ share: ShareInfo; entry: AdoptionEntry }> = [];
  const skipped: AdoptionPlan["skipped"] = [];
  for (const share of shares) {
    const expiry = parseKooDriveTime(share.expireTime);
    if (share.status !== undefined && share.status !== SHARE_STATUS.valid) {
      skipped.push({ shareId: share.shareId, reason: `status ${share.status} (${describeShareStatus(share.status)})` });
      continue;
    }
    if (expiry.kind === "unreadable") {
      skipped.push({ shareId: share.shareId, reason: `expireTime "${expiry.text}" is in no form KooDrive documents` });
      continue;
    }
    if (expiry.kind === "time" && expiry.ms <= now.getTime()) {
      skipped.push({ shareId: share.shareId, reason: "expired" });
      continue;
    }
    const validDays = expiry.kind === "time" ? validDaysUntil(expiry.ms, now.getTime()) : 0;
    const entry: AdoptionEntry = { name: resourceName(share), shareId: share.shareId, validDays: options.validDays ?? validDays };
    // A link that never expires needs no renewal (a declared period gives it an expiry, and so a renewal).
    if (options.renewBeforeDays !== undefined && entry.validDays !== 0) {
      const problem = renewBeforeDaysProblem(entry.validDays, options.renewBeforeDays);
      if (problem !== undefined) throw new Error(`share ${share.shareId} (${entry.validDays} day(s) of validity): ${problem}`);
      entry.renewBeforeDays = options.renewBeforeDays;
    }
    if (share.comment) entry.comment = share.comment;
    if (userId !== undefined) entry.userId = userId;
    named.push({ share, entry });
  }
  const refused = named.filter(({ entry }) => validDaysProblem(entry.validDays, options.edition ?? "carrier") !== undefined);
  if (refused.length > 0) {
    const ids = refused.map(({ entry }) => entry.shareId).join(", ");
    const which = options.validDays === undefined ? `${refused.length} share(s) never expire (${ids}), and` : `validDays 0 is declared for ${ids}:`;
    throw new Error(`${which} ${validDaysProblem(0, options.edition ?? "carrier")}`);
  }
  uniqueNames(named);
  return { entries: named.map(({ entry }) => entry), skipped };
}
