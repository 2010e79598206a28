import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { KooDriveShareSettings } from "pulumi-koodrive";

/**
 * One line of links.json: an existing share to keep alive. Every run of `pulumi up` renews (one PUT) a link with
 * fewer than `renewBeforeDays` days left, or one that expired; otherwise it sends nothing.
 */
interface KeptLink {
  name: string;
  shareId: string;
  validDays: number;
  renewBeforeDays: number;
  comment?: string;
  /** Owner of the share, when not `koodrive:userId`. */
  userId?: string;
}

const entries: KeptLink[] = JSON.parse(fs.readFileSync(path.join(__dirname, "links.json"), "utf8"));

const kept = entries.map(
  (entry) =>
    new KooDriveShareSettings(entry.name, {
      shareId: entry.shareId,
      validDays: entry.validDays,
      renewBeforeDays: entry.renewBeforeDays,
      comment: entry.comment,
      userId: entry.userId,
    }),
);

/** name → expiry after this run: a dashboard or alert can read it with `pulumi stack output expiries --json`. */
export const expiries = pulumi.all(kept.map((s, i) => pulumi.all([entries[i]!.name, s.expireTime]))).apply((pairs) => Object.fromEntries(pairs));
/** name → status (0 valid; 1 files deleted and 2 invalid are reported as warnings, never renewed). */
export const statuses = pulumi.all(kept.map((s, i) => pulumi.all([entries[i]!.name, s.status]))).apply((pairs) => Object.fromEntries(pairs));
