import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { TOKEN, USER_ID } from "./support/fixtures";
import { raw, tokenHeaders } from "./support/rawHttp";
import { useScratchDir } from "./support/scratch";

// The package as users get it: `npm pack`, installed into a fresh folder outside this tree, then its bin through npx:
// --help, and a start/stop in pipeline mode. Fails if the published files, bin or shebang are wrong. It packs the
// dist/ the suite runs against (built by `npm run build` first) instead of rebuilding it under the other test files.
const root = path.join(__dirname, "..");
const scratch = useScratchDir("koodrive-emulator-packed-");

describe("the npm-packed koodrive-emulator", () => {
  it("installs, answers npx koodrive-emulator --help, and starts and stops", () => {
    const printed = JSON.parse(
      execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", scratch()], {
        cwd: root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    // npm 11 prints its results as a list, npm 12 as an object keyed by package name.
    const [packed] = Array.isArray(printed) ? printed : Object.values(printed);
    const files: string[] = packed.files.map((f: { path: string }) => f.path);
    expect(files).toEqual(expect.arrayContaining(["dist/cli.js", "dist/index.js", "dist/index.d.ts", "README.md", "LICENSE", "package.json"]));
    expect(files.filter((f) => f.startsWith("src/") || f.startsWith("test/") || f.startsWith("scripts/"))).toEqual([]);

    const project = path.join(scratch(), "consumer");
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", "--loglevel=error", path.join(scratch(), packed.filename)], {
      cwd: project,
      stdio: "pipe",
    });
    expect(fs.lstatSync(path.join(project, "node_modules/koodrive-emulator")).isSymbolicLink()).toBe(false);
    const npx = (args: string[]) =>
      execFileSync("npx", ["--no-install", "koodrive-emulator", ...args], {
        cwd: project,
        encoding: "utf8",
        env: { PATH: process.env.PATH, KOODRIVE_EMULATOR_TOKEN: TOKEN },
      });

    expect(npx(["--help"])).toMatch(/^koodrive-emulator: a local KooDrive share API/);
    const pidFile = path.join(project, "emulator.pid");
    const url = npx(["start", "--pid-file", pidFile]).trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    return (async () => {
      try {
        const share = await raw(url, "POST", "/__admin/shares", {}, JSON.stringify({ ownerId: USER_ID }));
        expect((await raw(url, "GET", `/koodrive/ose/v1/share/${share.json.shareId}`, tokenHeaders(TOKEN, USER_ID))).status).toBe(200);
      } finally {
        expect(npx(["stop", "--pid-file", pidFile])).toMatch(/^koodrive-emulator stopped \(pid \d+\)/);
      }
      expect(fs.existsSync(pidFile)).toBe(false);
    })();
  }, 120_000);
});
