"use strict";
// Both packages as users get them: `npm pack` of pulumi-koodrive and of koodrive-emulator, installed into a fresh
// project outside this tree, then up and destroy through the real engine against the installed emulator. The provider
// process resolves `pulumi-koodrive/provider-impl` from that project's node_modules, so this fails if the published
// files, exports maps or dependencies are wrong.
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { after, test } = require("node:test");
const { repoRoot } = require("../../scripts/lib/engine");

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-packed-"));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

test("the npm-packed packages work for up and destroy in a fresh Pulumi project", { timeout: 600_000 }, () => {
  const pack = (cwd) => JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", scratch], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }))[0];
  const packed = pack(repoRoot);
  const tarball = path.join(scratch, packed.filename);
  const files = packed.files.map((f) => f.path);
  assert.ok(files.includes("dist/resource/providerImpl.js"));
  assert.equal(files.some((f) => f.startsWith("src/") || f.startsWith("test/") || f.startsWith("packages/") || f.startsWith("dist/emulator/")), false, "only the built resource package is published");
  const emulatorPacked = pack(path.join(repoRoot, "packages/koodrive-emulator"));
  assert.ok(emulatorPacked.files.some((f) => f.path === "dist/cli.js"));

  const project = path.join(scratch, "consumer");
  fs.mkdirSync(project);
  // scripts/compat-node22.sh sets this to check the newest @pulumi/pulumi (which needs Node 22).
  const pulumiVersion = process.env.PACKED_PULUMI_VERSION || require(`${repoRoot}/node_modules/@pulumi/pulumi/package.json`).version;
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "packed-consumer", private: true, dependencies: { "pulumi-koodrive": `file:${tarball}`, "koodrive-emulator": `file:${path.join(scratch, emulatorPacked.filename)}`, "@pulumi/pulumi": pulumiVersion } }, null, 2));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: project, stdio: ["ignore", "inherit", "inherit"] });
  assert.equal(fs.lstatSync(path.join(project, "node_modules/pulumi-koodrive")).isSymbolicLink(), false, "installed as a copy, not a link");

  fs.writeFileSync(path.join(project, "driver.js"), `
"use strict";
const { openStack } = require(${JSON.stringify(path.join(repoRoot, "scripts/lib/engine.js"))});
const { startEmulator } = require("koodrive-emulator");
(async () => {
  const emulator = await startEmulator({ tokens: ["packed-token-1234"] });
  const share = emulator.seedShare({ ownerId: "42", comment: "before" });
  const program = async () => {
    const { KooDriveShareSettings } = require("pulumi-koodrive");
    const s = new KooDriveShareSettings("packed", { shareId: share.shareId, validDays: 5, comment: "from the packed package" });
    return { shortUrl: s.shortUrl };
  };
  const handle = await openStack({ projectName: "packed", program, nodeModulesFrom: __dirname,
    env: { KOODRIVE_ENDPOINT: emulator.url, KOODRIVE_USER_ID: "42", KOODRIVE_AGENT_NAME: "packed", KOODRIVE_ACCESS_TOKEN: "packed-token-1234" } });
  const up = await handle.stack.up();
  const afterUp = emulator.getShare(share.shareId).comment;
  const destroy = await handle.stack.destroy();
  await handle.remove();
  await emulator.close();
  console.log(JSON.stringify({ up: up.summary.resourceChanges, shortUrl: up.outputs.shortUrl.value, expectedShortUrl: share.shortUrl, afterUp,
    destroy: destroy.summary.resourceChanges, requests: emulator.requests.all().map((r) => r.method + " " + r.status) }));
})().catch((e) => { console.error(e); process.exit(1); });
`);
  const output = execFileSync(process.execPath, ["driver.js"], { cwd: project, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const result = JSON.parse(output.trim().split("\n").pop());
  assert.deepEqual(result.up, { create: 2 });
  assert.equal(result.afterUp, "from the packed package");
  assert.equal(result.shortUrl, result.expectedShortUrl);
  assert.deepEqual(result.destroy, { delete: 2 });
  assert.deepEqual(result.requests, ["GET 200", "PUT 200"]);
  console.log(`packed package: up and destroy passed with @pulumi/pulumi ${require(path.join(project, "node_modules/@pulumi/pulumi/package.json")).version} on Node ${process.version}`);
});
