// Trying this example without KooDrive: creates the share it manages in a running koodrive-emulator (admin API,
// no auth) and stores the new share's ID as the selected stack's `shareId` config. Real shares are created by people
// in KooDrive; never run this against a real endpoint (it refuses anything but an emulator).
//
//   KOODRIVE_ENDPOINT=<emulator URL> KOODRIVE_USER_ID=<owner> node seed-emulator.mjs
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const endpoint = process.env.KOODRIVE_ENDPOINT;
const ownerId = process.env.KOODRIVE_USER_ID;
if (!endpoint || !ownerId) {
  console.error("seed-emulator: set KOODRIVE_ENDPOINT (the emulator's URL) and KOODRIVE_USER_ID (the share owner) first");
  process.exit(2);
}

// The \`pulumi\` CLI that sets the config: $PULUMI_CLI_ROOT/bin/pulumi when set (as scripts/pulumi-inline.js uses),
// else the one on PATH; checked before anything is created, so a missing CLI leaves nothing half done.
const rootCli = process.env.PULUMI_CLI_ROOT ? `${process.env.PULUMI_CLI_ROOT}/bin/pulumi` : undefined;
const pulumi = rootCli && existsSync(rootCli) ? rootCli : "pulumi";
try {
  execFileSync(pulumi, ["version"], { stdio: "ignore" });
} catch (error) {
  const e = /** @type {NodeJS.ErrnoException} */ (error);
  console.error(`seed-emulator: cannot run the pulumi CLI (${pulumi}: ${e.code ?? e.message}); put it on PATH or set PULUMI_CLI_ROOT`);
  process.exit(2);
}

const health = await fetch(new URL("/__admin/health", endpoint)).catch((e) => ({ ok: false, statusText: e.cause?.code ?? e.message }));
if (!health.ok) {
  console.error(`seed-emulator: ${endpoint} is not a koodrive-emulator (GET /__admin/health: ${health.statusText})`);
  process.exit(1);
}

const response = await fetch(new URL("/__admin/shares", endpoint), {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ ownerId, comment: "draft", validDays: 7 }),
});
const share = /** @type {{ shareId: string, linkUrl: string }} */ (await response.json());
if (response.status !== 201) {
  console.error(`seed-emulator: creating the share failed: HTTP ${response.status} ${JSON.stringify(share)}`);
  process.exit(1);
}
execFileSync(pulumi, ["config", "set", "shareId", share.shareId], { stdio: "inherit" });
console.log(`seed-emulator: created share ${share.shareId} (${share.linkUrl}) and set config shareId`);
