"use strict";
// The whole lifecycle against the leanest answers KooDrive's API pages show (the emulator's `answers: "lean"`,
// enterprise edition): a modify answer without linkUrl or status, cancel results that name no share. The outputs keep
// the link, and a destroy of several shares cancels each.
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { shareStack, USER_ID } = require("./shareSupport");

const CONTAINER = "IAAB5thdWzxEoAsiA1681759183084696448";
const DAY = 86400_000;
const NAMES = ["alpha", "beta", "gamma"];
let f;
let adoptedId;
/** The created shares' IDs. @type {string[]} */
let ids = [];

/** The settings resource's outputs in state (the fixture exports only the shares'). */
function settingsOutputs() {
  const state = JSON.parse(f.handle.exportPlain());
  return state.deployment.resources.find((r) => r.type === "pulumi-nodejs:dynamic/koodrive:ShareSettings").outputs;
}

before(async () => {
  f = await shareStack({ projectName: "lean-answers", edition: "enterprise", answers: "lean" });
  for (const name of NAMES) {
    f.desired[name] = { kind: "share", args: { fileIds: [`File-${name}`], containerId: CONTAINER, scope: 1, validDays: 7, comment: name } };
  }
  adoptedId = f.emulator.seedShare({ ownerId: USER_ID, comment: "by hand", validDays: 7 }).shareId;
  f.desired.adopted = { kind: "settings", args: { shareId: adoptedId, validDays: 7, comment: "managed" } };
});
after(() => f.close());

test("up creates and adopts; every link is in the outputs", async () => {
  const up = await f.stack.up();
  assert.deepEqual(up.summary.resourceChanges, { create: 5 });
  ids = NAMES.map((name) => String(up.outputs[`${name}Id`].value));
  for (const name of NAMES) assert.equal(up.outputs[`${name}Link`].value, f.emulator.getShare(up.outputs[`${name}Id`].value).linkUrl);
  assert.equal(settingsOutputs().linkUrl, f.emulator.getShare(adoptedId).linkUrl);
  assert.equal(settingsOutputs().status, 0);
});

test("updates and renewals keep the link in the outputs although the modify answer leaves it out", async () => {
  for (const name of NAMES) f.desired[name].args = { ...f.desired[name].args, comment: `${name}, v2` };
  const updated = await f.stack.up();
  assert.deepEqual(updated.summary.resourceChanges, { same: 2, update: 3 });
  for (const name of NAMES) assert.match(String(updated.outputs[`${name}Link`].value), /\S/);
  // A week later every link has expired: refresh shows it, up renews each with a PUT, and the links stay.
  f.emulator.clock.advance(8 * DAY);
  await f.stack.refresh();
  const renewed = await f.stack.up();
  assert.deepEqual(renewed.summary.resourceChanges, { same: 1, update: 4 });
  for (const name of NAMES) {
    assert.equal(renewed.outputs[`${name}Link`].value, f.emulator.getShare(renewed.outputs[`${name}Id`].value).linkUrl);
    assert.equal(f.emulator.getShare(renewed.outputs[`${name}Id`].value).status, 0);
  }
  assert.equal(settingsOutputs().linkUrl, f.emulator.getShare(adoptedId).linkUrl);
  assert.equal(settingsOutputs().status, 0);
});

test("destroy cancels every share although the cancel results name none", async () => {
  assert.equal(ids.length, 3);
  f.emulator.requests.clear();
  const destroyed = await f.stack.destroy();
  assert.deepEqual(destroyed.summary.resourceChanges, { delete: 5 });
  for (const id of ids) assert.equal(f.emulator.getShare(id), undefined);
  // (One call or more: the engine starts deletes as it goes, and a call out takes the next ones in the following call.
  // A fresh provider process's first request may be refused for its X-Date, the emulator's clock having moved a week
  // ahead: it learns KooDrive's clock from that answer and sends again.)
  const applied = f.cancels().filter((r) => r.status === 200);
  assert.deepEqual(applied.flatMap((r) => r.body.shareIds).sort(), [...ids].sort(), "each share cancelled once");
  assert.equal(f.emulator.getShare(adoptedId)?.comment, "managed", "the adopted share is retained");
});
