"use strict";
// scripts/lib/processTree.js on a system without /proc (macOS): the demo's Ctrl-C handling and the bench's clean-up
// find no processes instead of throwing, so the demo still removes its stack folder and exits 130.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const { test } = require("node:test");

test("without /proc, descendants are none and stopping strays stops nothing, without throwing", async () => {
  const readdirSync = fs.readdirSync;
  fs.readdirSync = /** @type {typeof fs.readdirSync} */ (
    (/** @type {any} */ dir, /** @type {any} */ ...rest) => {
      if (dir === "/proc") throw Object.assign(new Error("ENOENT: no such file or directory, scandir '/proc'"), { code: "ENOENT" });
      return readdirSync(dir, ...rest);
    }
  );
  try {
    const { descendants, stopStrays } = require("../../scripts/lib/processTree");
    assert.deepEqual(descendants(process.pid), []);
    assert.equal(await stopStrays({ graceMs: 10 }), 0);
  } finally {
    fs.readdirSync = readdirSync;
  }
});
