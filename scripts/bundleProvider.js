// Builds dist/provider-impl.js, the file `pulumi-koodrive/provider-impl` resolves to: the provider implementation with
// its dependencies (axios, zod, the proxy agents) in one file.
//
// Why one file: the engine starts a fresh provider process for every preview, up, refresh and destroy, and the
// serialized shim loads the implementation on the first call. Loaded from node_modules it resolves, reads and compiles
// about 200 files (zod alone is 95, axios 73); bundled it is one read and one compile, and ES modules are hoisted into
// one scope. `scripts/bench` measures the difference (README, Performance).
//
// What stays outside: `@pulumi/pulumi`, which the implementation only imports for types and which must stay the one
// copy the program and the engine's provider host share (two copies break the engine's serialization). The code is
// not minified: stack traces from the provider keep the source's function names and readable lines, for a few
// milliseconds of parsing. Dependencies the implementation loads lazily (the HTTP client on the first request, the
// proxy agents when a proxy is set) stay lazy: esbuild wraps modules reached through `require` in an init function.
"use strict";
const esbuild = require("esbuild");
const path = require("node:path");

const repoRoot = path.join(__dirname, "..");

/** @type {import("esbuild").BuildOptions} */
const options = {
  entryPoints: [path.join(repoRoot, "src/provider/impl.ts")],
  outfile: path.join(repoRoot, "dist/provider-impl.js"),
  bundle: true,
  platform: "node",
  // package.json's "engines".
  target: "node20",
  format: "cjs",
  external: ["@pulumi/pulumi"],
  tsconfig: path.join(repoRoot, "tsconfig.build.json"),
  logLevel: "warning",
};

esbuild.build(options).catch(() => {
  // esbuild has printed the errors.
  process.exitCode = 1;
});

