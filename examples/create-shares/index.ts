import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { KooDriveShare, type ShareOnDelete } from "pulumi-koodrive";

/** One line of links.json. Access codes are never in the file: a line names the secret stack config holding one. */
interface LinkEntry {
  name: string;
  fileIds: string[];
  validDays: number;
  renewBeforeDays?: number;
  comment?: string;
  /** 1 = anyone with the link (default here), 3 = specified enterprise users (2 = enterprise users, enterprise edition). */
  scope?: number;
  extractCodeConfigKey?: string;
  onDelete?: ShareOnDelete;
  /** Names the line had before: a rename keeps the link (without them it is a new link, and the old one is cancelled). */
  formerNames?: string[];
}

const entries: LinkEntry[] = JSON.parse(fs.readFileSync(path.join(__dirname, "links.json"), "utf8"));

/** Every field a line may have (the compiler checks this against LinkEntry): an unknown or misspelt one fails the run
 *  instead of being ignored (a misspelt formerNames would replace the link it was meant to keep). */
const FIELDS: Record<keyof LinkEntry, true> = {
  name: true,
  fileIds: true,
  validDays: true,
  renewBeforeDays: true,
  comment: true,
  scope: true,
  extractCodeConfigKey: true,
  onDelete: true,
  formerNames: true,
};
entries.forEach((entry, i) => {
  const unknown = Object.keys(entry).filter((key) => !Object.hasOwn(FIELDS, key));
  if (unknown.length > 0) throw new Error(`links.json entry ${i + 1}: unknown field ${unknown.join(", ")} (known: ${Object.keys(FIELDS).join(", ")})`);
});

const config = new pulumi.Config();
/** The space (container) holding the files. */
const containerId = config.require("containerId");

const shares = entries.map(
  (entry) =>
    new KooDriveShare(
      entry.name,
      {
        fileIds: entry.fileIds,
        containerId,
        scope: entry.scope ?? 1,
        validDays: entry.validDays,
        renewBeforeDays: entry.renewBeforeDays,
        comment: entry.comment,
        extractCode: entry.extractCodeConfigKey ? config.requireSecret(entry.extractCodeConfigKey) : undefined,
        onDelete: entry.onDelete,
      },
      { aliases: (entry.formerNames ?? []).map((name) => ({ name })) },
    ),
);

/** name → link, for mails and wikis. */
export const links = pulumi.all(shares.map((s, i) => pulumi.all([entries[i]!.name, s.linkUrl]))).apply((pairs) => Object.fromEntries(pairs));
/** name → expiry: the scheduled `pulumi up` renews a link before it runs out (renewBeforeDays) or once it has. */
export const expiries = pulumi.all(shares.map((s, i) => pulumi.all([entries[i]!.name, s.expireTime]))).apply((pairs) => Object.fromEntries(pairs));
