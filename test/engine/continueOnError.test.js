"use strict";
// `pulumi up --continue-on-error`, what a pipeline with many shares runs so that one share it cannot change (deleted
// by hand, another owner's) does not hold back the others: the engine goes on with every step that does not depend on
// the failed one. The provider must not let one failure spoil the process's other requests.
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { engineFixture, USER_ID } = require("./support");

let f;
before(async () => {
  f = await engineFixture({ projectName: "continue-on-error" });
});
after(() => f.close());

test("up --continue-on-error: a share that does not exist fails alone, every other share is applied, and the next up converges", async () => {
  const shares = Array.from({ length: 12 }, (_, i) => f.emulator.seedShare({ ownerId: USER_ID, comment: `original ${i}` }));
  // Restoring and retaining shares alternate; the missing one sits among them in declaration order.
  shares.forEach((share, i) => {
    f.desired[`link${i}`] = { shareId: share.shareId, comment: `declared ${i}`, validDays: 7, onDelete: i % 2 === 0 ? "restore" : "retain" };
    if (i === 5) f.desired.gone = { shareId: "999999999999", comment: "declared", validDays: 7, onDelete: "restore" };
  });
  await assert.rejects(
    f.stack.up({ continueOnError: true }),
    /KooDrive share 999999999999 was not found, or is not owned by user \d+: a share must exist before its settings can be managed \(nothing was changed\)/,
  );
  assert.deepEqual(
    shares.map((s) => f.emulator.getShare(s.shareId)?.comment),
    shares.map((_, i) => `declared ${i}`),
    "every share but the missing one was applied",
  );
  const names = (await f.stack.exportStack()).deployment.resources.map((r) => r.urn.split("::").pop());
  assert.equal(names.filter((n) => /^link\d+$/.test(n)).length, 12);
  assert.equal(names.filter((n) => /^link\d+-originals$/.test(n)).length, 6);
  assert.deepEqual(
    names.filter((n) => n.startsWith("gone")),
    [],
    "nothing recorded for the missing share",
  );

  // The pipeline's next run, once the program no longer declares the missing share: nothing left to do, nothing sent.
  delete f.desired.gone;
  f.emulator.requests.clear();
  const again = await f.stack.up();
  assert.deepEqual(again.summary.resourceChanges, { same: 19 });
  assert.equal(f.emulator.requests.all().length, 0);

  const destroyed = await f.stack.destroy();
  assert.deepEqual(destroyed.summary.resourceChanges, { delete: 19 });
  assert.deepEqual(
    shares.map((s) => f.emulator.getShare(s.shareId)?.comment),
    shares.map((_, i) => (i % 2 === 0 ? `original ${i}` : `declared ${i}`)),
    "destroy restored the restoring shares and left the others",
  );
});

test("destroy --continue-on-error: a restore KooDrive refuses fails alone, keeps its originals in state, and the next destroy restores them", async () => {
  const shares = Array.from({ length: 8 }, (_, i) => f.emulator.seedShare({ ownerId: USER_ID, comment: `kept ${i}`, validDays: 30 }));
  for (const key of Object.keys(f.desired)) delete f.desired[key];
  shares.forEach((share, i) => {
    f.desired[`keep${i}`] = { shareId: share.shareId, comment: `managed ${i}`, validDays: 7, onDelete: i % 2 === 0 ? "restore" : "retain" };
  });
  await f.stack.up();
  f.emulator.requests.clear();
  // The first request of the destroy is refused (400, final: no retry helps), whichever restoring share sends it.
  f.emulator.faults.set({ failNext: 1, failStatus: 400 });
  await assert.rejects(f.stack.destroy({ continueOnError: true }), /injected fault/);
  const [refused] = f.emulator.requests.all();
  const refusedShare = refused.path.split("/").pop();
  const stillManaged = shares.filter((s) => s.shareId !== refusedShare && f.emulator.getShare(s.shareId)?.comment.startsWith("managed"));
  assert.deepEqual(
    stillManaged.map((s) => shares.indexOf(s)),
    [1, 3, 5, 7],
    "every other restoring share was restored; the retained ones were left as they were",
  );
  const left = (await f.stack.exportStack()).deployment.resources.map((r) => r.urn.split("::").pop()).filter((n) => n.startsWith("keep"));
  const refusedName = `keep${shares.findIndex((s) => s.shareId === refusedShare)}`;
  assert.deepEqual(left.sort(), [refusedName, `${refusedName}-originals`].sort(), "the refused share and its originals stay in state");

  const again = await f.stack.destroy();
  assert.deepEqual(again.summary.resourceChanges, { delete: 3 }, "the share, its originals and the stack");
  assert.deepEqual(
    shares.map((s) => f.emulator.getShare(s.shareId)?.comment),
    shares.map((_, i) => (i % 2 === 0 ? `kept ${i}` : `managed ${i}`)),
    "the next destroy restored the refused share's originals",
  );
});
