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

const config = new pulumi.Config();
/** The space (container) holding the files. */
const containerId = config.require("containerId");
const entries: LinkEntry[] = JSON.parse(fs.readFileSync(path.join(__dirname, "links.json"), "utf8"));

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
