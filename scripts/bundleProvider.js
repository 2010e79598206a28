// Builds dist/provider-impl.js, the file `pulumi-koodrive/provider-impl` resolves to: the provider implementation and
// zod in one file, with a source map and the notices of the code bundled in it.
//
// Why one file: the engine starts a fresh provider process for every preview, up, refresh and destroy, and the
// serialized shim loads the implementation on the first call. Unbundled, its first read loads about 210 files beyond
// the SDK (zod alone is 95); bundled, zod and the implementation are one read and one compile, with ES modules hoisted
// into one scope, and about 70 files are left, most of them the HTTP stack below. `npm run bench -- --client-only`
// measures the difference (README, Performance).
//
// What stays outside, loaded from the user's node_modules:
// - `@pulumi/pulumi`, which the implementation only imports for types and which must stay the one copy the program
//   and the engine's provider host share (two copies break the engine's serialization);
// - the HTTP stack (axios, the proxy agents, proxy-from-env): it carries credentials through proxies, so its security
//   fixes must reach users through `npm update`, `overrides` and `npm audit`, not wait for a release of this package.
//   It is loaded on the first request, not at start-up, so keeping it outside costs little.
// The code is not minified (stack frames keep the source's function names), and the linked source map sends them to
// `src/` lines (the SDK's provider host loads source-map-support, which reads the map only when a stack is printed).
// The map leaves the sources out: the tsc build's maps carry them, and the bundle's would add 2 MB for a debugger.
"use strict";
const esbuild = require("esbuild");
const fs = require("node:fs");
const path = require("node:path");

const repoRoot = path.join(__dirname, "..");
const outfile = path.join(repoRoot, "dist", "provider-impl.js");
const noticesFile = path.join(repoRoot, "dist", "provider-impl.NOTICES.md");

/** @type {import("esbuild").BuildOptions & { metafile: true }} */
const options = {
  entryPoints: [path.join(repoRoot, "src/provider/impl.ts")],
  outfile,
  bundle: true,
  platform: "node",
  // package.json's "engines".
  target: "node20",
  format: "cjs",
  external: ["@pulumi/pulumi", "axios", "http-proxy-agent", "https-proxy-agent", "proxy-from-env"],
  tsconfig: path.join(repoRoot, "tsconfig.build.json"),
  sourcemap: "linked",
  sourcesContent: false,
  metafile: true,
  banner: { js: `// pulumi-koodrive's provider implementation, bundled by scripts/bundleProvider.js; third-party notices: ${path.basename(noticesFile)}` },
  logLevel: "warning",
};

/** The packages whose code went into the bundle, with their license texts (MIT and the like require the notice). */
function bundledPackages(metafile) {
  const roots = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) roots.add(path.resolve(repoRoot, match[1]));
  }
  return [...roots].sort().map((root) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    const licenseFile = fs.readdirSync(root).find((name) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name));
    if (licenseFile === undefined) throw new Error(`${manifest.name} is bundled but has no LICENSE file to carry its notice`);
    return { name: manifest.name, version: manifest.version, license: manifest.license, text: fs.readFileSync(path.join(root, licenseFile), "utf8").trim() };
  });
}

async function main() {
  const result = await esbuild.build(options);
  const notices = bundledPackages(result.metafile).map((p) => `## ${p.name} ${p.version} (${p.license})\n\n\`\`\`\n${p.text}\n\`\`\``);
  fs.writeFileSync(
    noticesFile,
    `# Third-party code in provider-impl.js\n\n${path.basename(outfile)} contains the code of these packages, under these licenses.\n\n${notices.join("\n\n")}\n`,
  );
}

main().catch((e) => {
  // esbuild prints its own errors; anything else is printed here.
  if (!(e && Array.isArray(e.errors))) console.error(e);
  process.exitCode = 1;
});
