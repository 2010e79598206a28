"use strict";
// KooDriveShare on the real engine (token auth, carrier edition): create → update → renew → replace → a lost create
// answer → cancel on destroy.
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { shareStack, TOKEN, USER_ID } = require("./shareSupport");

const CONTAINER = "IAAB5thdWzxEoAsiA1681759183084696448";
const CODE = "MDg2K0vU";
const DAY = 86400_000;
let f;
let reportId;

before(async () => {
  f = await shareStack({ projectName: "share-lifecycle" });
  f.desired.report = {
    kind: "share",
    args: { fileIds: ["FileQ3report01"], containerId: CONTAINER, scope: 1, validDays: 30, extractCode: CODE, comment: "Q3 report" },
  };
});
after(() => f.close());

test("preview of a new share shows one create and sends nothing", async () => {
  const preview = await f.stack.preview({ diff: true });
  assert.deepEqual(preview.changeSummary, { create: 2 });
  assert.equal(f.emulator.requests.all().length, 0);
});

test("up creates the share with one POST; the access code is a secret in state and outputs", async () => {
  const up = await f.stack.up();
  assert.deepEqual(up.summary.resourceChanges, { create: 2 });
  assert.equal(f.creates().length, 1);
  assert.deepEqual(f.creates()[0].body, {
    scope: 1,
    fileIds: ["FileQ3report01"],
    containerId: CONTAINER,
    validDays: 30,
    extractCode: CODE,
    comment: "Q3 report",
  });
  reportId = up.outputs.reportId.value;
  const live = f.emulator.getShare(reportId);
  assert.equal(live.ownerId, USER_ID);
  assert.equal(up.outputs.reportLink.value, live.linkUrl);
  assert.equal(up.outputs.reportCode.secret, true);
  const exported = f.handle.exportPlain();
  assert.equal(exported.includes(CODE), false, "access code in plaintext in the exported stack");
  assert.equal(f.handle.rawBackendFiles().includes(CODE), false, "access code in plaintext in the backend files");
  assert.equal(exported.includes(TOKEN), false);
});

test("the Share's serialized provider is small, loads the implementation by name and holds no secret", () => {
  const state = JSON.parse(f.handle.exportPlain());
  const share = state.deployment.resources.find((r) => r.type === "pulumi-nodejs:dynamic/koodrive:Share");
  const text = share.outputs.__provider;
  assert.equal(typeof text, "string", "__provider is plain text (it captured no secret Output)");
  const bytes = Buffer.byteLength(text, "utf8");
  console.log(`serialized provider for KooDriveShare: ${bytes} bytes`);
  assert.ok(bytes < 8 * 1024, `provider closure is ${bytes} bytes`);
  assert.match(text, /require\("pulumi-koodrive\/provider-impl"\)/);
  assert.doesNotMatch(text, /zod|axios|Bearer|HMAC|KOODRIVE_|127\.0\.0\.1/);
  assert.ok(share.outputs.extractCode.ciphertext, "the access code is a secret output");
  assert.ok(share.inputs.extractCode.ciphertext, "and a secret input");
});

test("a second preview and up change nothing and send nothing", async () => {
  f.emulator.requests.clear();
  const preview = await f.stack.preview({ expectNoChanges: true });
  assert.deepEqual(preview.changeSummary, { same: 2 });
  assert.equal(f.emulator.requests.all().length, 0);
});

test("a comment change is one update applied with one PUT", async () => {
  f.emulator.requests.clear();
  f.desired.report.args = { ...f.desired.report.args, comment: "Q3 report, final" };
  const preview = await f.stack.preview({ diff: true });
  assert.deepEqual(preview.changeSummary, { same: 1, update: 1 });
  assert.match(preview.stdout, /~ comment\s*: "Q3 report" => "Q3 report, final"/);
  const up = await f.stack.up();
  assert.deepEqual(up.summary.resourceChanges, { same: 1, update: 1 });
  assert.deepEqual(
    f.puts().map((r) => r.body),
    [{ validDays: 30, extractCode: CODE, comment: "Q3 report, final" }],
  );
  assert.equal(f.creates().length, 0);
});

test("an expired link is drift: refresh + preview show an update saying why, up renews it with one PUT", async () => {
  f.emulator.changeShare(reportId, { expireTime: "2020-01-01T00:00:00.000Z" });
  await f.stack.refresh();
  f.emulator.requests.clear();
  const preview = await f.stack.preview({ diff: true });
  assert.deepEqual(preview.changeSummary, { same: 1, update: 1 });
  assert.match(
    `${preview.stdout}\n${preview.stderr}`,
    new RegExp(`koodrive: share ${reportId}: the link expired at 2020-01-01T00:00:00.000Z; due for a renewal of 30 days`),
  );
  const up = await f.stack.up();
  assert.deepEqual(up.summary.resourceChanges, { same: 1, update: 1 });
  assert.equal(f.puts().length, 1);
  assert.ok(Date.parse(f.emulator.getShare(reportId).expireTime) > Date.now() + 29 * DAY, "renewed for 30 days");
});

test("renewBeforeDays: no PUT while the link has more left; one PUT once it has less", async () => {
  f.emulator.requests.clear();
  f.desired.report.args = { ...f.desired.report.args, renewBeforeDays: 5 };
  const declare = await f.stack.up();
  assert.deepEqual(declare.summary.resourceChanges, { same: 1, update: 1 }, "a state-only update");
  f.emulator.changeShare(reportId, { expireTime: new Date(Date.now() + 6 * DAY).toISOString() });
  await f.stack.refresh();
  assert.deepEqual((await f.stack.preview({ expectNoChanges: true })).changeSummary, { same: 2 }, "6 days left: not due");
  f.emulator.changeShare(reportId, { expireTime: new Date(Date.now() + 3 * DAY - 60_000).toISOString() });
  await f.stack.refresh();
  const preview = await f.stack.preview({ diff: true });
  assert.deepEqual(preview.changeSummary, { same: 1, update: 1 });
  assert.match(`${preview.stdout}\n${preview.stderr}`, /expires within 3 days \(renewBeforeDays 5\): due for renewal/);
  assert.equal(f.puts().length, 0);
  await f.stack.up();
  assert.equal(f.puts().length, 1);
  assert.ok(Date.parse(f.emulator.getShare(reportId).expireTime) > Date.now() + 29 * DAY);
});

test("changing fileIds replaces the share: the new one is created, then the old one cancelled", async () => {
  f.emulator.requests.clear();
  f.desired.report.args = { ...f.desired.report.args, fileIds: ["FileQ3report01", "FileQ3appendix"] };
  const preview = await f.stack.preview({ diff: true });
  assert.deepEqual(preview.changeSummary, { same: 1, replace: 1 });
  const up = await f.stack.up();
  assert.deepEqual(up.summary.resourceChanges, { same: 1, replace: 1 });
  const newId = up.outputs.reportId.value;
  assert.notEqual(newId, reportId);
  assert.deepEqual(
    f.creates().map((r) => r.body.fileIds),
    [["FileQ3report01", "FileQ3appendix"]],
  );
  assert.deepEqual(
    f.cancels().map((r) => r.body),
    [{ shareIds: [reportId] }],
  );
  assert.equal(f.emulator.getShare(reportId), undefined);
  reportId = newId;
});

test("a create whose answer is lost after KooDrive applied it: no orphan, no duplicate", async () => {
  f.emulator.requests.clear();
  f.desired.brochure = { kind: "share", args: { fileIds: ["FileBrochure1"], containerId: CONTAINER, scope: 3, validDays: 7, comment: "brochure" } };
  f.emulator.faults.set({ dropAfterApplyNext: 1 });
  const up = await f.stack.up();
  assert.deepEqual(up.summary.resourceChanges, { same: 2, create: 1 });
  assert.equal(f.creates().length, 1, "the POST was not repeated");
  assert.equal(f.creates()[0].fault, "dropAfterApply");
  const brochureId = up.outputs.brochureId.value;
  assert.equal(f.emulator.getShare(brochureId).comment, "brochure");
  assert.match(up.stdout, new RegExp(`share ${brochureId}: the create's answer was lost`));
  const again = await f.stack.preview({ expectNoChanges: true });
  assert.deepEqual(again.changeSummary, { same: 3 });
});

test("a KooDriveShareSettings on a share a KooDriveShare manages fails preview naming both", async () => {
  f.desired.clash = { kind: "settings", args: { shareId: reportId, validDays: 30 } };
  await assert.rejects(f.stack.preview(), (e) => {
    assert.match(
      String(e),
      new RegExp(
        `share ${reportId} is managed by two resources, (KooDriveShare "report" and KooDriveShareSettings "clash"|KooDriveShareSettings "clash" and KooDriveShare "report")`,
      ),
    );
    return true;
  });
  delete f.desired.clash;
});

test("destroy cancels every share, reading the per-item result", async () => {
  f.emulator.requests.clear();
  const ids = [reportId, (await f.stack.outputs()).brochureId.value];
  const result = await f.stack.destroy();
  assert.deepEqual(result.summary.resourceChanges, { delete: 3 });
  // Concurrent deletes of one owner may share a cancel call: every ID is cancelled once, whatever the grouping.
  assert.deepEqual(
    f
      .cancels()
      .flatMap((r) => r.body.shareIds)
      .sort(),
    ids.sort(),
  );
  console.log(`destroy of ${ids.length} shares: ${f.cancels().length} cancel call(s)`);
  for (const id of ids) assert.equal(f.emulator.getShare(id), undefined);
});
