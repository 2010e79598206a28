"use strict";
// State written by 0.1.0 declared the remembered originals secret under the name it stored them by
// (`originalSettings`, in `additionalSecretOutputs`). A `pulumi refresh` of such state before its first `up` with this
// version goes through the current provider code: the originals (with the share's original access code) must stay
// ciphertext in state. So must they in state that 0.2.0 refreshed: its refresh left them out of the inputs, and the
// engine keeps a refreshed input secret only when the stored inputs held it as one.
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { engineFixture, USER_ID } = require("./support");

const ORIGINAL_CODE = "0ldC0d3x";
const DECLARED_CODE = "N3wC0d3x";
const ORIGINAL_CODE_020 = "0ldC0d32";

let f;
let share;
let share020;
before(async () => {
  f = await engineFixture({ projectName: "upgrade-secrets" });
  share = f.emulator.seedShare({ ownerId: USER_ID, extractCode: ORIGINAL_CODE, comment: "original" });
  f.desired.legacy = { shareId: share.shareId, validDays: 3, extractCode: DECLARED_CODE, comment: "declared", onDelete: "restore" };
  share020 = f.emulator.seedShare({ ownerId: USER_ID, extractCode: ORIGINAL_CODE_020, comment: "original" });
  f.desired.refreshedBy020 = { shareId: share020.shareId, validDays: 3, comment: "declared", onDelete: "restore" };
  await f.stack.up();
  // Rewrite the stack's state into 0.1.0's shape: no companion, no stateVersion or owner, KooDrive's ownerId kept, the
  // originals stored as `originalSettings` and declared secret under that name only.
  const deployment = await f.stack.exportStack();
  const resources = deployment.deployment.resources;
  const companion = resources.find((r) => r.urn.endsWith("::legacy-originals"));
  const settings = resources.find((r) => r.urn.endsWith("::legacy"));
  deployment.deployment.resources = resources.filter((r) => r !== companion);
  const { originals, stateVersion: _v, owner: _o, ...outputs } = settings.outputs;
  settings.outputs = { ...outputs, originalSettings: originals, ownerId: USER_ID };
  const { originals: _in, ...inputs } = settings.inputs;
  settings.inputs = inputs;
  // Another version's provider text (0.1.0 stored its own): the next up stores the current one with a state-only
  // update, which is what writes the current layout.
  settings.inputs.__provider += "\n// stored by 0.1.0";
  settings.outputs.__provider = settings.inputs.__provider;
  settings.additionalSecretOutputs = ["extractCode", "originalSettings"];
  settings.dependencies = (settings.dependencies ?? []).filter((urn) => urn !== companion.urn);
  settings.propertyDependencies = Object.fromEntries(Object.entries(settings.propertyDependencies ?? {}).filter(([k]) => k !== "originals"));
  // And into the shape 0.2.0's refresh left: the originals among the outputs (a secret) but not among the inputs.
  const refreshed020 = resources.find((r) => r.urn.endsWith("::refreshedBy020"));
  const { originals: _in020, ...inputs020 } = refreshed020.inputs;
  refreshed020.inputs = inputs020;
  const { originalsInInputs: _mark, ...outputs020 } = refreshed020.outputs;
  refreshed020.outputs = { ...outputs020, stateVersion: 2 };
  await f.stack.importStack(deployment);
  const legacyExport = f.handle.exportPlain();
  assert.equal(legacyExport.includes(ORIGINAL_CODE), false, "the rewritten state starts with the originals as ciphertext");
  assert.match(legacyExport, /"originalSettings"/);
});
after(() => f.close());

test("a refresh of state that 0.2.0 refreshed, finding a hand edit, keeps the original access code ciphertext", async () => {
  f.emulator.changeShare(share020.shareId, { comment: "edited by hand" });
  const refresh = await f.stack.refresh();
  assert.match(refresh.stdout, /refreshedBy020\s+updated/);
  assert.equal(f.handle.exportPlain().includes(ORIGINAL_CODE_020), false, "original access code in plaintext in pulumi stack export");
  assert.equal(f.handle.rawBackendFiles().includes(ORIGINAL_CODE_020), false, "original access code in plaintext in a backend file");
});

test("a refresh of 0.1.0 state keeps the original access code ciphertext, and destroy still restores it", async () => {
  await f.stack.refresh();
  const refreshed = f.handle.exportPlain();
  assert.equal(refreshed.includes(ORIGINAL_CODE), false, "original access code in plaintext in pulumi stack export after refresh");
  assert.equal(f.handle.rawBackendFiles().includes(ORIGINAL_CODE), false, "original access code in plaintext in a backend file");
  // A second refresh (still no up) keeps it so; then up stores the current layout, still as ciphertext.
  await f.stack.refresh();
  assert.equal(f.handle.exportPlain().includes(ORIGINAL_CODE), false);
  await f.stack.up();
  const upgraded = JSON.parse(f.handle.exportPlain()).deployment.resources.find((r) => r.urn.endsWith("::legacy"));
  assert.ok(upgraded.outputs.originals?.ciphertext, "after up the originals are stored as `originals`, a secret");
  assert.equal(f.handle.rawBackendFiles().includes(ORIGINAL_CODE), false);
  await f.stack.destroy();
  assert.deepEqual(
    { extractCode: f.emulator.getShare(share.shareId).extractCode, comment: f.emulator.getShare(share.shareId).comment },
    { extractCode: ORIGINAL_CODE, comment: "original" },
  );
});
