#!/usr/bin/env node
// Writes the shares a KooDrive user already has as a many-shares input file (the format of
// examples/many-shares/shares.json), for adopting them in bulk with KooDriveShareSettings. Connection settings come
// from the KOODRIVE_* environment variables (the same rules as the provider). Access codes are never written.
//
//   node scripts/koodrive-export-shares.js --out shares.json [--display-name TEXT] [--user-id ID]
//                                          [--valid-days N] [--renew-before-days N]
//
// Each entry's validDays is the validity the share has left (so adopting it keeps its expiry; 0 for a link that never
// expires), unless --valid-days gives the period to declare (to every entry, never-expiring ones included);
// --renew-before-days adds renewBeforeDays to every entry with an expiry, or to every entry with --valid-days (for
// examples/keep-links-alive), and must be less than each such entry's validDays.
"use strict";
const fs = require("node:fs");
const { koodrive, parseFlags } = require("./lib/userScript");

const USAGE = "usage: koodrive-export-shares --out FILE [--display-name TEXT] [--user-id ID] [--valid-days N] [--renew-before-days N]";

/** A whole number of days from `min` to the API's longest validity, or an error naming the option. */
function days(option, text, min) {
  const { MAX_VALID_DAYS } = koodrive();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > MAX_VALID_DAYS)
    throw new Error(`${option} must be a whole number of days from ${min} to ${MAX_VALID_DAYS}, got "${text}"`);
  return n;
}

function parseArgs(argv) {
  /** @type {Record<string, any>} */
  const args = parseFlags(argv, USAGE, {
    "--out": "out",
    "--display-name": "displayName",
    "--user-id": "userId",
    "--valid-days": "validDays",
    "--renew-before-days": "renewBeforeDays",
  });
  if (args.out === undefined) throw new Error("--out FILE is required");
  if (args.validDays !== undefined) args.validDays = days("--valid-days", args.validDays, 1);
  if (args.renewBeforeDays !== undefined) args.renewBeforeDays = days("--renew-before-days", args.renewBeforeDays, 0);
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { listShares, adoptionEntries, kooDriveClockNow, resolveConnectionSettings } = koodrive();
  const { shares } = await listShares({ displayName: args.displayName, userId: args.userId });
  const { edition } = resolveConnectionSettings(() => undefined, process.env);
  // The validity left, as KooDrive counts it: by its clock (learned from the listing's answers), not this machine's.
  // The entries' rules are the resources' own, said here at once for every share instead of one resource per preview.
  let plan;
  try {
    plan = adoptionEntries(shares, kooDriveClockNow(), args.userId, { validDays: args.validDays, renewBeforeDays: args.renewBeforeDays, edition });
  } catch (error) {
    const fix = args.validDays === undefined ? "give --valid-days, the period to declare" : "give a smaller --renew-before-days";
    throw new Error(`${error instanceof Error ? error.message : String(error)}: ${fix} (nothing was written)`);
  }
  const { entries, skipped } = plan;
  fs.writeFileSync(args.out, `${JSON.stringify(entries, null, 2)}\n`);
  console.error(`wrote ${entries.length} share(s) to ${args.out}; access codes are not written: add "extractCodeConfigKey" to an entry to manage its code`);
  for (const s of skipped) console.error(`skipped share ${s.shareId}: ${s.reason}`);
}

main().catch((e) => {
  console.error(`koodrive-export-shares: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
