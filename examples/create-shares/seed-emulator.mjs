// Trying this example without KooDrive: the emulator creates shares of any file ID, so nothing needs to exist first.
// This checks that KOODRIVE_ENDPOINT is a koodrive-emulator (never a real endpoint) and sets the selected stack's
// `containerId` config to a space ID.
//
//   KOODRIVE_ENDPOINT=<emulator URL> node seed-emulator.mjs
import { execFileSync } from "node:child_process";

const endpoint = process.env.KOODRIVE_ENDPOINT;
if (!endpoint) {
  console.error("seed-emulator: set KOODRIVE_ENDPOINT (the emulator's URL) first");
  process.exit(2);
}
const health = await fetch(new URL("/__admin/health", endpoint)).catch((e) => ({ ok: false, statusText: e.cause?.code ?? e.message }));
if (!health.ok) {
  console.error(`seed-emulator: ${endpoint} is not a koodrive-emulator (GET /__admin/health: ${health.statusText})`);
  process.exit(1);
}
const containerId = "IAAB5thdWzxEoAsiA1681759183084696448";
execFileSync("pulumi", ["config", "set", "containerId", containerId], { stdio: "inherit" });
console.log(`seed-emulator: set config containerId ${containerId}`);
