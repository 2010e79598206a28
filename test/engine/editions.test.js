// The enterprise edition: the same resource means the same thing to the user as on the carrier edition.
"use strict";
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { engineFixture, USER_ID } = require("./support");

let f;
let share;
let neverExpiring;
before(async () => {
  f = await engineFixture({ projectName: "enterprise", edition: "enterprise" });
  share = f.emulator.seedShare({ ownerId: USER_ID, comment: "as found", extractCode: "Orig1234", validDays: 20 });
  neverExpiring = f.emulator.seedShare({ ownerId: USER_ID, comment: "permanent", validDays: 0 });
});
after(() => f.close());

test("validDays 0 is refused at preview, naming the edition's meaning of 0, and nothing is sent", async () => {
  f.desired.zero = { shareId: share.shareId, validDays: 0 };
  await assert.rejects(
    f.stack.preview(),
    /validDays 0 \(no validity period\) cannot be declared on the enterprise edition, where KooDrive reads 0 as "keep the current expiry"/,
  );
  assert.equal(f.emulator.requests.all().length, 0);
  delete f.desired.zero;
});

test("adopt, update, refresh and destroy with restore work as on the carrier edition", async () => {
  f.desired.report = { shareId: share.shareId, validDays: 7, comment: "declared", onDelete: "restore" };
  f.desired.permanent = { shareId: neverExpiring.shareId, validDays: 3, comment: "limited now", onDelete: "restore" };
  await f.stack.up();
  const afterUp = f.emulator.getShare(share.shareId);
  assert.equal(afterUp.comment, "declared");
  assert.ok(Math.abs(Date.parse(afterUp.expireTime) - (Date.now() + 7 * 86400_000)) < 3600_000, "7 days from now");
  f.desired.report = { ...f.desired.report, comment: "declared again" };
  await f.stack.up();
  await f.stack.refresh({ expectNoChanges: true });
  const destroy = await f.stack.destroy();
  assert.deepEqual(
    { comment: f.emulator.getShare(share.shareId).comment, extractCode: f.emulator.getShare(share.shareId).extractCode },
    { comment: "as found", extractCode: "Orig1234" },
  );
  // "Never expires" cannot be set again on enterprise: the narrower current expiry is kept, and the user is told.
  assert.equal(f.emulator.getShare(neverExpiring.shareId).comment, "permanent");
  assert.ok(f.emulator.getShare(neverExpiring.shareId).expireTime, "keeps the current (narrower) expiry");
  assert.match(`${destroy.stdout}\n${destroy.stderr}`, /the original share never expired, which the enterprise API cannot set again/);
});
