#!/usr/bin/env node
// Writes the shares a KooDrive user already has as a many-shares input file (the format of
// examples/many-shares/shares.json), for adopting them in bulk with KooDriveShareSettings. Connection settings come
// from the KOODRIVE_* environment variables (the same rules as the provider). Access codes are never written.
//
//   node scripts/koodrive-export-shares.js --out shares.json [--display-name TEXT] [--user-id ID]
"use strict";
const fs = require("node:fs");
const path = require("node:path");

function koodrive() {
  try {
    return require("pulumi-koodrive");
  } catch {
    return require(path.join(__dirname, "..", "dist")); // a checkout of this repository, after npm run build
  }
}

function parseArgs(argv) {
  const args = {};
  const names = { "--out": "out", "--display-name": "displayName", "--user-id": "userId" };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (key === undefined || argv[i + 1] === undefined)
      throw new Error(`usage: koodrive-export-shares --out FILE [--display-name TEXT] [--user-id ID] (bad argument "${argv[i]}")`);
    args[key] = argv[i + 1];
  }
  if (args.out === undefined) throw new Error("--out FILE is required");
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { listShares, adoptionEntries, kooDriveClockNow } = koodrive();
  const { shares } = await listShares({ displayName: args.displayName, userId: args.userId });
  // The validity left, as KooDrive counts it: by its clock (learned from the listing's answers), not this machine's.
  const { entries, skipped } = adoptionEntries(shares, kooDriveClockNow(), args.userId);
  fs.writeFileSync(args.out, `${JSON.stringify(entries, null, 2)}\n`);
  console.error(`wrote ${entries.length} share(s) to ${args.out}; access codes are not written: add "extractCodeConfigKey" to an entry to manage its code`);
  for (const s of skipped) console.error(`skipped share ${s.shareId}: ${s.reason}`);
}

main().catch((e) => {
  console.error(`koodrive-export-shares: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
