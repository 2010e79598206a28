"use strict";
// examples/create-shares and examples/keep-links-alive on the real engine against the emulator, compiled with their
// own tsconfig. (The copy-and-install walkthrough of each README is the examples harness's job.)
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { after, describe, test } = require("node:test");
const { ensureSelfLink, repoRoot } = require("../../scripts/lib/engine");
const { openEmulatorStack, startShareEmulator, USER_ID } = require("./shareSupport");

const DAY = 86400_000;

/** A program that runs examples/<name>, type-checked and compiled inside the tree (so pulumi-koodrive resolves). */
function exampleProgram(name) {
  ensureSelfLink();
  const source = path.join(repoRoot, "examples", name);
  const outDir = path.join(repoRoot, ".tools", "share-examples-build", name);
  fs.rmSync(outDir, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(source, "tsconfig.json"), "--outDir", outDir], { stdio: "inherit" });
  fs.copyFileSync(path.join(source, "links.json"), path.join(outDir, "links.json"));
  const entry = path.join(outDir, "index.js");
  return async () => {
    delete require.cache[entry];
    return { ...require(entry) };
  };
}

/** Every example stack opened, removed with its emulator at the end. */
const opened = [];
after(async () => {
  for (const f of opened) {
    await f.handle.remove();
    await f.emulator.close();
  }
});

async function exampleStack(name, config) {
  const emulator = await startShareEmulator();
  const { handle, stack } = await openEmulatorStack({ projectName: `example-${name}`, program: exampleProgram(name), emulator, config });
  const example = { emulator, stack, handle };
  opened.push(example);
  return example;
}

describe("examples/create-shares", () => {
  test("creates one share per line of links.json, and destroy cancels all but the retained one", async () => {
    const links = JSON.parse(fs.readFileSync(path.join(repoRoot, "examples/create-shares/links.json"), "utf8"));
    const f = await exampleStack("create-shares", {
      containerId: { value: "IAAB5thdWzxEoAsiA1681759183084696448" },
      q3ReportCode: { value: "MDg2K0vU", secret: true },
    });
    const up = await f.stack.up();
    assert.deepEqual(up.summary.resourceChanges, { create: links.length + 1 });
    assert.deepEqual(Object.keys(up.outputs.links.value).sort(), links.map((l) => l.name).sort());
    /** @type {any[]} */
    const posts = f.emulator.requests.all().filter((r) => r.method === "POST" && r.path === "/koodrive/ose/v1/share");
    assert.deepEqual(posts.map((r) => r.body.fileIds).sort(), links.map((l) => l.fileIds).sort());
    assert.equal(posts.find((r) => r.body.comment === "Q3 report for auditors").body.extractCode, "MDg2K0vU", "the code comes from secret config");
    assert.equal(JSON.stringify(up.outputs).includes("MDg2K0vU"), false);
    assert.deepEqual((await f.stack.preview({ expectNoChanges: true })).changeSummary, { same: links.length + 1 });
    const destroy = await f.stack.destroy();
    assert.deepEqual(destroy.summary.resourceChanges, { delete: links.length + 1 });
    // Concurrent cancels of one owner may share a call: count the IDs cancelled, not the calls.
    /** @type {any[]} */
    const cancels = f.emulator.requests.all().filter((r) => r.path.endsWith("/cancel"));
    const cancelled = cancels.flatMap((r) => r.body.shareIds);
    assert.equal(cancelled.length, links.filter((l) => l.onDelete !== "retain").length);
  });
});

describe("examples/keep-links-alive", () => {
  test("adopts the links, sends nothing while none is due, renews only the one that is", async () => {
    const links = JSON.parse(fs.readFileSync(path.join(repoRoot, "examples/keep-links-alive/links.json"), "utf8"));
    const f = await exampleStack("keep-links-alive", {});
    for (const l of links) f.emulator.seedShare({ ownerId: USER_ID, shareId: l.shareId, validDays: l.validDays });
    const up = await f.stack.up({ refresh: true });
    assert.deepEqual(up.summary.resourceChanges, { create: links.length + 1 });
    f.emulator.requests.clear();
    const quiet = await f.stack.up({ refresh: true });
    assert.deepEqual(quiet.summary.resourceChanges, { same: links.length + 1 });
    assert.equal(f.emulator.requests.all().filter((r) => r.method === "PUT").length, 0, "nothing due: no PUT");
    const due = links.find((l) => l.name === "press-kit");
    f.emulator.changeShare(due.shareId, { expireTime: new Date(Date.now() + 2 * DAY).toISOString() });
    const renew = await f.stack.up({ refresh: true });
    assert.deepEqual(renew.summary.resourceChanges, { same: links.length, update: 1 });
    assert.deepEqual(
      f.emulator.requests
        .all()
        .filter((r) => r.method === "PUT")
        .map((r) => r.path),
      [`/koodrive/ose/v1/share/${due.shareId}`],
    );
    assert.ok(Date.parse(renew.outputs.expiries.value["press-kit"]) > Date.now() + (due.validDays - 1) * DAY);
  });
});
