import { readFileSync } from "node:fs";
import { join } from "node:path";

let cached: string | undefined;

/**
 * `pulumi-koodrive/<version>`, so KooDrive's operators can tell this client's traffic apart. The version is read
 * once, at run time, from the installed package's package.json (two levels above both `src/client` and
 * `dist/client`), so it cannot drift from the release.
 */
export function userAgent(): string {
  if (cached === undefined) {
    const manifest = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { name: string; version: string };
    cached = `${manifest.name}/${manifest.version}`;
  }
  return cached;
}
