"use strict";
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { engineFixture, TOKEN, USER_ID } = require("./support");

let f;
let share;
before(async () => {
  f = await engineFixture({ projectName: "lifecycle" });
  share = f.emulator.seedShare({ ownerId: USER_ID, comment: "original", extractCode: "ORIG1234", validDays: 10 });
  f.desired.report = { shareId: share.shareId, validDays: 30, extractCode: "MDg2K0vU", comment: "Q3 report for auditors" };
});
after(() => f.close());

test("preview of a new resource shows one create and sends no PUT", async () => {
  const result = await f.stack.preview({ diff: true });
  assert.deepEqual(result.changeSummary, { create: 2 });
  assert.equal(f.puts().length, 0);
  assert.equal(f.emulator.requests.all().length, 0, "preview must not even read the share");
});

test("up adopts the share with exactly one PUT carrying the declared body and headers", async () => {
  const result = await f.stack.up();
  assert.deepEqual(result.summary.resourceChanges, { create: 2 });
  const puts = f.puts();
  assert.equal(puts.length, 1);
  assert.equal(puts[0].path, `/koodrive/ose/v1/share/${share.shareId}`);
  assert.deepEqual(puts[0].body, { validDays: 30, extractCode: "MDg2K0vU", comment: "Q3 report for auditors" });
  assert.equal(puts[0].headers["x-user-id"], USER_ID);
  assert.equal(puts[0].headers["x-hw-agentname"], "engine-test");
  assert.match(puts[0].headers["x-date"], /^\d{8}T\d{6}Z$/);
  assert.match(puts[0].headers["x-traceid"], /^[0-9a-f]{58}$/);
  assert.equal(puts[0].headers.authorization, "Bearer [REDACTED]");
  assert.equal(puts[0].auth, "token");
  assert.equal(result.outputs.reportComment.value, "Q3 report for auditors");
  assert.match(result.outputs.reportExpireTime.value, /^\d{4}-\d{2}-\d{2}T/);
  assert.equal(f.emulator.getShare(share.shareId).comment, "Q3 report for auditors");
});

test("a second preview and up report no changes and send no PUT", async () => {
  f.emulator.requests.clear();
  const preview = await f.stack.preview({ expectNoChanges: true });
  assert.deepEqual(preview.changeSummary, { same: 2 });
  const up = await f.stack.up({ expectNoChanges: true });
  assert.deepEqual(up.summary.resourceChanges, { same: 2 });
  assert.equal(f.puts().length, 0);
});

test("changing one field is one update naming that field, applied with one PUT", async () => {
  f.emulator.requests.clear();
  f.desired.report = { ...f.desired.report, comment: "Q3 report, final" };
  const preview = await f.stack.preview({ diff: true });
  assert.deepEqual(preview.changeSummary, { same: 1, update: 1 });
  assert.match(preview.stdout, /~ comment\s*: "Q3 report for auditors" => "Q3 report, final"/);
  assert.doesNotMatch(preview.stdout, /~ validDays|~ extractCode|~ shareId/);
  assert.equal(f.puts().length, 0);
  const up = await f.stack.up();
  assert.deepEqual(up.summary.resourceChanges, { same: 1, update: 1 });
  assert.deepEqual(
    f.puts().map((r) => r.body),
    [{ validDays: 30, extractCode: "MDg2K0vU", comment: "Q3 report, final" }],
  );
});

/** The share resource's stored inputs (exportStack decrypts secrets), without the serialized provider. */
async function storedInputs() {
  const state = await f.stack.exportStack();
  const { __provider, ...inputs } = state.deployment.resources.find((r) => r.urn.endsWith("::report")).inputs;
  return inputs;
}

test("refresh reveals an out-of-band change, and the next up restores the declared settings; the README's drift check fails until then", async () => {
  // Nothing changed: the refresh leaves the stored inputs as the program declared them.
  const declared = await storedInputs();
  await f.stack.refresh({ expectNoChanges: true });
  assert.deepEqual(await storedInputs(), declared);
  f.emulator.changeShare(share.shareId, { comment: "edited in the console" });
  const driftCheck = () => f.stack.preview({ refresh: true, expectNoChanges: true });
  // The failure names what drifted: the resource to update and the changed property, not only "changes".
  const driftFound = /no changes were expected[\s\S]*ShareSettings report update \[diff: ~comment\]/;
  await assert.rejects(driftCheck(), driftFound, "the drift check finds the change");
  f.emulator.requests.clear();
  const refresh = await f.stack.refresh();
  assert.deepEqual(refresh.summary.resourceChanges, { same: 1, update: 1 });
  assert.equal(f.puts().length, 0);
  // The change is stored among the inputs, so the refresh after it has nothing more to show.
  assert.deepEqual(await storedInputs(), { ...declared, comment: "edited in the console" });
  await f.stack.refresh({ expectNoChanges: true });
  await assert.rejects(driftCheck(), driftFound, "the drift check still fails after a refresh recorded the change");
  const preview = await f.stack.preview({ diff: true });
  assert.deepEqual(preview.changeSummary, { same: 1, update: 1 });
  assert.match(preview.stdout, /~ comment\s*: "edited in the console" => "Q3 report, final"/);
  await f.stack.up();
  assert.equal(f.puts().length, 1);
  assert.equal(f.emulator.getShare(share.shareId).comment, "Q3 report, final");
  const again = await f.stack.refresh({ expectNoChanges: true });
  assert.deepEqual(again.summary.resourceChanges, { same: 2 });
  await driftCheck();
});

test("an expired link is drift: refresh and preview show an update saying why, up renews it with one PUT", async () => {
  f.emulator.changeShare(share.shareId, { expireTime: "2020-01-01T00:00:00.000Z" });
  await f.stack.refresh();
  f.emulator.requests.clear();
  const preview = await f.stack.preview({ diff: true });
  assert.deepEqual(preview.changeSummary, { same: 1, update: 1 });
  assert.match(
    `${preview.stdout}\n${preview.stderr}`,
    new RegExp(`koodrive: share ${share.shareId}: the link expired at 2020-01-01T00:00:00.000Z; due for a renewal of 30 days`),
  );
  assert.equal(f.emulator.requests.all().length, 0, "preview decides from state, without a request");
  const up = await f.stack.up();
  assert.deepEqual(up.summary.resourceChanges, { same: 1, update: 1 });
  assert.equal(f.puts().length, 1);
  assert.ok(Date.parse(f.emulator.getShare(share.shareId).expireTime) > Date.now() + 29 * 86400_000, "renewed for 30 days");
  const again = await f.stack.preview({ expectNoChanges: true });
  assert.deepEqual(again.changeSummary, { same: 2 });
});

test("changing shareId replaces the resource", async () => {
  const other = f.emulator.seedShare({ ownerId: USER_ID, comment: "second" });
  f.emulator.requests.clear();
  f.desired.report = { ...f.desired.report, shareId: other.shareId };
  const preview = await f.stack.preview({ diff: true });
  assert.deepEqual(preview.changeSummary, { same: 1, replace: 1 });
  const up = await f.stack.up();
  assert.deepEqual(up.summary.resourceChanges, { same: 1, replace: 1 });
  assert.deepEqual(
    f.puts().map((r) => r.path),
    [`/koodrive/ose/v1/share/${other.shareId}`],
    "retain: the old share is left alone",
  );
  assert.equal(f.emulator.getShare(other.shareId).comment, "Q3 report, final");
});

test("destroy with onDelete retain sends nothing", async () => {
  f.emulator.requests.clear();
  const result = await f.stack.destroy();
  assert.deepEqual(result.summary.resourceChanges, { delete: 2 });
  assert.equal(f.emulator.requests.all().length, 0);
});

test("the token never reached the emulator's log in plaintext", () => {
  assert.equal(JSON.stringify(f.emulator.requests.all()).includes(TOKEN), false);
});
