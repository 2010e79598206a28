import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const PACKAGE_NAME = "pulumi-koodrive";

let cached: string | undefined;

/** The version in the nearest package.json above `from` that is this package's: `src/client`, `dist/client` and `dist` all reach it. */
function ownVersion(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (manifest.name === PACKAGE_NAME && typeof manifest.version === "string") return manifest.version;
    } catch {
      // No package.json here (or not readable): look further up.
    }
    if (dirname(dir) === dir) return "unknown";
  }
}

/**
 * `pulumi-koodrive/<version>`, so KooDrive's operators can tell this client's traffic apart. The version is read
 * once, at run time, from the installed package's package.json, so it cannot drift from the release. The file is
 * looked up rather than at a fixed distance, since this code runs from `dist/client` and from the bundled provider
 * implementation in `dist` alike.
 */
export function userAgent(): string {
  if (cached === undefined) {
    cached = `${PACKAGE_NAME}/${ownVersion(__dirname)}`;
  }
  return cached;
}
