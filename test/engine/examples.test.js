"use strict";
// Runs the TypeScript programs in examples/ on the real engine, compiled as a user's project would be.
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { after, before, describe, test } = require("node:test");
const { ensureSelfLink, openStack, repoRoot } = require("../../scripts/lib/engine");
const { TOKEN, USER_ID } = require("./support");

/** Compiles examples/<name> into .tools/examples-build/<name> (inside the tree, so packages resolve as installed). */
function compileExample(name) {
  ensureSelfLink();
  const outDir = path.join(repoRoot, ".tools", "examples-build", name);
  fs.rmSync(outDir, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(repoRoot, "examples", name, "tsconfig.json"), "--outDir", outDir], { stdio: "inherit" });
  for (const file of fs.readdirSync(path.join(repoRoot, "examples", name))) {
    if (file.endsWith(".json") && !["package.json", "tsconfig.json"].includes(file)) fs.copyFileSync(path.join(repoRoot, "examples", name, file), path.join(outDir, file));
  }
  const entry = path.join(outDir, "index.js");
  // Each engine operation runs the program afresh, as `pulumi up` would.
  return async () => {
    delete require.cache[entry];
    return { ...require(entry) };
  };
}

async function exampleStack(name, emulator, config) {
  const handle = await openStack({ projectName: `example-${name}`, program: compileExample(name) });
  await handle.stack.setAllConfig({
    "koodrive:endpoint": { value: emulator.url },
    "koodrive:userId": { value: USER_ID },
    "koodrive:agentName": { value: "examples" },
    "koodrive:accessToken": { value: TOKEN, secret: true },
    ...config,
  });
  return handle;
}

describe("examples/basic", () => {
  let emulator;
  let handle;
  before(async () => {
    const { startEmulator } = require("koodrive-emulator");
    emulator = await startEmulator({ tokens: [TOKEN], logAccessCodes: true });
  });
  after(async () => {
    await handle?.remove();
    await emulator.close();
  });

  test("adopts one share, then destroys leaving it as declared", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    handle = await exampleStack("basic", emulator, {
      [`example-basic:shareId`]: { value: share.shareId },
      [`example-basic:extractCode`]: { value: "MDg2K0vU", secret: true },
    });
    const up = await handle.stack.up();
    assert.deepEqual(up.summary.resourceChanges, { create: 2 });
    assert.equal(up.outputs.linkUrl.value, share.linkUrl);
    assert.deepEqual(emulator.requests.all().filter((r) => r.method === "PUT").map((r) => r.body), [{ validDays: 30, extractCode: "MDg2K0vU", comment: "Q3 report for auditors" }]);
    await handle.stack.destroy();
    assert.equal(emulator.getShare(share.shareId).comment, "Q3 report for auditors");
  });
});

describe("examples/many-shares", () => {
  let emulator;
  let handle;
  const entries = JSON.parse(fs.readFileSync(path.join(repoRoot, "examples/many-shares/shares.json"), "utf8"));
  before(async () => {
    const { startEmulator } = require("koodrive-emulator");
    emulator = await startEmulator({ tokens: [TOKEN], logAccessCodes: true });
    for (const e of entries) emulator.seedShare({ ownerId: USER_ID, shareId: e.shareId, comment: "before" });
  });
  after(async () => {
    await handle?.remove();
    await emulator.close();
  });

  test("declares every share in shares.json with one PUT each, then reports no changes", async () => {
    handle = await exampleStack("many-shares", emulator, { [`example-many-shares:q3ReportCode`]: { value: "Q3c0de99", secret: true } });
    const up = await handle.stack.up();
    assert.deepEqual(up.summary.resourceChanges, { create: entries.length + 1 });
    const puts = emulator.requests.all().filter((r) => r.method === "PUT");
    assert.equal(puts.length, entries.length);
    assert.deepEqual(Object.keys(up.outputs.links.value).sort(), entries.map((e) => e.shareId).sort());
    assert.equal(emulator.getShare(entries[0].shareId).extractCode, "Q3c0de99");
    assert.equal(emulator.getShare(entries[2].shareId).comment, "before", "a share without comment keeps its own");
    const again = await handle.stack.preview({ expectNoChanges: true });
    assert.deepEqual(again.changeSummary, { same: entries.length + 1 });
  });

  test("destroy restores only the share that asks for it", async () => {
    emulator.requests.clear();
    await handle.stack.destroy();
    const puts = emulator.requests.all().filter((r) => r.method === "PUT");
    assert.deepEqual(puts.map((r) => r.path), [`/koodrive/ose/v1/share/${entries[2].shareId}`]);
  });
});
