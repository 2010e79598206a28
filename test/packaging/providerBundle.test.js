"use strict";
// The provider implementation is published bundled (scripts/bundleProvider.js): `pulumi-koodrive/provider-impl`
// resolves to dist/provider-impl.js, which carries the implementation and zod, and loads the HTTP stack (axios, the
// proxy agents) from the user's node_modules, so that its security fixes reach users without a release of this
// package. Copied into a folder laid out as an install (dist/ under a package.json, the dependencies in
// node_modules), it answers a refresh read, names the package's version in its User-Agent, loads none of the
// unbundled build and no zod from node_modules, and its stack frames map back to src/ through the source map.
const assert = require("node:assert/strict");
const { execFile } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { test } = require("node:test");
const { promisify } = require("node:util");
const { startEmulator } = require("koodrive-emulator");
const { repoRoot } = require("../../scripts/lib/engine");

const dist = path.join(repoRoot, "dist");

test("pulumi-koodrive/provider-impl resolves to the bundle", () => {
  const resolved = require.resolve("pulumi-koodrive/provider-impl", { paths: [repoRoot] });
  assert.equal(fs.realpathSync(resolved), fs.realpathSync(path.join(dist, "provider-impl.js")));
});

test("the bundle names the third-party code it carries, with its license", () => {
  const notices = fs.readFileSync(path.join(dist, "provider-impl.NOTICES.md"), "utf8");
  assert.match(notices, /^## zod \d+\.\d+\.\d+ \(MIT\)$/m);
  assert.match(notices, /Permission is hereby granted/);
  assert.doesNotMatch(notices, /^## axios/m, "axios stays an installed dependency");
});

test("the bundle carries only the zod it uses: of its 60-odd locales, English alone (src/zod.ts)", () => {
  const bundle = fs.readFileSync(path.join(dist, "provider-impl.js"), "utf8");
  // esbuild heads each module it bundles with its path.
  const locales = bundle.match(/^\/\/ node_modules\/zod\/v4\/locales\/(?!index\.js$).*$/gm) ?? [];
  assert.deepEqual(locales, ["// node_modules/zod/v4/locales/en.js"]);
});

/** A folder laid out as an install of the package, around a copy of the bundle; undefined when one cannot be made. */
function installLike(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-bundle-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (let ancestor = path.dirname(dir); path.dirname(ancestor) !== ancestor; ancestor = path.dirname(ancestor)) {
    // Node would resolve from there too, and the test could not tell where a module came from.
    if (fs.existsSync(path.join(ancestor, "node_modules"))) return undefined;
  }
  fs.mkdirSync(path.join(dir, "dist"));
  for (const file of ["provider-impl.js", "provider-impl.js.map"]) fs.copyFileSync(path.join(dist, file), path.join(dir, "dist", file));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "pulumi-koodrive", version: "9.8.7" }));
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  return fs.realpathSync(dir);
}

/** Runs `script` with node in `dir` and returns the JSON its last line prints. */
async function runIn(dir, script, env = {}) {
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], { cwd: dir, env: { PATH: process.env.PATH, ...env } });
  return JSON.parse(stdout.trim().split("\n").pop() ?? "");
}

test("the bundle answers a read, loading the HTTP stack from node_modules and nothing of the unbundled build", async (t) => {
  const dir = installLike(t);
  if (dir === undefined) return t.skip(`a folder above ${os.tmpdir()} has node_modules`);
  const emulator = await startEmulator({ tokens: ["bundle-token-1234"] });
  t.after(() => emulator.close());
  const share = emulator.seedShare({ ownerId: "42", comment: "as seeded", extractCode: "Abcd1234", validDays: 7 });
  // 0.1.0's named entry point `read` (the shims' `run` dispatches to the same code), configured from the environment.
  const result = await runIn(
    dir,
    `const impl = require("./dist/provider-impl.js");
    impl.read(${JSON.stringify(share.shareId)}, { shareId: ${JSON.stringify(share.shareId)}, validDays: 7 }).then((result) => {
      console.log(JSON.stringify({ comment: result.props.comment, exports: Object.keys(impl).sort(), loaded: Object.keys(require.cache) }));
    });`,
    { KOODRIVE_ENDPOINT: emulator.url, KOODRIVE_USER_ID: "42", KOODRIVE_AGENT_NAME: "bundle", KOODRIVE_ACCESS_TOKEN: "bundle-token-1234" },
  );
  assert.equal(result.comment, "as seeded", "the read went through the client");
  for (const name of ["run", "configure", "check", "diff", "create", "read", "update", "remove"]) assert.ok(result.exports.includes(name), `exports ${name}`);
  /** @type {string[]} */
  const loaded = result.loaded;
  const packageOf = (/** @type {string} */ file) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];
  assert.deepEqual(
    loaded.filter((f) => packageOf(f) === undefined),
    [path.join(dir, "dist", "provider-impl.js")],
    "of this package, only the bundle",
  );
  const packages = new Set(loaded.map(packageOf).filter((p) => p !== undefined));
  assert.ok(packages.has("axios"), "axios comes from node_modules");
  assert.equal(packages.has("zod"), false, "zod is bundled");
  assert.equal(packages.has("@pulumi/pulumi"), false, "the provider's code loads no @pulumi/pulumi (only the program's side does)");
  const requests = emulator.requests.all();
  assert.deepEqual(
    requests.map((r) => `${r.method} ${r.status}`),
    ["GET 200"],
  );
  assert.equal(requests[0]?.headers["user-agent"], "pulumi-koodrive/9.8.7");
});

test("a bug's stack frames in the bundle map back to src/ (the SDK's provider host loads source-map-support)", async (t) => {
  const dir = installLike(t);
  if (dir === undefined) return t.skip(`a folder above ${os.tmpdir()} has node_modules`);
  // A diff without the stored state: a TypeError inside the state upgrader, as a bug would throw one.
  const result = await runIn(
    dir,
    `require("source-map-support/register");
    require("./dist/provider-impl.js").diff("1", null, null).then(
      () => console.log(JSON.stringify({ stack: "no error" })),
      (e) => console.log(JSON.stringify({ stack: String(e.stack) })),
    );`,
  );
  assert.match(result.stack, /TypeError/);
  assert.match(result.stack, /src\/resources\/shareSettings\/state\.ts:\d+:\d+/);
});
