"use strict";
// A rollback after an upgrade: a newer pulumi-koodrive wrote a resource's state (a later layout, `stateVersion` above
// what this version reads), then the project installed this version again. refresh, preview and destroy run the
// installed package, so each must fail saying why, before any request; with the state back at a known layout the same
// stack works again, and destroy restores the originals.
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { engineFixture, USER_ID } = require("./support");

let f;
let share;
let written;
/** The state version this package writes for the settings resource; the state under test holds one higher. */
let readable;
before(async () => {
  f = await engineFixture({ projectName: "rollback" });
  share = f.emulator.seedShare({ ownerId: USER_ID, comment: "original" });
  f.desired.report = { shareId: share.shareId, validDays: 3, comment: "declared", onDelete: "restore" };
  await f.stack.up();
  written = await f.stack.exportStack();
  const newer = structuredClone(written);
  const settings = newer.deployment.resources.find((r) => r.urn.endsWith("::report"));
  readable = settings.outputs.stateVersion;
  settings.outputs.stateVersion = readable + 1;
  await f.stack.importStack(newer);
  f.emulator.requests.clear();
});
after(() => f.close());

/** The operation's failure output (the engine's stdout and stderr as the Automation API reports them). */
async function failureOf(operation) {
  let output = "";
  try {
    await operation((text) => (output += text));
  } catch (e) {
    return `${output}\n${/** @type {Error} */ (e).message}`;
  }
  assert.fail(`the operation succeeded; output was:\n${output.slice(-3000)}`);
}

for (const [name, operation] of [
  ["refresh", (onOutput) => f.stack.refresh({ onOutput })],
  ["preview", (onOutput) => f.stack.preview({ onOutput })],
  ["destroy", (onOutput) => f.stack.destroy({ onOutput })],
]) {
  test(`${name} of state from a newer version fails naming both versions, and sends nothing`, async () => {
    const output = await failureOf(operation);
    console.log(
      `${name}: ${output
        .split("\n")
        .find((line) => line.includes("has state version"))
        ?.trim()}`,
    );
    assert.match(
      output,
      new RegExp(
        `this koodrive:ShareSettings has state version ${readable + 1}, written by a newer pulumi-koodrive than the one installed, which reads state versions up to ${readable}\\. Install that newer version again`,
      ),
    );
    assert.match(output, /Nothing was sent to KooDrive\./);
    assert.deepEqual(f.emulator.requests.all(), [], "no request reached KooDrive");
    assert.equal(f.emulator.getShare(share.shareId).comment, "declared", "the share is as the newer version left it");
  });
}

test("with the state back at a layout it reads, destroy restores the original settings", async () => {
  await f.stack.cancel().catch(() => {}); // nothing to cancel unless a failed operation left the stack locked
  await f.stack.importStack(written);
  const destroy = await f.stack.destroy();
  assert.deepEqual(destroy.summary.resourceChanges, { delete: 3 });
  assert.equal(f.emulator.getShare(share.shareId).comment, "original");
});
