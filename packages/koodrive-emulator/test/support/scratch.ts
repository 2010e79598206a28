import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A temp folder for one test file: made before its first test, removed after its last. Made in a hook, not when the
 * file loads: jest runs no hook of a file whose tests a name filter (`-t`) skips, and the folder would stay behind.
 * Returns the folder's path, for use inside tests.
 */
export function useScratchDir(prefix: string): () => string {
  let dir: string | undefined;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(() => {
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (dir === undefined) throw new Error(`the ${prefix}* scratch folder is made before the first test; use it inside tests`);
    return dir;
  };
}
