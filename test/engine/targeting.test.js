"use strict";
// Engine options that pick resources (--exclude, --target) with restoring shares, whose settings resource depends on
// a `-originals` companion: the originals must be read before the first write, whatever the engine leaves out.
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { engineFixture, USER_ID } = require("./support");

const ORIGINAL = { comment: "original", extractCode: "ORIG1234" };

let f;
before(async () => {
  f = await engineFixture({ projectName: "targeting" });
});
after(() => f.close());

const urn = (type, name) => `urn:pulumi:${f.stack.name}::targeting::pulumi-nodejs:dynamic/koodrive:${type}::${name}`;

test("up --exclude of a new restoring share's companion writes nothing; a full up then restores on destroy", async () => {
  const share = f.emulator.seedShare({ ownerId: USER_ID, ...ORIGINAL, validDays: 10 });
  f.desired.k = { shareId: share.shareId, validDays: 30, extractCode: "NEWCODE1", comment: "declared", onDelete: "restore" };
  f.emulator.requests.clear();
  // Without the refusal, the engine created the settings resource (one PUT, no originals read) and then failed the
  // run with a snapshot integrity error; the companion of a later up read the declared settings as the "originals".
  await assert.rejects(
    f.stack.up({ exclude: [urn("ShareOriginals", "k-originals")] }),
    /share \d+: onDelete "restore" needs the share's original settings, and its `-originals` companion did not read them in this run[\s\S]*nothing was written/,
  );
  assert.equal(f.puts().length, 0, "nothing was written");
  assert.deepEqual(pick(f.emulator.getShare(share.shareId)), ORIGINAL);
  // The stack is left consistent: the next preview and up work without repairing state.
  await f.stack.preview();
  await f.stack.up();
  assert.equal(f.emulator.getShare(share.shareId).comment, "declared");
  await f.stack.destroy();
  assert.deepEqual(pick(f.emulator.getShare(share.shareId)), ORIGINAL, "destroy restored the true originals");
  delete f.desired.k;
});

test("up --exclude of an existing companion still updates with the recorded originals; destroy --target restores one share", async () => {
  const share = f.emulator.seedShare({ ownerId: USER_ID, ...ORIGINAL, validDays: 10 });
  f.desired.m = { shareId: share.shareId, validDays: 30, extractCode: "NEWCODE2", comment: "declared", onDelete: "restore" };
  await f.stack.up();
  f.desired.m = { ...f.desired.m, comment: "declared again" };
  const up = await f.stack.up({ exclude: [urn("ShareOriginals", "m-originals")] });
  assert.equal(up.summary.resourceChanges?.update, 1);
  assert.equal(f.emulator.getShare(share.shareId).comment, "declared again");
  const destroy = await f.stack.destroy({ target: [urn("ShareSettings", "m")] });
  assert.equal(destroy.summary.resourceChanges?.delete, 1, "only the targeted settings resource is deleted");
  assert.deepEqual(pick(f.emulator.getShare(share.shareId)), ORIGINAL, "its destroy restored the originals");
  // The companion stays in state; a full destroy deletes it without touching the share again.
  f.emulator.requests.clear();
  await f.stack.destroy();
  assert.equal(f.puts().length, 0);
  delete f.desired.m;
});

function pick(share) {
  return { comment: share.comment, extractCode: share.extractCode };
}
