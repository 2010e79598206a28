import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type AdoptionEntry, KooDriveShareSettings } from "pulumi-koodrive";

/**
 * One line of links.json: an existing share to keep alive, in the format `scripts/koodrive-export-shares.js` writes
 * (`AdoptionEntry`; `--renew-before-days` adds `renewBeforeDays`), plus what a team adds. Every run of `pulumi up`
 * renews (one PUT) a link with fewer than `renewBeforeDays` days left, or one that expired; otherwise it sends nothing.
 */
interface KeptLink extends AdoptionEntry {
  renewBeforeDays: number;
  /** The secret stack config key holding the link's access code, to manage it (codes are never in the file). */
  extractCodeConfigKey?: string;
  onDelete?: "retain" | "restore";
}

/** Every field a line may have (the compiler checks this against KeptLink): an unknown or misspelt one fails the run
 *  instead of being ignored. */
const FIELDS: Record<keyof KeptLink, true> = {
  name: true,
  shareId: true,
  validDays: true,
  renewBeforeDays: true,
  comment: true,
  userId: true,
  extractCodeConfigKey: true,
  onDelete: true,
};

const config = new pulumi.Config();
const entries: KeptLink[] = JSON.parse(fs.readFileSync(path.join(__dirname, "links.json"), "utf8"));
entries.forEach((entry, i) => {
  const unknown = Object.keys(entry).filter((key) => !Object.hasOwn(FIELDS, key));
  if (unknown.length > 0) throw new Error(`links.json entry ${i + 1}: unknown field ${unknown.join(", ")} (known: ${Object.keys(FIELDS).join(", ")})`);
});

const kept = entries.map(
  (entry) =>
    new KooDriveShareSettings(entry.name, {
      shareId: entry.shareId,
      validDays: entry.validDays,
      renewBeforeDays: entry.renewBeforeDays,
      comment: entry.comment,
      extractCode: entry.extractCodeConfigKey ? config.requireSecret(entry.extractCodeConfigKey) : undefined,
      userId: entry.userId,
      onDelete: entry.onDelete,
    }),
);

/** name → expiry after this run: a dashboard or alert can read it with `pulumi stack output expiries --json`. */
export const expiries = pulumi.all(kept.map((s, i) => pulumi.all([entries[i]!.name, s.expireTime]))).apply((pairs) => Object.fromEntries(pairs));
/** name → status (0 valid; 1 files deleted and 2 invalid are reported as warnings, never renewed). */
export const statuses = pulumi.all(kept.map((s, i) => pulumi.all([entries[i]!.name, s.status]))).apply((pairs) => Object.fromEntries(pairs));
