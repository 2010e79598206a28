// Trying this example without KooDrive: the emulator creates shares of any file ID, so nothing needs to exist first.
// This checks that KOODRIVE_ENDPOINT is a koodrive-emulator (never a real endpoint) and sets the selected stack's
// `containerId` config to a space ID.
//
//   KOODRIVE_ENDPOINT=<emulator URL> node seed-emulator.mjs
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const endpoint = process.env.KOODRIVE_ENDPOINT;
if (!endpoint) {
  console.error("seed-emulator: set KOODRIVE_ENDPOINT (the emulator's URL) first");
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
const containerId = "IAAB5thdWzxEoAsiA1681759183084696448";
execFileSync(pulumi, ["config", "set", "containerId", containerId], { stdio: "inherit" });
console.log(`seed-emulator: set config containerId ${containerId}`);
