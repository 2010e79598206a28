"use strict";
// The provider implementation is published as one file (scripts/bundleProvider.js): `pulumi-koodrive/provider-impl`
// resolves to it, and it needs nothing from node_modules. Copied alone into a folder laid out as an install
// (`dist/provider-impl.js` under a package.json, no node_modules on the way up), it answers a refresh read through its
// HTTP client, names the package's version in its User-Agent, and the process loads no other file. A bundle that
// left a dependency outside, or an export that pointed at the unbundled build, fails here.
const assert = require("node:assert/strict");
const { execFile } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { test } = require("node:test");
const { promisify } = require("node:util");
const { startEmulator } = require("koodrive-emulator");
const { repoRoot } = require("../../scripts/lib/engine");

const bundle = path.join(repoRoot, "dist", "provider-impl.js");

test("pulumi-koodrive/provider-impl resolves to the bundle", () => {
  const resolved = require.resolve("pulumi-koodrive/provider-impl", { paths: [repoRoot] });
  assert.equal(fs.realpathSync(resolved), fs.realpathSync(bundle));
});

test("the bundle answers a read on its own: no node_modules, no other file loaded", async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-bundle-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  let ancestor = dir;
  while (path.dirname(ancestor) !== ancestor) {
    ancestor = path.dirname(ancestor);
    assert.equal(fs.existsSync(path.join(ancestor, "node_modules")), false, `${ancestor} has a node_modules folder: the test needs a folder without one`);
  }
  fs.mkdirSync(path.join(dir, "dist"));
  fs.copyFileSync(bundle, path.join(dir, "dist", "provider-impl.js"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "pulumi-koodrive", version: "9.8.7" }));
  const emulator = await startEmulator({ tokens: ["bundle-token-1234"] });
  t.after(() => emulator.close());
  const share = emulator.seedShare({ ownerId: "42", comment: "as seeded", extractCode: "Abcd1234", validDays: 7 });
  // 0.1.0's named entry point `read` (the shims' `run` dispatches to the same code), configured from the environment.
  const child = `
    const impl = require("./dist/provider-impl.js");
    impl.read(${JSON.stringify(share.shareId)}, { shareId: ${JSON.stringify(share.shareId)}, validDays: 7 }).then((result) => {
      console.log(JSON.stringify({ comment: result.props.comment, exports: Object.keys(impl).sort(), loaded: Object.keys(require.cache) }));
    });`;
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", child], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      KOODRIVE_ENDPOINT: emulator.url,
      KOODRIVE_USER_ID: "42",
      KOODRIVE_AGENT_NAME: "bundle",
      KOODRIVE_ACCESS_TOKEN: "bundle-token-1234",
    },
  });
  const result = JSON.parse(stdout.trim().split("\n").pop() ?? "");
  assert.equal(result.comment, "as seeded", "the read went through the bundled client");
  assert.deepEqual(result.loaded, [path.join(fs.realpathSync(dir), "dist", "provider-impl.js")], "only the bundle was loaded");
  for (const name of ["run", "configure", "check", "diff", "create", "read", "update", "remove"]) assert.ok(result.exports.includes(name), `exports ${name}`);
  const requests = emulator.requests.all();
  assert.deepEqual(
    requests.map((r) => `${r.method} ${r.status}`),
    ["GET 200"],
  );
  assert.equal(requests[0]?.headers["user-agent"], "pulumi-koodrive/9.8.7");
});
