// Trying this example without KooDrive: creates every share listed in shares.json, with the same IDs, in a running
// koodrive-emulator (admin API, no auth). Shares that already exist there are left alone, so it can run twice.
// Real shares are created by people in KooDrive; this refuses anything but an emulator.
//
//   KOODRIVE_ENDPOINT=<emulator URL> KOODRIVE_USER_ID=<owner> node seed-emulator.mjs
import { readFileSync } from "node:fs";

const endpoint = process.env.KOODRIVE_ENDPOINT;
const ownerId = process.env.KOODRIVE_USER_ID;
if (!endpoint || !ownerId) {
  console.error("seed-emulator: set KOODRIVE_ENDPOINT (the emulator's URL) and KOODRIVE_USER_ID (the share owner) first");
  process.exit(2);
}

const health = await fetch(new URL("/__admin/health", endpoint)).catch((e) => ({ ok: false, statusText: e.cause?.code ?? e.message }));
if (!health.ok) {
  console.error(`seed-emulator: ${endpoint} is not a koodrive-emulator (GET /__admin/health: ${health.statusText})`);
  process.exit(1);
}

const entries = JSON.parse(readFileSync(new URL("./shares.json", import.meta.url), "utf8"));
for (const { shareId, name } of entries) {
  const existing = await fetch(new URL(`/__admin/shares/${shareId}`, endpoint));
  if (existing.ok) {
    console.log(`seed-emulator: share ${shareId} (${name}) already exists`);
    continue;
  }
  const response = await fetch(new URL("/__admin/shares", endpoint), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ownerId, shareId, comment: "before Pulumi" }),
  });
  if (response.status !== 201) {
    console.error(`seed-emulator: creating share ${shareId} (${name}) failed: HTTP ${response.status} ${await response.text()}`);
    process.exit(1);
  }
  console.log(`seed-emulator: created share ${shareId} (${name})`);
}
