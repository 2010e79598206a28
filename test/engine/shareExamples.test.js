"use strict";
// examples/create-shares and examples/keep-links-alive on the real engine against the emulator, compiled with their
// own tsconfig. (The copy-and-install walkthrough of each README is the examples harness's job.)
const assert = require("node:assert/strict");
const { execFile, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { after, describe, test } = require("node:test");
const { promisify } = require("node:util");
const { ensureSelfLink, repoRoot } = require("../../scripts/lib/engine");
const { OTHER_USER_ID, TOKEN, openEmulatorStack, startShareEmulator, USER_ID } = require("./shareSupport");

const DAY = 86400_000;

/**
 * A program that runs examples/<name>, type-checked and compiled inside the tree (so pulumi-koodrive resolves), with
 * its data file (`links.json` or `shares.json`): the example's own, or `data` (a file's path) instead, read at each run.
 */
function exampleProgram(name, data) {
  ensureSelfLink();
  const source = path.join(repoRoot, "examples", name);
  const outDir = path.join(repoRoot, ".tools", "share-examples-build", name);
  fs.rmSync(outDir, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(source, "tsconfig.json"), "--outDir", outDir], { stdio: "inherit" });
  const dataFile = fs.existsSync(path.join(source, "links.json")) ? "links.json" : "shares.json";
  const entry = path.join(outDir, "index.js");
  return async () => {
    // At each run, as the program reads it: a test may change the file between runs.
    fs.copyFileSync(data ?? path.join(source, dataFile), path.join(outDir, dataFile));
    delete require.cache[entry];
    return { ...require(entry) };
  };
}

/** Every example stack opened, removed with its emulator at the end. */
const opened = [];
after(async () => {
  for (const f of opened) await f.handle.remove();
  for (const emulator of new Set(opened.map((f) => f.emulator))) await emulator.close();
});

/**
 * @param {string} name
 * @param {Record<string, { value: string, secret?: boolean }>} config
 * @param {{ emulator?: any, data?: string }} [options] an emulator to share, and a data file instead of the example's
 */
async function exampleStack(name, config, { emulator, data } = {}) {
  emulator ??= await startShareEmulator();
  const { handle, stack } = await openEmulatorStack({ projectName: `example-${name}`, program: exampleProgram(name, data), emulator, config });
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

describe("examples/create-shares: renaming a line", () => {
  test("with its old name in formerNames, a renamed line keeps its link: no change, nothing sent", async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-rename-"));
    try {
      const file = path.join(scratch, "links.json");
      const line = { name: "brand-assets", fileIds: ["FryfD0bDk0aWSfrlCgZVJG7hxDMCY5hkl"], validDays: 30 };
      fs.writeFileSync(file, JSON.stringify([line]));
      const config = { containerId: { value: "IAAB5thdWzxEoAsiA1681759183084696448" } };
      const f = await exampleStack("create-shares", config, { data: file });
      const up = await f.stack.up();
      const link = up.outputs.links.value["brand-assets"];
      fs.writeFileSync(file, JSON.stringify([{ ...line, name: "brand-kit", formerNames: ["brand-assets"] }]));
      f.emulator.requests.clear();
      const renamed = await f.stack.up();
      assert.deepEqual(renamed.summary.resourceChanges, { same: 2 });
      assert.equal(renamed.outputs.links.value["brand-kit"], link, `the same link: ${JSON.stringify(renamed.outputs)}`);
      assert.deepEqual(f.emulator.requests.all(), [], "nothing created or cancelled");
      // A misspelt formerNames would replace the link: it fails the run instead. (Loaded directly: it throws before
      // declaring anything.)
      fs.writeFileSync(file, JSON.stringify([{ ...line, name: "brand-kit-2", formerName: ["brand-kit"] }]));
      await assert.rejects(exampleProgram("create-shares", file)(), /links\.json entry 1: unknown field formerName \(known: /);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
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

describe("the export script's file, as the README says to use it", () => {
  test("examples/many-shares and examples/keep-links-alive act on every field it writes, and on extractCodeConfigKey", async () => {
    const emulator = await startShareEmulator();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-export-examples-"));
    try {
      // Another user's shares: only an entry's userId makes them reachable (koodrive:userId is USER_ID).
      const shares = [1, 2].map((i) => emulator.seedShare({ ownerId: OTHER_USER_ID, fileIds: [`report-${i}.pdf`], comment: `c${i}`, validDays: 30 }));
      const file = path.join(scratch, "shares.json");
      const env = {
        ...process.env,
        KOODRIVE_ENDPOINT: emulator.url,
        KOODRIVE_USER_ID: USER_ID,
        KOODRIVE_AGENT_NAME: "engine-test",
        KOODRIVE_ACCESS_TOKEN: TOKEN,
      };
      const script = path.join(repoRoot, "scripts", "koodrive-export-shares.js");
      await promisify(execFile)(process.execPath, [script, "--out", file, "--user-id", OTHER_USER_ID, "--renew-before-days", "5"], { env });
      const written = JSON.parse(fs.readFileSync(file, "utf8"));
      assert.deepEqual(Object.keys(written[0]).sort(), ["comment", "name", "renewBeforeDays", "shareId", "userId", "validDays"]);
      // "Add extractCodeConfigKey to an entry to manage one."
      written[0].extractCodeConfigKey = "firstCode";
      fs.writeFileSync(file, JSON.stringify(written));
      const config = { firstCode: { value: "MDg2K0vU", secret: true } };

      for (const name of ["many-shares", "keep-links-alive"]) {
        const f = await exampleStack(name, config, { emulator, data: file });
        emulator.requests.clear();
        const up = await f.stack.up();
        assert.deepEqual(up.summary.resourceChanges, { create: shares.length + 1 }, name);
        /** @type {any[]} */
        const puts = emulator.requests.all().filter((r) => r.method === "PUT");
        assert.deepEqual(
          puts.map((r) => r.headers["x-user-id"]),
          shares.map(() => OTHER_USER_ID),
          `${name}: each share as its owner`,
        );
        assert.equal(puts.find((r) => r.path.endsWith(written[0].shareId)).body.extractCode, "MDg2K0vU", `${name}: the code from config`);
        const state = (await f.stack.exportStack()).deployment.resources.filter((r) => r.type.endsWith("koodrive:ShareSettings"));
        assert.deepEqual(
          state.map((r) => r.inputs.renewBeforeDays),
          [5, 5],
          `${name}: renewBeforeDays declared`,
        );
        assert.equal((await f.stack.destroy()).summary.resourceChanges?.delete, shares.length + 1);
      }

      // A field no example knows fails the run, naming it, instead of being ignored.
      fs.writeFileSync(file, JSON.stringify([{ ...written[1], renewBeforeDay: 5 }]));
      // (Loaded directly: it throws before declaring anything, and an inline program's error would also surface as an
      // unhandled rejection.)
      await assert.rejects(
        exampleProgram("many-shares", file)(),
        /shares\.json entry 1: unknown field renewBeforeDay \(known: name, shareId, validDays, renewBeforeDays/,
      );
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
