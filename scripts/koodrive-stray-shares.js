#!/usr/bin/env node
// Names the links a killed `pulumi up` may have left behind. The engine records a create it has started (a "pending
// operation", with the resource's inputs) and learns the share's ID only from its answer: a `KooDriveShare` whose
// create was in flight when the run was killed may have made a live link that no resource holds, and the next `up`
// makes another. This reads `pulumi stack export` (a file, or - for stdin), lists the shares of the creates' owners
// (KOODRIVE_* environment, the same rules as the provider), and prints each share that matches an interrupted create
// (same space, files, scope and comment) and that no resource of the stack holds.
//
//   pulumi stack export | node scripts/koodrive-stray-shares.js --state - [--since TIME] [--user-id ID] [--cancel]
//
// A share made before the killed run started is not its own, but looks the same (another stack's, one made by hand):
// --since TIME (ISO 8601: when the killed run started, or the CI job that ran it) leaves out shares made before it.
// --cancel cancels the shares it names, and needs --since. Without it, nothing is written anywhere.
// Run it before `pulumi refresh --clear-pending-creates`, which drops the record. Exit status: 0 when it found none
// (or cancelled every one), 3 when it found some (one line each on stdout: share ID, owner, the resource whose create
// matches, how, and when the share was made), 1 on an error.
"use strict";
const fs = require("node:fs");
const { koodrive, parseFlags } = require("./lib/userScript");

const USAGE = "usage: koodrive-stray-shares --state FILE|- [--since TIME] [--user-id ID] [--cancel]";
/** The type token of `KooDriveShare` resources, as Pulumi writes dynamic resources' types. */
const SHARE_TYPE = "pulumi-nodejs:dynamic/koodrive:Share";
const FOUND = 3;

function parseArgs(argv) {
  const cancel = argv.includes("--cancel");
  const args = parseFlags(
    argv.filter((a) => a !== "--cancel"),
    USAGE,
    { "--state": "state", "--user-id": "userId", "--since": "since" },
  );
  if (args.state === undefined) throw new Error("--state FILE is required (the output of `pulumi stack export`, or - to read it from stdin)");
  const since = args.since === undefined ? undefined : Date.parse(args.since);
  if (since !== undefined && (Number.isNaN(since) || !/\d{4}-\d{2}-\d{2}T/.test(args.since)))
    throw new Error(`--since must be an ISO 8601 time (2026-12-02T04:30:00Z), got "${args.since}"`);
  if (cancel && since === undefined)
    throw new Error("--cancel needs --since (when the killed run started): a share made before it is another's, which must not be cancelled");
  return { state: args.state, userId: args.userId, since, cancel };
}

/** The deployment of a `pulumi stack export` (or of a file backend's checkpoint file). */
function deploymentOf(text, source) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not JSON: give the output of \`pulumi stack export\``);
  }
  const deployment = parsed?.deployment ?? parsed?.checkpoint?.latest;
  if (typeof deployment !== "object" || deployment === null) throw new Error(`${source} holds no deployment: give the output of \`pulumi stack export\``);
  return deployment;
}

/** A plain string input, or undefined; a secret (stored encrypted) is `secret`. */
function plainInput(value) {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && "ciphertext" in value) return { secret: true };
  return undefined;
}

function sameFiles(listed, declared) {
  const a = [...listed].sort();
  const b = [...declared].map(String).sort();
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** How `share` matches the create `inputs` sent, or undefined when it does not. */
function matchOf(share, inputs) {
  if (share.containerId !== inputs.containerId) return undefined;
  if (inputs.scope !== undefined && share.scope !== undefined && Number(share.scope) !== Number(inputs.scope)) return undefined;
  const comment = plainInput(inputs.comment);
  if (typeof comment === "string" && (share.comment ?? "") !== comment) return undefined;
  if (comment === undefined && (share.comment ?? "") !== "") return undefined;
  const secretComment = typeof comment === "object";
  const listedFiles = share.fileIds !== undefined;
  const fields = ["space", ...(listedFiles ? ["files"] : []), "scope", ...(secretComment ? [] : ["comment"])];
  const compared = `same ${fields.slice(0, -1).join(", ")} and ${fields.at(-1)}`;
  const notes = [secretComment ? "the comment is a secret in the state: not compared" : "", listedFiles ? "" : "KooDrive listed no files to compare"];
  const how = [compared, ...notes.filter(Boolean).map((note) => `(${note})`)].join(" ");
  if (!listedFiles) return how;
  return Array.isArray(inputs.fileIds) && sameFiles(share.fileIds, inputs.fileIds) ? how : undefined;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const source = args.state === "-" ? "stdin" : args.state;
  const deployment = deploymentOf(fs.readFileSync(args.state === "-" ? 0 : args.state, "utf8"), source);
  const held = new Set();
  for (const r of deployment.resources ?? []) {
    if (r.id) held.add(String(r.id));
    if (typeof r.outputs?.shareId === "string") held.add(r.outputs.shareId);
  }
  const creates = (deployment.pending_operations ?? []).filter((op) => op?.type === "creating" && op.resource?.type === SHARE_TYPE);
  if (creates.length === 0) {
    console.error("koodrive-stray-shares: the state records no interrupted KooDriveShare create: no link can have been left by one");
    return 0;
  }
  // Per owner: the creates, and their shares once listed.
  const byOwner = new Map();
  for (const op of creates) {
    const userId = plainInput(op.resource.inputs?.userId);
    if (typeof userId === "object") {
      throw new Error(`the interrupted create of ${op.resource.urn} gives its userId as a secret, which the state holds encrypted: run again with --user-id`);
    }
    const owner = userId ?? args.userId ?? "";
    if (!byOwner.has(owner)) byOwner.set(owner, []);
    byOwner.get(owner).push(op.resource);
  }
  const { cancelShare, listShares, KooDriveClient, resolveConnectionSettings } = koodrive();
  const strays = [];
  let older = 0;
  for (const [owner, resources] of byOwner) {
    const { shares } = await listShares(owner === "" ? {} : { userId: owner });
    // Two identical creates each get their own share: a share goes to the matching create credited least so far.
    const credited = new Map(resources.map((r) => [r, 0]));
    for (const share of shares) {
      if (held.has(share.shareId)) continue;
      const matches = resources.map((r) => ({ r, how: matchOf(share, r.inputs ?? {}) })).filter((m) => m.how !== undefined);
      if (matches.length === 0) continue;
      const made = share.shareTime === undefined ? undefined : Date.parse(share.shareTime);
      if (args.since !== undefined && (made === undefined || made < args.since)) {
        older++;
        continue;
      }
      const { r, how } = matches.reduce((a, b) => (credited.get(b.r) < credited.get(a.r) ? b : a));
      credited.set(r, credited.get(r) + 1);
      strays.push({ share, actingAs: owner, urn: r.urn, how });
    }
  }
  for (const { share, actingAs, urn, how } of strays) {
    const owner = actingAs || process.env.KOODRIVE_USER_ID || "(the configured user)";
    console.log(`${share.shareId}\t${owner}\t${urn}\t${how}; made ${share.shareTime ?? "(no share time listed)"}`);
  }
  const n = creates.length;
  const left = older === 0 ? "" : ` (${older} older matching share(s) left out: made before --since)`;
  if (strays.length === 0) {
    console.error(`koodrive-stray-shares: ${n} interrupted create(s) recorded, and no share that no resource holds matches one${left}`);
    return 0;
  }
  if (!args.cancel) {
    console.error(
      `koodrive-stray-shares: ${strays.length} share(s) match an interrupted create and no resource of this stack holds them${left}. ` +
        (args.since === undefined
          ? "A share made before the killed run started looks the same (another stack's, one made by hand): give --since (when it started) to leave those out. "
          : "") +
        "Cancel each live link you do not want (--cancel, with --since) or declare it with KooDriveShareSettings, then run `pulumi refresh --clear-pending-creates`.",
    );
    return FOUND;
  }
  // As a KooDriveShare's delete cancels: per owner, in calls of up to 100 IDs, asked again after an unusable answer.
  const clients = new Map();
  for (const actingAs of new Set(strays.map((s) => s.actingAs))) {
    const env = actingAs === "" ? process.env : { ...process.env, KOODRIVE_USER_ID: actingAs };
    clients.set(actingAs, new KooDriveClient(resolveConnectionSettings(() => undefined, env)));
  }
  const outcomes = await Promise.allSettled(strays.map((s) => cancelShare(clients.get(s.actingAs), s.share.shareId)));
  let failed = 0;
  outcomes.forEach((outcome, i) => {
    if (outcome.status === "rejected") failed++;
    const what = outcome.status === "fulfilled" ? outcome.value : `not cancelled: ${outcome.reason?.message ?? outcome.reason}`;
    console.error(`koodrive-stray-shares: share ${strays[i].share.shareId}: ${what}`);
  });
  console.error(
    failed === 0
      ? `koodrive-stray-shares: cancelled ${strays.length} share(s)${left}; now run \`pulumi refresh --clear-pending-creates\``
      : `koodrive-stray-shares: ${failed} of ${strays.length} share(s) were not cancelled (above)`,
  );
  return failed === 0 ? 0 : FOUND;
}

main().then(
  (status) => process.exit(status),
  (e) => {
    console.error(`koodrive-stray-shares: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
