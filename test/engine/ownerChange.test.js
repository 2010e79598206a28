"use strict";
// A stack whose koodrive:userId changes (app auth acts as any user): the shares stay managed as the owner recorded
// when they were adopted or created. Refresh keeps them, and destroy restores and cancels them as that owner.
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { shareStack, USER_ID, OTHER_USER_ID } = require("./shareSupport");

const CONTAINER = "IAAB5thdWzxEoAsiA1681759183084696448";
const ORIGINAL = { comment: "as found", extractCode: "Orig1234" };
const outputText = (result) => `${result.stdout}\n${result.stderr}`;
/** Who each request acted as, and how it ended. */
const actedAs = (f) => f.emulator.requests.all().map((r) => `${r.method} ${r.headers["x-user-id"]} ${r.status}`);

let f;
let adopted;

before(async () => {
  f = await shareStack({ projectName: "owner-change", auth: "app" });
  adopted = f.emulator.seedShare({ ownerId: USER_ID, ...ORIGINAL, validDays: 20 });
  f.desired.settings = { kind: "settings", args: { shareId: adopted.shareId, validDays: 3, comment: "managed", onDelete: "restore" } };
  f.desired.made = { kind: "share", args: { fileIds: ["FileMade01"], containerId: CONTAINER, scope: 1, validDays: 10, comment: "made", onDelete: "cancel" } };
});
after(() => f.close());

test("up as user A adopts one share and creates another, both A's", async () => {
  const up = await f.stack.up();
  assert.deepEqual(up.summary.resourceChanges, { create: 4 });
  assert.equal(f.emulator.getShare(adopted.shareId).comment, "managed");
  assert.equal(f.emulator.getShare(up.outputs.madeId.value).ownerId, USER_ID);
});

test("after koodrive:userId changes to B, up changes nothing and says the shares stay A's; so does preview", async () => {
  await f.stack.setConfig("koodrive:userId", { value: OTHER_USER_ID });
  f.emulator.requests.clear();
  // What a user does after changing config: up (the engine stores the config in state at each up, and refresh and
  // destroy run with that stored copy: with B from here on).
  const up = await f.stack.up();
  assert.deepEqual(up.summary.resourceChanges, { same: 4 });
  assert.deepEqual(actedAs(f), []);
  const preview = await f.stack.preview();
  assert.deepEqual(preview.changeSummary, { same: 4 });
  const made = (await f.stack.outputs()).madeId.value;
  for (const result of [up, preview]) {
    for (const shareId of [adopted.shareId, made]) {
      assert.match(
        outputText(result),
        new RegExp(`share ${shareId}: stays managed as its owner, user ${USER_ID}, although koodrive:userId is now ${OTHER_USER_ID}`),
      );
    }
  }
});

test("refresh with B configured reads the shares as A and keeps them", async () => {
  f.emulator.requests.clear();
  const refresh = await f.stack.refresh();
  assert.deepEqual(refresh.summary.resourceChanges, { same: 4 });
  assert.deepEqual(actedAs(f), [`GET ${USER_ID} 200`, `GET ${USER_ID} 200`]);
  const outputs = await f.stack.outputs();
  assert.ok(outputs.madeId, "the created share is still in the stack");
});

test("destroy with B configured restores the adopted share's settings and cancels the created one, as A", async () => {
  const made = (await f.stack.outputs()).madeId.value;
  f.emulator.requests.clear();
  const destroy = await f.stack.destroy();
  assert.deepEqual(destroy.summary.resourceChanges, { delete: 4 });
  assert.ok(
    f.emulator.requests.all().every((r) => r.headers["x-user-id"] === USER_ID && r.status === 200),
    actedAs(f).join(", "),
  );
  const restored = f.emulator.getShare(adopted.shareId);
  assert.deepEqual({ comment: restored.comment, extractCode: restored.extractCode }, ORIGINAL);
  assert.equal(f.emulator.getShare(made), undefined, "cancelled");
  assert.equal(f.cancels().length, 1);
});
