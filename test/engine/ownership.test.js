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
    assert.doesNotMatch(seen.text, /Unhandled exception|\n\s+at /, "the mistake alone, without a stack trace into the package");
    assert.equal(seen.requests, 0);
  });

  test("two resources for one share fail preview naming both, and nothing is sent", () => {
    const seen = failingPreview("twice");
    assert.match(seen.text, new RegExp(`share ${seen.shareId} is managed by two resources, KooDriveShareSettings "first" and KooDriveShareSettings "second"`));
    assert.doesNotMatch(seen.text, /Unhandled exception|\n\s+at /, "the mistake alone, without a stack trace into the package");
    assert.equal(seen.requests, 0);
  });

  test("two resources of one name under different parents for one share fail preview too", () => {
    const seen = failingPreview("parents");
    assert.match(seen.text, new RegExp(`share ${seen.shareId} is managed by two resources named KooDriveShareSettings "report" \\(under different parents\\)`));
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

  test("without aliases the old resource's delete does not undo the new one's settings, and the output says what was lost", async () => {
    f.desired.old = { shareId: share.shareId, validDays: 3, comment: "declared", onDelete: "restore" };
    await f.stack.up();
    delete f.desired.old;
    f.desired.renamed = { shareId: share.shareId, validDays: 3, comment: "declared", onDelete: "restore" };
    const up = await f.stack.up();
    assert.deepEqual(up.summary.resourceChanges, { same: 1, create: 2, delete: 2 });
    assert.equal(f.emulator.getShare(share.shareId).comment, "declared", "the share keeps the declared settings");
    const output = `${up.stdout}\n${up.stderr}`;
    // The old resource does not restore under its successor, whose companion read the declared settings as the
    // "originals" (its create says so): the old resource lists the true ones, once (the access code is not shown).
    assert.match(output, new RegExp(`share ${share.shareId}: the share already holds the declared settings, so they are recorded as its originals too`));
    const told = `share ${share.shareId}: warning: not restoring: another KooDriveShareSettings of this stack manages the share from this run on \\(a replacement, or a rename\\), and it recorded other settings as the originals\\. The share's originals were: comment "${ORIGINAL.comment}"`;
    assert.match(output, new RegExp(told));
    assert.doesNotMatch(output, /forgetting its original settings/, "said once, by the settings resource");
    assert.doesNotMatch(output, new RegExp(ORIGINAL.extractCode));
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

  test("inside a component, an alias given as an Output URN or as a URN string is no change too", async () => {
    const inside = f.emulator.seedShare({ ownerId: USER_ID, ...ORIGINAL, validDays: 20 });
    const SETTINGS_TYPE = "pulumi-nodejs:dynamic/koodrive:ShareSettings";
    /**
     * A program declaring one restoring resource named `name` in a component, with `aliases(team)`.
     * @type {(name: string, aliases?: (team: import("@pulumi/pulumi").ComponentResource) => import("@pulumi/pulumi").Input<string>[]) => () => { urn: import("@pulumi/pulumi").Output<string> }}
     */
    const inTeam =
      (name, aliases = () => []) =>
      () => {
        const pulumi = require("@pulumi/pulumi");
        const { KooDriveShareSettings } = require("pulumi-koodrive");
        const team = new pulumi.ComponentResource("test:index:Team", "team");
        const r = new KooDriveShareSettings(
          name,
          { shareId: inside.shareId, validDays: 3, comment: "declared", extractCode: "Decl4567", onDelete: "restore" },
          { parent: team, aliases: aliases(team) },
        );
        return { urn: r.urn };
      };
    const first = await f.stack.up({ program: inTeam("first") });
    f.emulator.requests.clear();
    // An Output alias: the companion followed it to the settings resource's own state, and failed as "state version 3,
    // written by a newer pulumi-koodrive".
    const pulumi = require("@pulumi/pulumi");
    const second = await f.stack.up({ program: inTeam("second", (team) => [pulumi.createUrn("first", SETTINGS_TYPE, team)]) });
    assert.deepEqual(second.summary.resourceChanges, { same: 4 });
    // A URN string whose type carries the component's: the companion lost that part, was created anew (reading the
    // declared settings as its "originals") and the old one deleted.
    const third = await f.stack.up({ program: inTeam("third", () => [second.outputs.urn.value]) });
    assert.deepEqual(third.summary.resourceChanges, { same: 4 });
    assert.equal(f.emulator.requests.all().length, 0);
    assert.match(first.outputs.urn.value, /test:index:Team\$pulumi-nodejs:dynamic\/koodrive:ShareSettings::first$/);
    await f.stack.destroy();
    assert.deepEqual({ comment: f.emulator.getShare(inside.shareId).comment, extractCode: f.emulator.getShare(inside.shareId).extractCode }, ORIGINAL);
  });
});

describe("writes by someone else since the last up, then refresh and destroy with onDelete restore", () => {
  let f;
  before(async () => {
    f = await engineFixture({ projectName: "others" });
  });
  after(() => f.close());

  test("the owner's new message (not managed) is kept and the rest restored; a validity another stack restarted is left alone", async () => {
    const edited = f.emulator.seedShare({ ownerId: USER_ID, ...ORIGINAL, validDays: 20 });
    const rewritten = f.emulator.seedShare({ ownerId: USER_ID, ...ORIGINAL, validDays: 20 });
    f.desired.edited = { shareId: edited.shareId, validDays: 3, extractCode: "Decl4567", onDelete: "restore" };
    f.desired.rewritten = { shareId: rewritten.shareId, validDays: 3, extractCode: "Decl4567", onDelete: "restore" };
    await f.stack.up();
    await new Promise((resolve) => setTimeout(resolve, 5));
    f.emulator.changeShare(edited.shareId, { comment: "the owner's message" });
    // Another stack applies the same settings: its PUT restarts the validity.
    f.emulator.changeShare(rewritten.shareId, { expireTime: new Date(Date.now() + 3 * 86_400_000).toISOString() });
    const refresh = await f.stack.refresh();
    assert.deepEqual(refresh.summary.resourceChanges, { same: 5 }); // the stack and four resources: neither change is drift
    // The restarted validity is said at the refresh, where a scheduled drift check sees it.
    assert.match(
      `${refresh.stdout}\n${refresh.stderr}`,
      new RegExp(`share ${rewritten.shareId}: warning: the share's validity was restarted by a write that is not this resource's`),
    );
    const preview = await f.stack.preview();
    assert.deepEqual(preview.changeSummary, { same: 5 });
    f.emulator.requests.clear();
    const destroy = await f.stack.destroy();
    const output = `${destroy.stdout}\n${destroy.stderr}`;
    assert.deepEqual(
      f.emulator.requests
        .all()
        .filter((r) => r.method === "PUT")
        .map((r) => [r.path.split("/").pop(), r.body]),
      [[edited.shareId, { validDays: 20, extractCode: ORIGINAL.extractCode }]],
    );
    assert.deepEqual(
      { comment: f.emulator.getShare(edited.shareId).comment, extractCode: f.emulator.getShare(edited.shareId).extractCode },
      {
        comment: "the owner's message",
        extractCode: ORIGINAL.extractCode,
      },
    );
    assert.match(
      output,
      new RegExp(`share ${edited.shareId}: restored the original access code and the validity, and kept the comment \\(its original was "as found"\\)`),
    );
    assert.match(output, new RegExp(`share ${rewritten.shareId}: warning: NOT restoring the original settings: .*\\(expireTime\\)`));
    assert.equal(f.emulator.getShare(rewritten.shareId).extractCode, "Decl4567");
    assert.doesNotMatch(output, /Orig1234|Decl4567/);
  });
});
