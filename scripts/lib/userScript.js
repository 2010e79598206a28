// What the scripts users run from a checkout (koodrive-export-shares, koodrive-stray-shares) share: the package they
// call, and their `--flag value` arguments.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

/** pulumi-koodrive: the installed package, or this checkout's build (`npm run build`). */
function koodrive() {
  try {
    return require("pulumi-koodrive");
  } catch {
    const dist = path.join(__dirname, "..", "..", "dist");
    if (!fs.existsSync(dist)) throw new Error(`this checkout is not built (no ${dist}): run \`npm ci\` (it builds) or \`npm run build\` in it first`);
    return require(dist);
  }
}

/**
 * `--flag value` pairs as an object keyed by `names[flag]`; `--help` prints `usage` and exits. An unknown flag or one
 * without a value fails with the usage.
 * @param {string[]} argv
 * @param {string} usage
 * @param {Record<string, string>} names
 * @returns {Record<string, string>}
 */
function parseFlags(argv, usage, names) {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(usage);
    process.exit(0);
  }
  /** @type {Record<string, string>} */
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i] ?? ""];
    const value = argv[i + 1];
    if (key === undefined || value === undefined) throw new Error(`${usage} (bad argument "${argv[i]}")`);
    args[key] = value;
  }
  return args;
}

module.exports = { koodrive, parseFlags };
