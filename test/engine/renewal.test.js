// Links that stay alive: time moves (the emulator's clock and the provider's, as real time would move both), and
// expiry, renewal at the threshold and reported problems are checked through the real engine.
"use strict";
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { engineFixture, USER_ID } = require("./support");

const DAY = 24 * 60 * 60 * 1000;
let f;
let kept;
let plain;
before(async () => {
  f = await engineFixture({ projectName: "renewal" });
  kept = f.emulator.seedShare({ ownerId: USER_ID, validDays: 1 });
  plain = f.emulator.seedShare({ ownerId: USER_ID, validDays: 1 });
  f.desired.kept = { shareId: kept.shareId, validDays: 30, renewBeforeDays: 5 };
  f.desired.plain = { shareId: plain.shareId, validDays: 25 };
  await f.stack.up();
});
after(() => f.close());

const outputText = (result) => `${result.stdout}\n${result.stderr}`;
const expiry = (share) => Date.parse(f.emulator.getShare(share.shareId).expireTime);

test("20 days later nothing is due: preview and up report no changes and send nothing", async () => {
  await f.advanceTo(20);
  f.emulator.requests.clear();
  await f.stack.preview({ expectNoChanges: true });
  const up = await f.stack.up({ expectNoChanges: true });
  assert.deepEqual(up.summary.resourceChanges, { same: 3 });
  assert.equal(f.emulator.requests.all().length, 0);
});

test("26 days later (4 days left, renewBeforeDays 5) preview says why, and up renews with one PUT", async () => {
  await f.advanceTo(26);
  // A refresh writes nothing: it says what is due, never that it is renewing (it said "renewing for 25 days").
  const refresh = await f.stack.refresh();
  assert.match(outputText(refresh), new RegExp(`share ${plain.shareId}: the link expired at .*; due for a renewal of 25 days`));
  assert.doesNotMatch(outputText(refresh), /renewing/);
  f.emulator.requests.clear();
  const before = expiry(kept);
  const preview = await f.stack.preview();
  assert.deepEqual(preview.changeSummary, { same: 1, update: 2 }, "kept is due; plain (25 days) expired at day 25");
  assert.match(outputText(preview), new RegExp(`share ${kept.shareId}: expires within 4 days \\(renewBeforeDays 5\\): due for renewal`));
  assert.match(outputText(preview), new RegExp(`share ${plain.shareId}: the link expired at .*; due for a renewal of 25 days`));
  assert.equal(f.emulator.requests.all().length, 0, "preview decides from state");
  await f.stack.up();
  const puts = f.puts();
  assert.equal(puts.length, 2, "one PUT per link");
  assert.deepEqual(
    puts.map((p) => p.body).sort((a, b) => a.validDays - b.validDays),
    [{ validDays: 25 }, { validDays: 30 }],
  );
  const renewedTo = expiry(kept);
  assert.ok(renewedTo > before + 25 * DAY, "kept now expires 30 days after day 26");
  await f.stack.preview({ expectNoChanges: true });
});

test("a validity extended by hand beyond validDays is drift: refresh reports it, up puts the declared validity back", async () => {
  const aYearFromNow = new Date(f.emulator.clock.now() + 365 * DAY).toISOString();
  f.emulator.changeShare(kept.shareId, { expireTime: aYearFromNow });
  await assert.rejects(f.stack.refresh({ expectNoChanges: true }), "refresh --expect-no-changes fails on it");
  f.emulator.requests.clear();
  const preview = await f.stack.preview();
  assert.deepEqual(preview.changeSummary, { same: 2, update: 1 });
  assert.match(
    outputText(preview),
    new RegExp(`share ${kept.shareId}: it expires at ${aYearFromNow}, more than validDays 30 from now: validDays 30 is due again`),
  );
  await f.stack.up();
  assert.deepEqual(
    f.puts().map((p) => p.body),
    [{ validDays: 30 }],
  );
  assert.ok(expiry(kept) < f.emulator.clock.now() + 30 * DAY + 60_000, "the link expires 30 days from now again");
  await f.stack.preview({ expectNoChanges: true });
});

test("a link whose files were deleted is reported on refresh, not renewed", async () => {
  f.emulator.changeShare(plain.shareId, { status: 1 });
  await f.advanceTo(40);
  f.emulator.requests.clear();
  const refresh = await f.stack.refresh();
  assert.match(outputText(refresh), new RegExp(`share ${plain.shareId}: warning: its files were deleted \\(status 1\\)`));
  const preview = await f.stack.preview();
  assert.match(outputText(preview), new RegExp(`share ${plain.shareId}: warning: its files were deleted`));
  await f.stack.up();
  assert.deepEqual(
    f.puts().map((p) => p.path.split("/").pop()),
    [],
    "neither renewed (kept has 16 days left)",
  );
});
