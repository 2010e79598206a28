"use strict";
// getShare/listShares in a real program: Promise and Output forms, connection settings from stack config, and the
// access code a secret in the stack outputs of the Output forms.
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { shareStack, USER_ID, OTHER_USER_ID } = require("./shareSupport");

const CODE = "LkUp2026";
let f;
let coded;
let theirs;

before(async () => {
  f = await shareStack({
    projectName: "lookups",
    lookups(koodrive, outputs) {
      outputs.viaPromise = koodrive.getShare({ shareId: coded.shareId }).then((s) => ({ comment: s.comment, views: s.viewCount, owner: s.ownerId }));
      outputs.viaOutput = koodrive.getShareOutput({ shareId: coded.shareId });
      outputs.theirsOwner = koodrive.getShare({ shareId: theirs.shareId, userId: OTHER_USER_ID }).then((s) => s.ownerId);
      outputs.reportCount = koodrive.listShares({ displayName: "report" }).then((r) => r.shares.length);
      outputs.listed = koodrive.listSharesOutput({});
    },
  });
  coded = f.emulator.seedShare({ ownerId: USER_ID, fileIds: ["Report-Q3.pdf"], comment: "for auditors", extractCode: CODE });
  for (let i = 0; i < 120; i++) f.emulator.seedShare({ ownerId: USER_ID, fileIds: [i < 10 ? `report-${i}.pdf` : `photo-${i}.jpg`] });
  theirs = f.emulator.seedShare({ ownerId: OTHER_USER_ID });
});
after(() => f.close());

test("lookups call KooDrive during preview too (they run in the program)", async () => {
  await f.stack.preview();
  const gets = f.emulator.requests.all().filter((r) => r.method === "GET");
  assert.ok(gets.some((r) => r.path.endsWith(`/share/${coded.shareId}`)));
  assert.ok(gets.some((r) => r.path === "/koodrive/ose/v1/share"));
});

test("up exports the lookups' results; the Output form's access code is a secret, never plaintext in state", async () => {
  const up = await f.stack.up();
  assert.deepEqual(up.outputs.viaPromise.value, { comment: "for auditors", views: 0, owner: USER_ID });
  assert.equal(up.outputs.viaPromise.secret, false);
  assert.equal(up.outputs.theirsOwner.value, OTHER_USER_ID);
  assert.equal(up.outputs.reportCount.value, 11, "all pages, filtered on displayName case-insensitively");
  assert.equal(up.outputs.viaOutput.secret, true);
  assert.equal(up.outputs.viaOutput.value.extractCode, CODE);
  assert.equal(up.outputs.viaOutput.value.shareId, coded.shareId);
  assert.equal(up.outputs.listed.secret, true);
  assert.equal(up.outputs.listed.value.shares.length, 121);
  const exported = f.handle.exportPlain();
  assert.equal(exported.includes(CODE), false, "access code in plaintext in the exported stack");
  assert.match(exported, /"viaPromise"/);
});
