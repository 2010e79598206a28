"use strict";
// A stack last updated by 0.2.0, upgraded: refresh and destroy run the provider text stored in state, 0.2.0's shim,
// which calls `run(this, kind, method, ...args)` of the package installed now. Read as the later shims' calls, a
// refresh dropped the `-originals` companions from state (and with them the originals destroy restores) and failed
// the other resources, and a destroy before any `up` failed. Here the state is this version's with 0.2.0's provider
// text in place of the current one; the README tells users to refresh once after upgrading.
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { shareStack, USER_ID } = require("./shareSupport");
const { providerText020 } = require("../support/providerText020");

const CONTAINER = "IAAB5thdWzxEoAsiA1681759183084696448";
/** Resource type → the kind 0.2.0's shim names. */
const KINDS = {
  "pulumi-nodejs:dynamic/koodrive:ShareSettings": "shareSettings",
  "pulumi-nodejs:dynamic/koodrive:ShareOriginals": "shareOriginals",
  "pulumi-nodejs:dynamic/koodrive:Share": "share",
};

let f;
let restoring;
let retained;
let sharedId;
before(async () => {
  f = await shareStack({ projectName: "earlier-shims" });
  restoring = f.emulator.seedShare({ ownerId: USER_ID, extractCode: "0r1g1nal", comment: "original" });
  retained = f.emulator.seedShare({ ownerId: USER_ID, comment: "kept as is" });
  f.desired.restoring = {
    kind: "settings",
    args: { shareId: restoring.shareId, validDays: 3, extractCode: "N3wC0d3x", comment: "declared", onDelete: "restore" },
  };
  f.desired.retained = { kind: "settings", args: { shareId: retained.shareId, validDays: 3, comment: "declared" } };
  f.desired.made = { kind: "share", args: { fileIds: ["FileQ3report01"], containerId: CONTAINER, scope: 1, validDays: 30, comment: "made" } };
  const up = await f.stack.up();
  sharedId = up.outputs.madeId.value;
  const deployment = await f.stack.exportStack();
  let rewritten = 0;
  for (const resource of deployment.deployment.resources) {
    const kind = KINDS[resource.type];
    if (kind === undefined) continue;
    resource.inputs.__provider = providerText020(kind);
    resource.outputs.__provider = resource.inputs.__provider;
    rewritten++;
  }
  assert.equal(rewritten, 4, "three resources and the companion");
  await f.stack.importStack(deployment);
  f.emulator.requests.clear();
});
after(() => f.close());

/** The stack's resources of our types, by name. */
async function resourceNames() {
  const deployment = await f.stack.exportStack();
  return deployment.deployment.resources.filter((r) => KINDS[r.type] !== undefined).map((r) => r.urn.split("::").pop());
}

test("refresh of state 0.2.0 wrote keeps every resource, the companion with its originals included", async () => {
  const refresh = await f.stack.refresh();
  assert.equal(refresh.summary.result, "succeeded");
  assert.equal(refresh.summary.resourceChanges?.delete, undefined, `nothing leaves state: ${JSON.stringify(refresh.summary.resourceChanges)}`);
  assert.deepEqual((await resourceNames()).sort(), ["made", "restoring", "restoring-originals", "retained"]);
  assert.deepEqual(
    f.emulator.requests.all().filter((r) => r.method !== "GET"),
    [],
    "a refresh only reads",
  );
});

test("preview shows each resource's stored provider being replaced by the current one, and sends nothing", async () => {
  f.emulator.requests.clear();
  const preview = await f.stack.preview();
  assert.deepEqual(preview.changeSummary, { same: 1, update: 4 });
  assert.deepEqual(f.emulator.requests.all(), []);
});

test("destroy, still through 0.2.0's shim, restores the originals and cancels the share it made", async () => {
  const destroy = await f.stack.destroy();
  assert.deepEqual(destroy.summary.resourceChanges, { delete: 5 });
  const restored = f.emulator.getShare(restoring.shareId);
  assert.deepEqual({ comment: restored.comment, extractCode: restored.extractCode }, { comment: "original", extractCode: "0r1g1nal" });
  assert.equal(f.emulator.getShare(retained.shareId).comment, "declared", "retain leaves the share as Pulumi set it");
  assert.equal(f.emulator.getShare(sharedId), undefined, "the share the stack made is cancelled");
});
