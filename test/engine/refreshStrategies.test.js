// Refresh of many shares: one GET each, or the owner's list in pages of 100; both must give identical state.
"use strict";
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { engineFixture, USER_ID } = require("./support");

const N = 30;
let f;
before(async () => {
  f = await engineFixture({ projectName: "refreshes" });
  for (let i = 0; i < N; i++) {
    const share = f.emulator.seedShare({ ownerId: USER_ID, comment: `c${i}` });
    f.desired[`s${i}`] = { shareId: share.shareId, validDays: 5 + (i % 7), comment: `declared ${i}`, extractCode: `Code${String(i).padStart(4, "0")}` };
  }
  // Shares of the user that the stack does not manage are listed too (S = 45 → one page).
  for (let i = 0; i < 15; i++) f.emulator.seedShare({ ownerId: USER_ID });
  await f.stack.up();
});
after(() => f.close());

/** Resource inputs and outputs as stored, secrets decrypted (ciphertexts differ per write), without the provider. */
async function storedOutputs() {
  const state = await f.stack.exportStack();
  return state.deployment.resources
    .filter((r) => r.type.endsWith("ShareSettings"))
    .map((r) => {
      const { __provider, ...outputs } = r.outputs;
      return { urn: r.urn, outputs, inputs: r.inputs };
    })
    .sort((a, b) => a.urn.localeCompare(b.urn));
}

async function refreshWith(strategy) {
  f.stack.workspace.envVars.KOODRIVE_REFRESH_STRATEGY = strategy;
  f.emulator.requests.clear();
  await f.stack.refresh();
  return f.emulator.requests.all().map((r) => (r.path.endsWith("/share") ? "list" : "get"));
}

test("get, list and auto read the same state; list and auto cost one page", async () => {
  // An out-of-band change, so refresh has something to bring in.
  const changed = f.desired.s3.shareId;
  f.emulator.changeShare(changed, { comment: "edited by hand" });
  const viaGet = await refreshWith("get");
  assert.deepEqual(viaGet, Array(N).fill("get"));
  const afterGet = await storedOutputs();
  assert.equal(afterGet.find((r) => r.outputs.shareId === changed).outputs.comment, "edited by hand");

  const viaList = await refreshWith("list");
  assert.deepEqual(viaList, ["list"]);
  const afterList = await storedOutputs();
  assert.deepEqual(afterList, afterGet, "identical state, secrets included");

  // The engine sends a refresh's first reads together, so auto sees more than five and lists from the start.
  const viaAuto = await refreshWith("auto");
  assert.deepEqual(viaAuto, ["list"]);
  assert.deepEqual(await storedOutputs(), afterGet);
});
