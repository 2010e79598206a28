"use strict";
// Both packages as users get them: `npm pack` of pulumi-koodrive and of koodrive-emulator, installed into a fresh
// project outside this tree next to the @pulumi/pulumi versions users run, then up, refresh and destroy through the
// real engine against the installed emulator. The provider process resolves `pulumi-koodrive/provider-impl` from
// that project's node_modules, so this fails if the published files, exports maps or dependencies are wrong, or if an
// SDK release breaks the dynamic provider.
//
// Versions: the dev dependency on this Node; the newest @pulumi/pulumi on Node 22 (3.249+ requires it), 24 and 26
// (Node comes from the npm registry, scripts/ensure-node.sh); the peer-dependency floor 3.181.0 on this Node. Package managers:
// npm, the dev dependency installed with yarn 1, with yarn 4 (node_modules linker) and with bun, and the newest SDK
// installed with npm 12 on Node 24.
const assert = require("node:assert/strict");
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { after, before, test } = require("node:test");
const { repoRoot } = require("../../scripts/lib/engine");
const rootPackage = require("../../package.json");
const { nodeBin, npmPack, pinnedTool } = require("../support/toolchains");

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "koodrive-packed-"));
let tarball;
let emulatorTarball;
before(() => {
  // scripts/test.sh builds first; packing without the prepare script keeps that build (and saves a rebuild per file).
  const packed = npmPack(repoRoot, scratch);
  tarball = packed.tarball;
  const files = packed.files;
  for (const file of ["dist/provider-impl.js", "dist/provider-impl.js.map", "dist/provider-impl.NOTICES.md"]) {
    assert.ok(files.includes(file), `the bundled provider implementation's ${file} is published`);
  }
  assert.equal(
    files.some((f) => f.startsWith("dist/emulator/") || f.startsWith("packages/")),
    false,
    "the emulator is its own package",
  );
  for (const doc of ["LICENSE", "CHANGELOG.md", "README.md"]) assert.ok(files.includes(doc), `${doc} is published`);
  assert.equal(
    files.some((f) => f.startsWith("src/") || f.startsWith("test/") || f.startsWith("examples/")),
    false,
    "only the built package is published",
  );
  const emulatorPacked = npmPack(path.join(repoRoot, "packages/koodrive-emulator"), scratch);
  assert.ok(emulatorPacked.files.includes("dist/cli.js"), "the emulator's CLI is published");
  emulatorTarball = emulatorPacked.tarball;
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/**
 * Installs `project` with yarn 1, yarn 4 (`nodeLinker: node-modules`) or bun, the way a user of that package manager
 * does, from npm's configured registry: the tests reach only that one, not yarn's or bun's default hosts.
 */
function installWith(/** @type {"yarn1" | "yarn4" | "bun"} */ which, /** @type {string} */ project, /** @type {NodeJS.ProcessEnv} */ env) {
  const manager = pinnedTool(which, path.join(scratch, "tools"));
  const registry = execFileSync("npm", ["config", "get", "registry"], { env, encoding: "utf8" }).trim();
  /** @type {import("node:child_process").ExecFileSyncOptions} */
  const options = { cwd: project, stdio: ["ignore", "inherit", "inherit"] };
  if (which === "bun") {
    execFileSync(manager.entry, ["install"], {
      ...options,
      env: { ...env, BUN_CONFIG_REGISTRY: registry, BUN_INSTALL_CACHE_DIR: path.join(scratch, "bun-cache") },
    });
    return;
  }
  if (which === "yarn4") {
    fs.writeFileSync(path.join(project, ".yarnrc.yml"), `nodeLinker: node-modules\nenableTelemetry: false\nnpmRegistryServer: ${JSON.stringify(registry)}\n`);
    fs.writeFileSync(path.join(project, "yarn.lock"), "");
  }
  const flags = which === "yarn1" ? ["--non-interactive", "--silent", "--registry", registry] : [];
  execFileSync(process.execPath, [manager.entry, "install", ...flags], {
    ...options,
    // A CI runner sets CI=true, where yarn 4 refuses to write a lockfile unless told otherwise.
    env: { ...env, YARN_ENABLE_GLOBAL_CACHE: "false", YARN_CACHE_FOLDER: path.join(scratch, `${which}-cache`), YARN_ENABLE_IMMUTABLE_INSTALLS: "false" },
  });
}

/** Node's bin folder, the @pulumi/pulumi version and the package manager for each row. */
const thisNode = { nodeBin: () => path.dirname(process.execPath), nodeMajor: process.versions.node.split(".")[0] };
/** @type {{ label: string, pulumi: string, nodeBin: () => string, nodeMajor: string, installer?: "yarn1" | "yarn4" | "npm12" | "bun" }[]} */
const matrix = [
  { label: "the dev dependency", pulumi: rootPackage.devDependencies["@pulumi/pulumi"], ...thisNode },
  { label: "the newest SDK on Node 22", pulumi: "latest", nodeBin: () => nodeBin(22), nodeMajor: "22" },
  { label: "the newest SDK on Node 24", pulumi: "latest", nodeBin: () => nodeBin(24), nodeMajor: "24" },
  { label: "the newest SDK on Node 26", pulumi: "latest", nodeBin: () => nodeBin(26), nodeMajor: "26" },
  { label: "the peer-dependency floor", pulumi: rootPackage.peerDependencies["@pulumi/pulumi"].replace(/^\^/, ""), ...thisNode },
  { label: "installed with yarn 1", pulumi: rootPackage.devDependencies["@pulumi/pulumi"], ...thisNode, installer: "yarn1" },
  { label: "installed with yarn 4", pulumi: rootPackage.devDependencies["@pulumi/pulumi"], ...thisNode, installer: "yarn4" },
  // npm 12 blocks dependencies' install scripts (here protobufjs's, which @pulumi/pulumi brings) unless allowed.
  { label: "installed with npm 12 on Node 24", pulumi: "latest", nodeBin: () => nodeBin(24), nodeMajor: "24", installer: "npm12" },
  // bun lays out node_modules as npm does, and blocks dependencies' install scripts (protobufjs's) unless trusted.
  { label: "installed with bun", pulumi: rootPackage.devDependencies["@pulumi/pulumi"], ...thisNode, installer: "bun" },
];

// Prints one JSON line: what up, refresh and destroy did, or `failure` (the first error) and the requests sent by then.
const DRIVER = `
"use strict";
const { openStack } = require(${JSON.stringify(path.join(repoRoot, "scripts/lib/engine.js"))});
const { startEmulator } = require("koodrive-emulator");
(async () => {
  const emulator = await startEmulator({ tokens: ["packed-token-1234"] });
  const share = emulator.seedShare({ ownerId: "42", comment: "before" });
  const program = async () => {
    const { KooDriveShareSettings } = require("pulumi-koodrive");
    const s = new KooDriveShareSettings("packed", { shareId: share.shareId, validDays: 5, comment: "from the packed package", onDelete: "restore" });
    return { shortUrl: s.shortUrl };
  };
  const handle = await openStack({ projectName: "packed", program, nodeModulesFrom: __dirname,
    env: { KOODRIVE_ENDPOINT: emulator.url, KOODRIVE_USER_ID: "42", KOODRIVE_AGENT_NAME: "packed", KOODRIVE_ACCESS_TOKEN: "packed-token-1234" } });
  const requests = () => emulator.requests.all().map((r) => r.method + " " + r.status);
  try {
    const up = await handle.stack.up();
    const afterUp = emulator.getShare(share.shareId).comment;
    // Where each KooDrive resource was declared, as the engine recorded it (the SDK's stack capture, on every SDK).
    const positions = (await handle.stack.exportStack()).deployment.resources
      .filter((r) => r.type.endsWith("/koodrive:ShareSettings")).map((r) => r.sourcePosition ?? null);
    emulator.changeShare(share.shareId, { comment: "edited by hand" });
    const refresh = await handle.stack.refresh();
    // Put the declared settings back first: a share edited by hand since Pulumi wrote it is not restored on purpose.
    await handle.stack.up();
    const destroy = await handle.stack.destroy();
    const afterDestroy = emulator.getShare(share.shareId).comment;
    console.log(JSON.stringify({ up: up.summary.resourceChanges, shortUrl: up.outputs.shortUrl.value, expectedShortUrl: share.shortUrl, afterUp,
      positions, refresh: refresh.summary.resourceChanges, destroy: destroy.summary.resourceChanges, afterDestroy,
      requests: requests(), node: process.version, sdk: require("@pulumi/pulumi/package.json").version }));
  } catch (e) {
    console.log(JSON.stringify({ failure: String(e), requests: requests() }));
  } finally {
    await handle.remove();
    await emulator.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
`;

for (const row of matrix) {
  test(`the npm-packed package works for up, refresh and destroy with @pulumi/pulumi ${row.pulumi} (${row.label})`, { timeout: 600_000 }, () => {
    const binDir = row.nodeBin();
    const project = fs.mkdtempSync(path.join(scratch, "consumer-"));
    // This row's node first on PATH, then its npm: npm, the driver and the dynamic-provider launcher all run on it.
    const npmBin = row.installer === "npm12" ? [pinnedTool("npm12", path.join(scratch, "tools")).binDir] : [];
    const env = { ...process.env, PATH: [binDir, ...npmBin, process.env.PATH].join(path.delimiter) };
    // With npm 12, the packages are packed with it too, as its users do.
    const packedWith = row.installer === "npm12" ? fs.mkdtempSync(path.join(scratch, "npm12-packed-")) : undefined;
    const tarballs = packedWith
      ? { koodrive: npmPack(repoRoot, packedWith, env).tarball, emulator: npmPack(path.join(repoRoot, "packages/koodrive-emulator"), packedWith, env).tarball }
      : { koodrive: tarball, emulator: emulatorTarball };
    fs.writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify(
        {
          name: "packed-consumer",
          private: true,
          dependencies: { "pulumi-koodrive": `file:${tarballs.koodrive}`, "koodrive-emulator": `file:${tarballs.emulator}`, "@pulumi/pulumi": row.pulumi },
        },
        null,
        2,
      ),
    );
    // "latest" must be looked up afresh; pinned versions may come from npm's cache.
    const freshness = row.pulumi === "latest" ? [] : ["--prefer-offline"];
    if (row.installer === "yarn1" || row.installer === "yarn4" || row.installer === "bun") installWith(row.installer, project, env);
    else {
      const npmMajor = execFileSync("npm", ["--version"], { env, encoding: "utf8" }).trim().split(".")[0];
      if (row.installer === "npm12") assert.equal(npmMajor, "12", "the row installs with npm 12");
      execFileSync("npm", ["install", "--no-audit", "--no-fund", ...freshness, "--loglevel=error"], {
        cwd: project,
        env,
        stdio: ["ignore", "inherit", "inherit"],
      });
      if (row.installer === "npm12") {
        // The README's way to record the two install scripts npm 12 blocks here (protobufjs's, and our `prepare`,
        // which npm matches by the tarball's path): written into package.json, a new install lists neither.
        execFileSync("npm", ["install-scripts", "deny", "protobufjs", "pulumi-koodrive"], { cwd: project, env, stdio: ["ignore", "ignore", "inherit"] });
        const { allowScripts } = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8"));
        assert.deepEqual(allowScripts, { protobufjs: false, [`file:${tarballs.koodrive}`]: false });
        // From scratch: from its lockfile npm 12 does not list our `prepare` even when it is not recorded.
        for (const made of ["node_modules", "package-lock.json"]) fs.rmSync(path.join(project, made), { recursive: true });
        const again = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: project, env, encoding: "utf8" });
        assert.equal(again.status, 0, again.stderr);
        assert.doesNotMatch(again.stderr, /install-scripts/, "no install script left to review");
      }
    }
    const sdkCopies = execFileSync("find", ["node_modules", "-path", "*/@pulumi/pulumi/package.json"], { cwd: project, encoding: "utf8" }).trim().split("\n");
    assert.deepEqual(sdkCopies, ["node_modules/@pulumi/pulumi/package.json"], "exactly one copy of @pulumi/pulumi");
    assert.equal(fs.lstatSync(path.join(project, "node_modules/pulumi-koodrive")).isSymbolicLink(), false, "installed as a copy, not a link");
    // A program written as an ES module (`"type": "module"`, or TypeScript compiled to ESM) imports this CommonJS
    // package by name: Node finds its named exports by reading the file, so a build that hides them breaks only those users.
    const esmNames = execFileSync(
      path.join(binDir, "node"),
      ["--input-type=module", "-e", 'const m = await import("pulumi-koodrive"); console.log(JSON.stringify(Object.keys(m)))'],
      { cwd: project, env, encoding: "utf8" },
    );
    const cjsNames = execFileSync(path.join(binDir, "node"), ["-e", 'console.log(JSON.stringify(Object.keys(require("pulumi-koodrive"))))'], {
      cwd: project,
      env,
      encoding: "utf8",
    });
    assert.deepEqual(
      JSON.parse(esmNames).filter((/** @type {string} */ name) => !["default", "__esModule", "module.exports"].includes(name)),
      JSON.parse(cjsNames).sort(),
      "an ES module imports every export by name",
    );
    fs.writeFileSync(path.join(project, "driver.js"), DRIVER);
    const output = execFileSync(path.join(binDir, "node"), ["driver.js"], { cwd: project, env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    const result = JSON.parse(output.trim().split("\n").pop() ?? "");
    assert.equal(result.failure, undefined, result.failure);
    assert.equal(result.node.split(".")[0], `v${row.nodeMajor}`);
    if (row.pulumi !== "latest") assert.equal(result.sdk, row.pulumi);
    assert.deepEqual(result.up, { create: 3 }, "the stack, the settings and their companion originals");
    assert.equal(result.afterUp, "from the packed package");
    assert.equal(result.shortUrl, result.expectedShortUrl);
    // The resource classes register without the SDK's promise-debugging stack traces where the SDK allows it
    // (promiseStacks.ts); the engine must still get a source position. The SDK skips a fixed number of frames, so for
    // a subclass of dynamic.Resource it is the class's own super(...) call, as it was with the traces. (3.181's
    // pattern matched no subclass of dynamic.Resource: it records none, with or without them.)
    if (row.label !== "the peer-dependency floor") {
      assert.match(
        String(result.positions),
        /^project:\/\/\/.*\/pulumi-koodrive\/dist\/resources\/shareSettings\/resource\.js#\d+,\d+$/,
        "source position recorded",
      );
    }
    assert.deepEqual(result.refresh, { same: 2, update: 1 }, "refresh saw the comment edited outside Pulumi");
    assert.deepEqual(result.destroy, { delete: 3 });
    assert.equal(result.afterDestroy, "before", "destroy restored the original comment");
    // up: the originals (GET) and the settings (PUT); refresh: GET; up: PUT; destroy: read back (GET) and restore
    // (PUT), whose answer tells the companion the originals are back.
    assert.deepEqual(result.requests, ["GET 200", "PUT 200", "GET 200", "PUT 200", "GET 200", "PUT 200"]);
    console.log(`packed package: up, refresh and destroy passed with @pulumi/pulumi ${result.sdk} on Node ${result.node}`);
  });
}

// TypeScript 7 has no compiler API, which Pulumi's closure serializer needs to store a dynamic resource's provider.
// The SDK's peer range ends below 7, but yarn and bun install it for an unversioned `add`, and npm adds it on request
// with a warning (here: --legacy-peer-deps, for a fresh install). Without the optional native compiler (27 MB): the
// package's JavaScript is what Pulumi loads. An Automation API program, as here, reaches the check.
test("with TypeScript 7 installed beside the SDK, a program fails saying which TypeScript to install, before any request", { timeout: 600_000 }, () => {
  const project = fs.mkdtempSync(path.join(scratch, "typescript7-"));
  const manifest = {
    name: "packed-consumer-typescript7",
    private: true,
    dependencies: {
      "pulumi-koodrive": `file:${tarball}`,
      "koodrive-emulator": `file:${emulatorTarball}`,
      "@pulumi/pulumi": rootPackage.devDependencies["@pulumi/pulumi"],
    },
    devDependencies: { typescript: "7.0.2" },
  };
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify(manifest, null, 2));
  execFileSync("npm", ["install", "--legacy-peer-deps", "--omit=optional", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
    cwd: project,
    stdio: ["ignore", "inherit", "inherit"],
  });
  fs.writeFileSync(path.join(project, "driver.js"), DRIVER);
  const output = execFileSync(process.execPath, ["driver.js"], { cwd: project, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const result = JSON.parse(output.trim().split("\n").pop() ?? "");
  assert.equal(JSON.parse(fs.readFileSync(path.join(project, "node_modules/typescript/package.json"), "utf8")).version, "7.0.2");
  assert.match(result.failure, /the "typescript" package it loads, TypeScript 7\.0\.2 \(.*node_modules\/typescript\), has none \(TypeScript 7 dropped it\)/);
  assert.match(result.failure, /Make "typescript" TypeScript 5 or 6 \(typescript@~5\.9\.3\)/);
  assert.doesNotMatch(result.failure, /Cannot read properties of undefined/, "the serializer's own failure is not what the user reads");
  assert.deepEqual(result.requests, []);
});
