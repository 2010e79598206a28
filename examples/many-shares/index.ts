import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { KooDriveShareSettings } from "pulumi-koodrive";

/** One line of shares.json. Access codes are never in the file: each names the secret stack config holding it. */
interface ShareEntry {
  name: string;
  shareId: string;
  validDays: number;
  comment?: string;
  extractCodeConfigKey?: string;
  onDelete?: "retain" | "restore";
}

const config = new pulumi.Config();
const entries: ShareEntry[] = JSON.parse(fs.readFileSync(path.join(__dirname, "shares.json"), "utf8"));

const shares = entries.map(
  (entry) =>
    new KooDriveShareSettings(entry.name, {
      shareId: entry.shareId,
      validDays: entry.validDays,
      comment: entry.comment,
      extractCode: entry.extractCodeConfigKey ? config.requireSecret(entry.extractCodeConfigKey) : undefined,
      onDelete: entry.onDelete,
    }),
);

export const links = pulumi.all(shares.map((s) => pulumi.all([s.shareId, s.linkUrl]))).apply((pairs) => Object.fromEntries(pairs));
