// Who manages a share: two resources for one share, and renames with onDelete "restore" (with and without aliases).
"use strict";
const assert = require("node:assert/strict");
const { after, before, describe, test } = require("node:test");
const { execFileSync } = require("node:child_process");
const path = require("node:path");
const { engineFixture, USER_ID } = require("./support");

const ORIGINAL = { comment: "as found", extractCode: "Orig1234" };

/** Runs a preview that must fail in a child process (see programs/failingPreview.js). */
function failingPreview(scenario) {
  return JSON.parse(execFileSync(process.execPath, [path.join(__dirname, "programs/failingPreview.js"), scenario], { encoding: "utf8", env: process.env }));
}

describe("mistakes only the program can see", () => {
  test("a misspelt argument fails preview naming it, and nothing is sent", () => {
    const seen = failingPreview("typo");
    assert.match(seen.text, /KooDriveShareSettings "typo": unknown argument "extractcode"/);
    assert.equal(seen.requests, 0);
  });

  test("two resources for one share fail preview naming both, and nothing is sent", () => {
    const seen = failingPreview("twice");
    assert.match(seen.text, new RegExp(`share ${seen.shareId} is managed by two resources, KooDriveShareSettings "first" and KooDriveShareSettings "second"`));
    assert.equal(seen.requests, 0);
  });
});

describe("renaming a resource with onDelete restore", () => {
  let f;
  let share;
  before(async () => {
    f = await engineFixture({ projectName: "rename" });
    share = f.emulator.seedShare({ ownerId: USER_ID, ...ORIGINAL, validDays: 20 });
  });
  after(() => f.close());

  test("without aliases the old resource's delete does not undo the new one's settings, and says why", async () => {
    f.desired.old = { shareId: share.shareId, validDays: 3, comment: "declared", onDelete: "restore" };
    await f.stack.up();
    delete f.desired.old;
    f.desired.renamed = { shareId: share.shareId, validDays: 3, comment: "declared", onDelete: "restore" };
    const up = await f.stack.up();
    assert.deepEqual(up.summary.resourceChanges, { same: 1, create: 2, delete: 2 });
    assert.equal(f.emulator.getShare(share.shareId).comment, "declared", "the share keeps the declared settings");
    assert.match(`${up.stdout}\n${up.stderr}`, new RegExp(`share ${share.shareId}: warning: NOT restoring the original settings`));
    await f.stack.destroy();
  });
});

describe("renaming a resource with onDelete restore through aliases", () => {
  let f;
  let share;
  before(async () => {
    f = await engineFixture({ projectName: "alias" });
    share = f.emulator.seedShare({ ownerId: USER_ID, ...ORIGINAL, validDays: 20 });
  });
  after(() => f.close());

  test("is no change at all, and destroy still restores the true originals", async () => {
    f.desired.old = { shareId: share.shareId, validDays: 3, comment: "declared", extractCode: "Decl4567", onDelete: "restore" };
    await f.stack.up();
    delete f.desired.old;
    f.desired.renamed = { shareId: share.shareId, validDays: 3, comment: "declared", extractCode: "Decl4567", onDelete: "restore" };
    f.options.renamed = { aliases: [{ name: "old" }] };
    f.emulator.requests.clear();
    const up = await f.stack.up();
    assert.deepEqual(up.summary.resourceChanges, { same: 3 });
    assert.equal(f.emulator.requests.all().length, 0);
    await f.stack.destroy();
    assert.deepEqual({ comment: f.emulator.getShare(share.shareId).comment, extractCode: f.emulator.getShare(share.shareId).extractCode }, ORIGINAL);
  });
});
