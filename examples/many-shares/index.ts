import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type AdoptionEntry, KooDriveShareSettings } from "pulumi-koodrive";

/**
 * One line of shares.json: what `scripts/koodrive-export-shares.js` writes (`AdoptionEntry`), plus what a team adds.
 * Access codes are never in the file: a line names the secret stack config key holding its code.
 */
interface ShareEntry extends AdoptionEntry {
  extractCodeConfigKey?: string;
  onDelete?: "retain" | "restore";
}

/** Every field a line may have (the compiler checks this against ShareEntry): an unknown or misspelt one fails the run
 *  instead of being ignored. */
const FIELDS: Record<keyof ShareEntry, true> = {
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
const entries: ShareEntry[] = JSON.parse(fs.readFileSync(path.join(__dirname, "shares.json"), "utf8"));
entries.forEach((entry, i) => {
  const unknown = Object.keys(entry).filter((key) => !Object.hasOwn(FIELDS, key));
  if (unknown.length > 0) throw new Error(`shares.json entry ${i + 1}: unknown field ${unknown.join(", ")} (known: ${Object.keys(FIELDS).join(", ")})`);
});

const shares = entries.map(
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

export const links = pulumi.all(shares.map((s) => pulumi.all([s.shareId, s.linkUrl]))).apply((pairs) => Object.fromEntries(pairs));
