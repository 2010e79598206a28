#!/usr/bin/env node
// Names the links a killed `pulumi up` may have left behind. The engine records a create it has started (a "pending
// operation", with the resource's inputs) and learns the share's ID only from its answer: a `KooDriveShare` whose
// create was in flight when the run was killed may have made a live link that no resource holds, and the next `up`
// makes another. This reads `pulumi stack export` (a file, or - for stdin), lists the shares of the creates' owners
// (KOODRIVE_* environment, the same rules as the provider), and prints each share that matches an interrupted create
// (same space, files, scope and comment) and that no resource of the stack holds. It writes nothing, anywhere.
//
//   pulumi stack export | node scripts/koodrive-stray-shares.js --state - [--user-id ID]
//
// Run it before `pulumi refresh --clear-pending-creates`, which drops the record. Exit status: 0 when it found none,
// 3 when it found some (one line each on stdout: share ID, the resource whose create made it), 1 on an error.
"use strict";
const fs = require("node:fs");
const { koodrive, parseFlags } = require("./lib/userScript");

const USAGE = "usage: koodrive-stray-shares --state FILE|- [--user-id ID]";
/** The type token of `KooDriveShare` resources, as Pulumi writes dynamic resources' types. */
const SHARE_TYPE = "pulumi-nodejs:dynamic/koodrive:Share";
const FOUND = 3;

function parseArgs(argv) {
  const args = parseFlags(argv, USAGE, { "--state": "state", "--user-id": "userId" });
  if (args.state === undefined) throw new Error("--state FILE is required (the output of `pulumi stack export`, or - to read it from stdin)");
  return args;
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
  if (share.fileIds === undefined) return "same space, scope and comment (KooDrive listed no files to compare)";
  return Array.isArray(inputs.fileIds) && sameFiles(share.fileIds, inputs.fileIds) ? "same space, files, scope and comment" : undefined;
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
  const { listShares } = koodrive();
  let found = 0;
  for (const [owner, resources] of byOwner) {
    const { shares } = await listShares(owner === "" ? {} : { userId: owner });
    for (const share of shares) {
      if (held.has(share.shareId)) continue;
      for (const resource of resources) {
        const how = matchOf(share, resource.inputs ?? {});
        if (how === undefined) continue;
        found++;
        console.log(`${share.shareId}\t${resource.urn}\t${how}; made ${share.shareTime ?? "(no share time listed)"}`);
        break;
      }
    }
  }
  const n = creates.length;
  console.error(
    found === 0
      ? `koodrive-stray-shares: ${n} interrupted create(s) recorded, and no share that no resource holds matches one`
      : `koodrive-stray-shares: ${found} share(s) match an interrupted create and no resource of the stack holds them: live links nobody manages. ` +
          "Cancel each one you do not want (or declare it with KooDriveShareSettings), then run `pulumi refresh --clear-pending-creates`.",
  );
  return found === 0 ? 0 : FOUND;
}

main().then(
  (status) => process.exit(status),
  (e) => {
    console.error(`koodrive-stray-shares: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
