// Trying this example without KooDrive, in a running koodrive-emulator (admin API; refuses anything else):
//
//   node seed-emulator.mjs                    creates every share of links.json with its ID (existing ones are kept)
//   node seed-emulator.mjs expire-soon NAME   makes that link expire in 2 days, as if time had passed
//
// Needs KOODRIVE_ENDPOINT (the emulator's URL) and KOODRIVE_USER_ID (the share owner).
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

const entries = JSON.parse(readFileSync(new URL("./links.json", import.meta.url), "utf8"));
const [command, name] = process.argv.slice(2);

async function admin(method, path, body) {
  const response = await fetch(new URL(path, endpoint), { method, headers: { "Content-Type": "application/json" }, body: body && JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}

if (command === "expire-soon") {
  const entry = entries.find((e) => e.name === name);
  if (!entry) {
    console.error(`seed-emulator: no link named "${name}" in links.json (names: ${entries.map((e) => e.name).join(", ")})`);
    process.exit(2);
  }
  // Two days on the emulator's clock, which may have been moved ahead (`--clock-offset`), not this machine's.
  const clock = await admin("GET", "/__admin/clock");
  const expireTime = new Date(JSON.parse(clock.text).nowMs + 2 * 24 * 60 * 60 * 1000).toISOString();
  const result = await admin("PATCH", `/__admin/shares/${entry.shareId}`, { expireTime });
  if (result.status !== 200) {
    console.error(`seed-emulator: changing share ${entry.shareId} failed: HTTP ${result.status} ${result.text}`);
    process.exit(1);
  }
  console.log(`seed-emulator: share ${entry.shareId} (${name}) now expires at ${expireTime}`);
} else if (command === undefined) {
  for (const { shareId, name: entryName, validDays } of entries) {
    if ((await admin("GET", `/__admin/shares/${shareId}`)).status === 200) {
      console.log(`seed-emulator: share ${shareId} (${entryName}) already exists`);
      continue;
    }
    const result = await admin("POST", "/__admin/shares", { ownerId, shareId, validDays, comment: "before Pulumi" });
    if (result.status !== 201) {
      console.error(`seed-emulator: creating share ${shareId} (${entryName}) failed: HTTP ${result.status} ${result.text}`);
      process.exit(1);
    }
    console.log(`seed-emulator: created share ${shareId} (${entryName})`);
  }
} else {
  console.error(`seed-emulator: unknown command "${command}" (use no argument, or expire-soon NAME)`);
  process.exit(2);
}
