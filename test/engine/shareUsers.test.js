"use strict";
// KooDriveShare on the real engine with HMAC app auth: two users' shares in one stack (`userId`), and a change of
// owner replacing the share.
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { shareStack, APP_SECRET, USER_ID, OTHER_USER_ID } = require("./shareSupport");

const CONTAINER = "IAAB5thdWzxEoAsiA1681759183084696448";
let f;

before(async () => {
  f = await shareStack({ projectName: "share-users", auth: "app" });
  f.desired.mine = { kind: "share", args: { fileIds: ["FileMine01"], containerId: CONTAINER, scope: 1, validDays: 10, comment: "mine" } };
  f.desired.theirs = {
    kind: "share",
    args: { fileIds: ["FileTheirs01"], containerId: CONTAINER, scope: 3, validDays: 10, comment: "theirs", userId: OTHER_USER_ID },
  };
});
after(() => f.close());

test("one stack creates shares for two users, each POST signed for its owner", async () => {
  const up = await f.stack.up();
  assert.deepEqual(up.summary.resourceChanges, { create: 3 });
  const byOwner = Object.fromEntries(f.creates().map((r) => [r.body.comment, r.headers["x-user-id"]]));
  assert.deepEqual(byOwner, { mine: USER_ID, theirs: OTHER_USER_ID });
  assert.ok(f.creates().every((r) => r.auth === "app" && r.status === 200));
  assert.equal(f.emulator.getShare(up.outputs.mineId.value).ownerId, USER_ID);
  assert.equal(f.emulator.getShare(up.outputs.theirsId.value).ownerId, OTHER_USER_ID);
  assert.equal(f.handle.exportPlain().includes(APP_SECRET), false);
});

test("refresh reads each share as its owner: no change", async () => {
  f.emulator.requests.clear();
  const refresh = await f.stack.refresh({ expectNoChanges: true });
  assert.deepEqual(refresh.summary.resourceChanges, { same: 3 });
  const reads = f.emulator.requests.all().filter((r) => r.method === "GET");
  assert.deepEqual(reads.map((r) => r.headers["x-user-id"]).sort(), [USER_ID, OTHER_USER_ID].sort());
  assert.ok(reads.every((r) => r.status === 200));
});

test("changing the owner replaces the share: created for the new owner, cancelled as the old one", async () => {
  const before = (await f.stack.outputs()).theirsId.value;
  f.emulator.requests.clear();
  f.desired.theirs.args = { ...f.desired.theirs.args, userId: USER_ID };
  const preview = await f.stack.preview({ diff: true });
  assert.deepEqual(preview.changeSummary, { same: 2, replace: 1 });
  const up = await f.stack.up();
  assert.equal(f.emulator.getShare(up.outputs.theirsId.value).ownerId, USER_ID);
  assert.deepEqual(
    f.cancels().map((r) => [r.body.shareIds[0], r.headers["x-user-id"]]),
    [[before, OTHER_USER_ID]],
  );
  assert.equal(f.emulator.getShare(before), undefined);
});

test("destroy cancels each share as its owner", async () => {
  const result = await f.stack.destroy();
  assert.deepEqual(result.summary.resourceChanges, { delete: 3 });
  assert.ok(f.cancels().every((r) => r.status === 200));
});
